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

                CREATE TABLE snyk_issues (
                  repo_id  INTEGER NOT NULL,
                  issue_id INTEGER NOT NULL,
                  PRIMARY KEY (repo_id, issue_id)
                ) WITHOUT ROWID;

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
