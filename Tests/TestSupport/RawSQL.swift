import GRDB

/// Runs SQL on a SQLite store through a connection of its own: for tests that must make the
/// store misbehave (a trigger that refuses one file), which no store method would do.
public func runSQL(_ sql: String, onStoreAt path: String) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.write { try $0.execute(sql: sql) }
}
