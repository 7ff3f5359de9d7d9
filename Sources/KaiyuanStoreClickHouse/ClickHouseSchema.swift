import KaiyuanCore

/// The tables of a ClickHouse store. Per-repository data (facts, timelines, names, commits) is
/// sharded by repository: each node has a `_local` table and a `Distributed` table spans them,
/// with the sharding key kaiyuan itself uses when it writes (`ClickHouseStore.shard(of:)`), so a
/// repository's facts live on one shard and a scan of one shard's table is complete for its
/// repositories. The small tables (the ingest ledger, OpenRank, git repository records and
/// people, labels, domains) live on the first node.
///
/// Idempotency comes from the ledger, not from merges: every sharded row carries the id of the
/// file it came from, the file's `ingested_files` row is written after all of its rows, and
/// every read keeps only rows of files in the ledger and drops repeated rows itself (sorted
/// scans skip adjacent repeats; aggregations count distinct keys). So re-ingesting a file, or
/// a crash half-way through one, never changes a number, with no ZooKeeper, no
/// `insert_deduplicate` and no reliance on when ReplacingMergeTree merges.
///
/// The SQL is what Debian's clickhouse-server 18.16 and current ClickHouse both accept.
enum ClickHouseSchema {
    /// Bumped when the tables change; a store with a higher one was written by a newer kaiyuan.
    static let version = 1

    struct Sharded {
        var name: String
        var columns: String
        var orderBy: String
        var shardKey: String
        var insertColumns: String
    }

    static let sharded: [Sharded] = [
        Sharded(name: "facts", columns: "repo_id Int64, kind UInt8, month Int32, object_id Int64, actor_id Int64, file_id UInt64",
                orderBy: "repo_id, kind, month, object_id, actor_id, file_id", shardKey: "repo_id",
                insertColumns: "repo_id, kind, month, object_id, actor_id, file_id"),
        Sharded(name: "pr_lines", columns: "event_id Int64, repo_id Int64, month Int32, additions Int64, deletions Int64, file_id UInt64",
                orderBy: "repo_id, month, event_id, file_id", shardKey: "repo_id",
                insertColumns: "event_id, repo_id, month, additions, deletions, file_id"),
        Sharded(name: "item_events", columns: "repo_id Int64, number Int64, at Int64, kind UInt8, actor_id Int64, is_pr UInt8, file_id UInt64",
                orderBy: "repo_id, number, at, kind, actor_id, file_id", shardKey: "repo_id",
                insertColumns: "repo_id, number, at, kind, actor_id, is_pr, file_id"),
        Sharded(name: "openrank_excluded", columns: "repo_id Int64, kind UInt8, month Int32, object_id Int64, actor_id Int64, file_id UInt64",
                orderBy: "month, kind, repo_id, actor_id, object_id, file_id", shardKey: "repo_id",
                insertColumns: "repo_id, kind, month, object_id, actor_id, file_id"),
        Sharded(name: "repo_names", columns: "repo_id Int64, name String, first_seen Int64, last_seen Int64, file_id UInt64",
                orderBy: "repo_id, name, file_id", shardKey: "repo_id",
                insertColumns: "repo_id, name, first_seen, last_seen, file_id"),
        Sharded(name: "actor_logins", columns: "actor_id Int64, login String, first_seen Int64, last_seen Int64, file_id UInt64",
                orderBy: "actor_id, login, file_id", shardKey: "actor_id",
                insertColumns: "actor_id, login, first_seen, last_seen, file_id"),
        Sharded(name: "git_commits", columns: """
                repo_id Int64, sha String, parents Int32, author_id Int64, committer_id Int64, author_at Int64, author_offset Int32, \
                committed_at Int64, added Int64, deleted Int64, files Int32, binary_files Int32, subject String
                """, orderBy: "repo_id, sha", shardKey: "repo_id",
                insertColumns: "repo_id, sha, parents, author_id, committer_id, author_at, author_offset, committed_at, added, deleted, files, binary_files, subject"),
        Sharded(name: "git_coauthors", columns: "repo_id Int64, sha String, person_id Int64, position Int32",
                orderBy: "repo_id, sha, position, person_id", shardKey: "repo_id", insertColumns: "repo_id, sha, person_id, position"),
    ]

