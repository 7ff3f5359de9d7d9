import GRDB
import KaiyuanCore

/// The store's schema, one migration per version. Migrations only ever get appended.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            // One row per distinct fact (see FactKind); WITHOUT ROWID keeps it to the key.
            try db.execute(sql: """
                CREATE TABLE facts (
                  repo_id   INTEGER NOT NULL,
                  kind      INTEGER NOT NULL,
                  month     INTEGER NOT NULL,  -- year * 12 + month - 1
                  object_id INTEGER NOT NULL,
                  actor_id  INTEGER NOT NULL,
                  PRIMARY KEY (repo_id, kind, month, object_id, actor_id)
                ) WITHOUT ROWID;

                CREATE TABLE pull_request_lines (
                  event_id  INTEGER PRIMARY KEY,
                  repo_id   INTEGER NOT NULL,
                  month     INTEGER NOT NULL,
                  additions INTEGER NOT NULL,
                  deletions INTEGER NOT NULL
                );
                CREATE INDEX pull_request_lines_by_repo ON pull_request_lines (repo_id, month);

                -- Issue and pull request timelines for the duration metrics.
                CREATE TABLE item_events (
                  repo_id INTEGER NOT NULL,
                  number  INTEGER NOT NULL,
                  at      INTEGER NOT NULL,
                  kind    INTEGER NOT NULL,
                  actor_id INTEGER NOT NULL,
                  is_pr   INTEGER NOT NULL,
                  PRIMARY KEY (repo_id, number, at, kind, actor_id)
                ) WITHOUT ROWID;

                CREATE TABLE repo_names (
                  repo_id    INTEGER NOT NULL,
                  name       TEXT NOT NULL,
                  first_seen INTEGER NOT NULL,
                  last_seen  INTEGER NOT NULL,
                  PRIMARY KEY (repo_id, name)
                ) WITHOUT ROWID;
                CREATE INDEX repo_names_by_name ON repo_names (name COLLATE NOCASE);

                CREATE TABLE actor_logins (
                  actor_id   INTEGER NOT NULL,
                  login      TEXT NOT NULL,
                  first_seen INTEGER NOT NULL,
                  last_seen  INTEGER NOT NULL,
                  PRIMARY KEY (actor_id, login)
                ) WITHOUT ROWID;
                CREATE INDEX actor_logins_by_login ON actor_logins (login COLLATE NOCASE);

                -- OpenRank reads one month at a time.
                CREATE INDEX facts_by_month ON facts (month, kind, repo_id, actor_id);

                -- Facts from events on `[snyk]` issues and PRs, which OpenRank leaves out.
                CREATE TABLE openrank_excluded (
                  repo_id   INTEGER NOT NULL,
                  kind      INTEGER NOT NULL,
                  object_id INTEGER NOT NULL,
                  PRIMARY KEY (repo_id, kind, object_id)
                ) WITHOUT ROWID;

                -- Bumped whenever an import adds a fact to the month: what tells OpenRank
                -- which months to compute again.
                CREATE TABLE month_versions (
                  month   INTEGER PRIMARY KEY,
                  version INTEGER NOT NULL
                );

                -- OpenRank per node (1 = repo, 2 = developer) and month.
                CREATE TABLE openrank_values (
                  node_kind INTEGER NOT NULL,
                  node_id   INTEGER NOT NULL,
                  month     INTEGER NOT NULL,
                  value     REAL NOT NULL,
                  PRIMARY KEY (node_kind, node_id, month)
                ) WITHOUT ROWID;
                CREATE INDEX openrank_values_by_month ON openrank_values (month, node_kind);

                -- Which data version each month's OpenRank was computed from.
                CREATE TABLE openrank_months (
                  month        INTEGER PRIMARY KEY,
                  data_version INTEGER NOT NULL,
                  repos        INTEGER NOT NULL,
                  developers   INTEGER NOT NULL,
                  iterations   INTEGER NOT NULL,
                  residual     REAL NOT NULL,
                  computed_at  INTEGER NOT NULL
                );

                CREATE TABLE ingested_files (
                  name          TEXT PRIMARY KEY,
                  size          INTEGER NOT NULL,
                  events        INTEGER NOT NULL,
                  skipped_lines INTEGER NOT NULL,
                  ingested_at   INTEGER NOT NULL
                );
                """)
        }
        m.registerMigration("v2-git-and-labels") { db in
            try db.execute(sql: """
                -- Git histories (spec/git-log-format.md), one row per repository and commit.
                CREATE TABLE git_repos (
                  id         INTEGER PRIMARY KEY,
                  platform   TEXT NOT NULL,
                  name       TEXT NOT NULL COLLATE NOCASE,
                  head       TEXT,            -- the last commit ingested from a clone
                  source     TEXT,            -- the clone path, URL or log file
                  licence    TEXT,            -- licence files at the top of the tree, comma-separated
                  mailmap    TEXT,
                  updated_at INTEGER,
                  UNIQUE (platform, name)
                );

                -- Each distinct name+email once.
                CREATE TABLE git_people (
                  id    INTEGER PRIMARY KEY,
                  name  TEXT NOT NULL,
                  email TEXT NOT NULL,
                  UNIQUE (name, email)
                );

                CREATE TABLE git_commits (
                  repo_id       INTEGER NOT NULL,
                  sha           TEXT NOT NULL,
                  parents       INTEGER NOT NULL,
                  author_id     INTEGER NOT NULL,
                  committer_id  INTEGER NOT NULL,
                  author_at     INTEGER NOT NULL,  -- Unix seconds, UTC
                  author_offset INTEGER NOT NULL,  -- minutes east of UTC
                  committed_at  INTEGER NOT NULL,
                  added         INTEGER NOT NULL,
                  deleted       INTEGER NOT NULL,
                  files         INTEGER NOT NULL,
                  binary_files  INTEGER NOT NULL,
                  subject       TEXT NOT NULL,
                  PRIMARY KEY (repo_id, sha)
                ) WITHOUT ROWID;

                CREATE TABLE git_coauthors (
                  repo_id   INTEGER NOT NULL,
                  sha       TEXT NOT NULL,
                  person_id INTEGER NOT NULL,
                  PRIMARY KEY (repo_id, sha, person_id)
                ) WITHOUT ROWID;

                -- OpenDigger's labelled data (kaiyuan labels import).
                CREATE TABLE labels (
                  id      TEXT PRIMARY KEY,
                  type    TEXT NOT NULL,
                  name    TEXT NOT NULL,
                  name_zh TEXT,
                  code    TEXT
                );
                CREATE TABLE label_children (
                  label_id TEXT NOT NULL,
                  child_id TEXT NOT NULL,
                  PRIMARY KEY (label_id, child_id)
                ) WITHOUT ROWID;
                CREATE TABLE label_members (
                  label_id  TEXT NOT NULL,
                  platform  TEXT NOT NULL,
                  kind      TEXT NOT NULL,   -- org, repo, user
                  entity_id INTEGER,
                  name      TEXT NOT NULL,
                  PRIMARY KEY (label_id, platform, kind, name)
                ) WITHOUT ROWID;

                -- The user's own email domain → organisation map (besides kaiyuan's built-in one).
                CREATE TABLE organisation_domains (
                  domain       TEXT PRIMARY KEY,
                  organisation TEXT NOT NULL,
                  label_id     TEXT,
                  country      TEXT
                );
                """)
        }
        m.registerMigration("v3-platforms") { db in
            // Keys carry their platform in the top byte (Platform.key): GitHub's code is 0, so
            // the facts, names, timelines and OpenRank values of a v2 store are already
            // GitHub's keys and are kept as they are. What changes is what is per platform:
            // data versions, and OpenRank runs, which are per graph (one platform, or several
            // when a user asks for a cross-platform graph).
            let platforms = Platform.allCases.map { "(\($0.code), '\($0.rawValue)')" }.joined(separator: ", ")
            try db.execute(sql: """
                -- What the top byte of every repo_id, actor_id and node_id means.
                CREATE TABLE platforms (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                INSERT INTO platforms (code, name) VALUES \(platforms);

                CREATE TABLE month_versions_v3 (
                  platform INTEGER NOT NULL,
                  month    INTEGER NOT NULL,
                  version  INTEGER NOT NULL,
                  PRIMARY KEY (platform, month)
                ) WITHOUT ROWID;
                INSERT INTO month_versions_v3 (platform, month, version) SELECT 0, month, version FROM month_versions;
                DROP TABLE month_versions;
                ALTER TABLE month_versions_v3 RENAME TO month_versions;

                -- scope: the graph's platforms, `github` or `github,gitee`.
                CREATE TABLE openrank_values_v3 (
                  scope     TEXT NOT NULL,
                  node_kind INTEGER NOT NULL,
                  node_id   INTEGER NOT NULL,
                  month     INTEGER NOT NULL,
                  value     REAL NOT NULL,
                  PRIMARY KEY (scope, node_kind, node_id, month)
                ) WITHOUT ROWID;
                INSERT INTO openrank_values_v3 SELECT 'github', node_kind, node_id, month, value FROM openrank_values;
                DROP TABLE openrank_values;
                ALTER TABLE openrank_values_v3 RENAME TO openrank_values;
                CREATE INDEX openrank_values_by_month ON openrank_values (month, node_kind, scope);

                CREATE TABLE openrank_months_v3 (
                  scope        TEXT NOT NULL,
                  month        INTEGER NOT NULL,
                  data_version INTEGER NOT NULL,
                  repos        INTEGER NOT NULL,
                  developers   INTEGER NOT NULL,
                  iterations   INTEGER NOT NULL,
                  residual     REAL NOT NULL,
                  computed_at  INTEGER NOT NULL,
                  PRIMARY KEY (scope, month)
                );
                INSERT INTO openrank_months_v3 SELECT 'github', month, data_version, repos, developers, iterations, residual, computed_at FROM openrank_months;
                DROP TABLE openrank_months;
                ALTER TABLE openrank_months_v3 RENAME TO openrank_months;

                -- GitCode was filed under AtomGit before it became a platform of its own.
                UPDATE git_repos SET platform = 'gitcode' WHERE platform = 'atomgit' AND (source LIKE '%gitcode.com%' OR source LIKE '%gitcode.net%');
                """)
        }
        m.registerMigration("v4-snyk-per-event") { db in
            // OpenRank leaves out `[snyk]` events one by one, not whole issues (spec §4.1,
            // changed 2026-11-24): the exclusions become whole facts. A v3 row excluded an
            // object's facts of its kind in every month and by every actor; it becomes exactly
            // those facts, so an upgraded store keeps its numbers until its files are re-read.
            try db.execute(sql: """
                CREATE TABLE openrank_excluded_v4 (
                  repo_id   INTEGER NOT NULL,
                  kind      INTEGER NOT NULL,
                  month     INTEGER NOT NULL,
                  object_id INTEGER NOT NULL,
                  actor_id  INTEGER NOT NULL,
                  PRIMARY KEY (month, kind, repo_id, actor_id, object_id)
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO openrank_excluded_v4 (repo_id, kind, month, object_id, actor_id)
                  SELECT f.repo_id, f.kind, f.month, f.object_id, f.actor_id FROM openrank_excluded e
                  JOIN facts f ON f.repo_id = e.repo_id AND f.kind = e.kind AND f.object_id = e.object_id;
                DROP TABLE openrank_excluded;
                ALTER TABLE openrank_excluded_v4 RENAME TO openrank_excluded;
                """)
        }
        m.registerMigration("v5-file-digests") { db in
            // A file is its name and its content: the complete file of a name first seen cut
            // short is read again. Old records have no digest ("").
            try db.execute(sql: """
                CREATE TABLE ingested_files_v5 (
                  name          TEXT NOT NULL,
                  digest        TEXT NOT NULL,
                  size          INTEGER NOT NULL,
                  events        INTEGER NOT NULL,
                  skipped_lines INTEGER NOT NULL,
                  ingested_at   INTEGER NOT NULL,
                  PRIMARY KEY (name, digest)
                );
                INSERT INTO ingested_files_v5 SELECT name, '', size, events, skipped_lines, ingested_at FROM ingested_files;
                DROP TABLE ingested_files;
                ALTER TABLE ingested_files_v5 RENAME TO ingested_files;
                """)
        }
        m.registerMigration("v6-hub") { db in
            // Dated snapshots of the Hugging Face Hub: one row per model per day stored.
            // Tags are joined with U+001F (no tag holds it).
            try db.execute(sql: """
                CREATE TABLE hub_models (
                  model_id           TEXT NOT NULL,
                  date               INTEGER NOT NULL,
                  author             TEXT NOT NULL,
                  created_at         TEXT,
                  last_modified      TEXT,
                  downloads          INTEGER CHECK (downloads >= 0),
                  downloads_all_time INTEGER CHECK (downloads_all_time >= 0),
                  likes              INTEGER CHECK (likes >= 0),
                  tags               TEXT NOT NULL,
                  pipeline_tag       TEXT,
                  library_name       TEXT,
                  gated              TEXT,
                  parameters         INTEGER,
                  licence_name       TEXT,
                  PRIMARY KEY (model_id, date)
                ) WITHOUT ROWID;
                CREATE INDEX hub_models_by_date ON hub_models (date, author);
                CREATE TABLE hub_runs (
                  id             INTEGER PRIMARY KEY,
                  date           INTEGER NOT NULL,
                  source         TEXT NOT NULL,
                  models         INTEGER NOT NULL,
                  stored_at      INTEGER NOT NULL,
                  authors        TEXT NOT NULL,
                  derivatives_of TEXT NOT NULL
                );
                CREATE TABLE hub_organisations (
                  organisation TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                  label_id     TEXT NOT NULL
                );
                """)
        }
        m.registerMigration("v7-forge-repositories") { db in
            // What forges' APIs say of a repository: mirror detection's evidence.
            try db.execute(sql: """
                CREATE TABLE forge_repositories (
                  platform    TEXT NOT NULL,
                  name        TEXT NOT NULL COLLATE NOCASE,
                  forge_id    INTEGER,
                  description TEXT,
                  homepage    TEXT,
                  is_fork     INTEGER NOT NULL CHECK (is_fork IN (0, 1)),
                  parent      TEXT,
                  is_mirror   INTEGER NOT NULL CHECK (is_mirror IN (0, 1)),
                  mirror_of   TEXT,
                  created_at  TEXT,
                  pushed_at   TEXT,
                  read_at     INTEGER NOT NULL,
                  PRIMARY KEY (platform, name)
                );
                """)
        }
        m.registerMigration("v8-repo-licences") { db in
            // What repositories declare at HEAD, and the changes in the history of their licence files.
            try db.execute(sql: """
                CREATE TABLE repo_licences (
                  platform    TEXT NOT NULL,
                  name        TEXT NOT NULL COLLATE NOCASE,
                  expression  TEXT,
                  licences    TEXT NOT NULL,
                  head        TEXT NOT NULL,
                  read_at     INTEGER NOT NULL,
                  changes     TEXT NOT NULL,
                  PRIMARY KEY (platform, name)
                );
                """)
        }
        return m
    }
}
