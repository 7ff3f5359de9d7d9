import GRDB

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
        return m
    }
}
