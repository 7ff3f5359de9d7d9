import KaiyuanCore
import KaiyuanStore
import KaiyuanStoreClickHouse
import KaiyuanStoreSQLite

/// Opens the store a location names. `readOnly` opens an existing store without creating or
/// migrating anything (the server, `show`, `rank`); otherwise the store is created or
/// upgraded as needed.
public func openStore(_ location: StoreLocation, readOnly: Bool) throws -> any DataStore {
    switch location {
    case let .sqlite(path): try SQLiteStore(path: path, readOnly: readOnly)
    case let .clickhouse(c): try ClickHouseStore(c, readOnly: readOnly)
    }
}
