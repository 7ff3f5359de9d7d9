import ArgumentParser
import KaiyuanOutputs
import KaiyuanStore

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Say what the store holds.")

    @OptionGroup var store: StoreOptions

    @Option(help: "table, json or csv.")
    var format: OutputFormat = .table

    func run() async throws {
        let db = try store.open(readOnly: true)
        let s = try db.summary()
        let histories = try db.gitRepositories()
        var table = DataTable(title: format == .table ? store.path : nil, columns: ["what", "value"])
        table.rows = [
            [.text("files ingested"), .number(Double(s.files))],
            [.text("events"), .number(Double(s.events))],
            [.text("repositories"), .number(Double(s.repositories))],
            [.text("developers"), .number(Double(s.developers))],
            [.text("stored facts"), .number(Double(s.facts))],
            [.text("first month"), s.firstMonth.map { .text($0) } ?? .empty],
            [.text("last month"), s.lastMonth.map { .text($0) } ?? .empty],
            [.text("git histories"), .number(Double(histories.filter { $0.commits > 0 }.count))],
            [.text("commits"), .number(Double(histories.reduce(0) { $0 + $1.commits }))],
            [.text("labels"), .number(Double(try db.labels().count))],
        ]
        let hub = try db.hubSnapshotDates()
        table.rows.append([.text("hugging face snapshots"), .number(Double(hub.count))])
        if let last = hub.last {
            table.rows.append([.text("hugging face models (newest snapshot)"), .number(Double(last.models))])
            table.rows.append([.text("newest snapshot"), .text(last.date.description)])
        }
        print(table.render(format))
    }
}