    /// Tables on the first node only: (name, columns, engine and order).
    static let coordinator: [(name: String, definition: String)] = [
        ("kaiyuan_schema", "(version UInt32, written_at Int64) ENGINE = MergeTree ORDER BY version"),
        // A file's row is written after all of its data: reads count only files listed here.
        ("ingested_files", """
            (name String, digest String, file_id UInt64, size Int64, events Int64, skipped_lines Int64, ingested_at Int64, \
            platform_months Array(Int64)) ENGINE = MergeTree ORDER BY (name, file_id)
            """),
        // OpenRank: values of a run, then the run's month record; the latest record per
        // (scope, month) names the values that count. `bits` is the value's exact bit pattern.
        ("openrank_values", """
            (scope String, month Int32, run_id UInt64, node_kind UInt8, node_id Int64, value Float64, bits Int64) \
            ENGINE = MergeTree ORDER BY (scope, month, run_id, node_kind, node_id)
            """),
        ("openrank_months", """
            (scope String, month Int32, run_id UInt64, data_version Int64, repos Int64, developers Int64, iterations Int64, \
            residual_bits Int64, computed_at Int64) ENGINE = MergeTree ORDER BY (scope, month, run_id)
            """),
        // Git repository records: the row with the highest version is current.
        ("git_repos", """
            (id Int64, version UInt64, platform String, name String, head Nullable(String), source Nullable(String), \
            licence Nullable(String), mailmap Nullable(String), updated_at Int64) ENGINE = MergeTree ORDER BY (id, version)
            """),
        ("git_people", "(id Int64, name String, email String) ENGINE = ReplacingMergeTree ORDER BY id"),
        // Labels: a generation is written whole, then listed; the newest listed one counts.
        ("labels", "(gen UInt64, id String, type String, name String, name_zh Nullable(String), code Nullable(String)) ENGINE = MergeTree ORDER BY (gen, id)"),
        ("label_children", "(gen UInt64, label_id String, child_id String) ENGINE = MergeTree ORDER BY (gen, label_id, child_id)"),
        ("label_members", """
            (gen UInt64, label_id String, platform String, kind String, entity_id Nullable(Int64), name String) \
            ENGINE = MergeTree ORDER BY (gen, label_id, platform, kind, name)
            """),
        ("label_generations", "(gen UInt64) ENGINE = MergeTree ORDER BY gen"),
        ("organisation_domains", """
            (domain String, version UInt64, organisation String, label_id Nullable(String), country Nullable(String)) \
            ENGINE = MergeTree ORDER BY (domain, version)
            """),
        // Hub snapshots: a run's rows, then its ledger row (`hub_runs`); a read keeps, per model
        // and date, the newest listed run that carried the model, unless a newer run listed the
        // model's author in full without it. Tags and authors are joined with U+001F.
        ("hub_models", """
            (run UInt64, date Int64, model_id String, author String, created_at Nullable(String), last_modified Nullable(String), \
            downloads Nullable(Int64), downloads_all_time Nullable(Int64), likes Nullable(Int64), tags String, \
            pipeline_tag Nullable(String), library_name Nullable(String), gated Nullable(String), parameters Nullable(Int64), \
            licence_name Nullable(String)) ENGINE = MergeTree ORDER BY (model_id, date, run)
            """),
        ("hub_runs", "(run UInt64, date Int64, authors String, source String, models Int64, derivatives_of String) ENGINE = MergeTree ORDER BY run"),
        ("hub_organisations", "(organisation String, version UInt64, label_id String) ENGINE = MergeTree ORDER BY (organisation, version)"),
        // Forge API records of repositories: the row with the highest version per repository counts.
        ("forge_repositories", """
            (platform String, name String, version UInt64, forge_id Nullable(Int64), description Nullable(String), homepage Nullable(String), \
            is_fork UInt8, parent Nullable(String), is_mirror UInt8, mirror_of Nullable(String), created_at Nullable(String), \
            pushed_at Nullable(String), read_at Int64) ENGINE = MergeTree ORDER BY (platform, name, version)
            """),
        // Declared licences read from clones: the row with the highest version per repository counts.
        ("repo_licences", """
            (platform String, name String, version UInt64, expression Nullable(String), licences String, head String, read_at Int64, \
            changes String) ENGINE = MergeTree ORDER BY (platform, name, version)
            """),
    ]
}

/// ClickHouse's SQL `intHash64` (MurmurHash3's finaliser over the value xor a constant), so
/// that kaiyuan routes a row to the shard the `Distributed` table's sharding key names.
@inline(__always)
func intHash64(_ v: Int64) -> UInt64 {
    var x = UInt64(bitPattern: v) ^ 0x4CF2D2BAAE6DA887
    x ^= x >> 33
    x = x &* 0xff51afd7ed558ccd
    x ^= x >> 33
    x = x &* 0xc4ceb9fe1a85ec53
    x ^= x >> 33
    return x
}
