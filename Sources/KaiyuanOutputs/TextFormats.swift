import Foundation

/// JSON text for strings and numbers, written by hand so numbers come out as OpenDigger
/// writes them: `12`, not `12.0`; `3.14`, not `3.1400000000000001`.
public enum JSONText {
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

public enum CSVText {
    /// RFC 4180 quoting, only where needed.
    public static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}

/// The output formats of data commands.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv
}

/// A rectangular result: column names and rows of cells. Every data command builds one and
/// renders it in the format the user asked for.
public struct DataTable: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        case empty
    }

    public var title: String?
    public var columns: [String]
    public var rows: [[Cell]]

    public init(title: String? = nil, columns: [String], rows: [[Cell]] = []) {
        self.title = title; self.columns = columns; self.rows = rows
    }

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: renderTable()
        case .csv: renderCSV()
        case .json: renderJSON()
        }
    }

    static func display(_ cell: Cell) -> String {
        switch cell {
        case let .text(s): s
        case let .number(x): x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(format: "%.2f", x)
        case .empty: ""
        }
    }

    /// Aligned columns, numbers to the right; widths count East Asian characters as two.
    func renderTable() -> String {
        let cells = rows.map { $0.map(Self.display) }
        var widths = columns.map(Self.width)
        for row in cells { for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], Self.width(c)) } }
        func pad(_ s: String, _ w: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, w - Self.width(s)))
            return right ? fill + s : s + fill
        }
        let numeric = columns.indices.map { i in rows.contains { if case .number = $0[i] { true } else { false } } }
        var lines: [String] = []
        if let title { lines.append(title) }
        lines.append(columns.enumerated().map { pad($1, widths[$0], right: numeric[$0]) }.joined(separator: "  "))
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for row in cells {
            lines.append(row.enumerated().map { pad($1, widths[$0], right: numeric[$0]) }.joined(separator: "  "))
        }
        return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n")
    }

    func renderCSV() -> String {
        var out = columns.map(CSVText.field).joined(separator: ",") + "\n"
        for row in rows {
            out += row.map { cell -> String in
                switch cell {
                case let .number(x): JSONText.number(x)
                default: CSVText.field(Self.display(cell))
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// An array of objects keyed by column name.
    func renderJSON() -> String {
        let objects = rows.map { row in
            "{" + zip(columns, row).map { name, cell -> String in
                let value: String
                switch cell {
                case let .text(s): value = JSONText.string(s)
                case let .number(x): value = JSONText.number(x)
                case .empty: value = "null"
                }
                return "\(JSONText.string(name)):\(value)"
            }.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]"
    }

    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            switch u.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD: w + 2
            default: w + 1
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Writes exports' many small files with plain open/write/close: Foundation's `Data.write`
/// fsyncs every file, which made an export of 40,000 files take 40 s instead of 2.
/// A file or folder that could not be written, with the system's reason.
struct TextFileError: Error, CustomStringConvertible {
    var path: String
    var code: Int32
    var description: String { "\(path): \(String(cString: strerror(code)))" }
    /// A name the file system cannot hold: that one entity is skipped, the export goes on.
    var isBadName: Bool { code == ENAMETOOLONG || code == EILSEQ }
}

enum TextFile {
    /// mkdir(2), where it is not there yet (FileManager stats every parent on the way).
    static func makeDirectory(_ url: URL) throws {
        if mkdir(url.path, 0o755) != 0 && errno != EEXIST { throw TextFileError(path: url.path, code: errno) }
    }

    static func write(_ text: String, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw TextFileError(path: url.path, code: errno) }
        defer { close(fd) }
        var text = text
        try text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TextFileError(path: url.path, code: errno)
                }
                done += n
            }
        }
    }
}

/// The terminal's width: the window size of standard output, else `$COLUMNS`, else 100.
public enum TerminalWidth {
    public static func columns() -> Int {
        var size = winsize()
        if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 20 { return c }
        return 100
    }
}
