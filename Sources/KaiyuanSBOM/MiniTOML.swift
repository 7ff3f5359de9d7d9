/// The part of TOML that manifests and lockfiles use: `[table]`, `[[array.of.tables]]`,
/// `key = "string" | 'string' | number | true | [strings…] | { inline = "table" }`, comments,
/// arrays over several lines. Enough for Cargo.toml, Cargo.lock, pyproject.toml and
/// poetry.lock; anything else on a line is kept as its raw text, never an error.
struct MiniTOML {
    enum Value: Equatable {
        case string(String)
        case array([Value])
        case table([String: Value])
        case raw(String)

        var string: String? { if case let .string(s) = self { return s }; if case let .raw(s) = self { return s }; return nil }
        var table: [String: Value]? { if case let .table(t) = self { return t }; return nil }
        var strings: [String] { if case let .array(a) = self { return a.compactMap(\.string) }; return [] }
    }

    /// A table as read: its dotted name, its keys, the line of each key.
    struct Table {
        var name: String
        var values: [String: Value] = [:]
        var lines: [String: Int] = [:]
        /// Keys in the order they appear (so output follows the file).
        var order: [String] = []
    }

    var tables: [Table] = []
    /// A value still open at the end of the text (an array or inline table never closed): its
    /// key and line. It is left out.
    var unclosed: (key: String, line: Int)?

    init(_ text: String) {
        var current = Table(name: "")
        var pending: (key: String, text: String, line: Int)?
        for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = MiniTOML.stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if var p = pending {
                p.text += " " + line
                if MiniTOML.balanced(p.text) {
                    current.values[p.key] = MiniTOML.value(p.text)
                    current.lines[p.key] = p.line
                    current.order.append(p.key)
                    pending = nil
                } else {
                    pending = p
                }
                continue
            }
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                tables.append(current)
                let name = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                current = Table(name: name)
                continue
            }
            guard let eq = MiniTOML.equalsOutsideQuotes(line) else { continue }
            let key = MiniTOML.unquote(String(line[..<eq]).trimmingCharacters(in: .whitespaces))
            let rest = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if MiniTOML.balanced(rest) {
                current.values[key] = MiniTOML.value(rest)
                current.lines[key] = n + 1
                current.order.append(key)
            } else {
                pending = (key, rest, n + 1)
            }
        }
        if let p = pending { unclosed = (p.key, p.line) }
        tables.append(current)
    }

    /// The problem to report for an unclosed value, naming the file and line.
    func problems(_ source: String) -> [String] {
        unclosed.map { ["\(source):\($0.line): the value of `\($0.key)` is never closed (an unclosed `[` or `{`); it was left out"] } ?? []
    }

    func tables(named name: String) -> [Table] { tables.filter { $0.name == name } }

    static func stripComment(_ s: String) -> String {
        var quote: Character?
        for (i, c) in zip(s.indices, s) {
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == "#" { return String(s[..<i]) }
        }
        return s
    }

    static func equalsOutsideQuotes(_ s: String) -> String.Index? {
        var quote: Character?
        for (i, c) in zip(s.indices, s) {
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == "=" { return i }
        }
        return nil
    }

    static func balanced(_ s: String) -> Bool {
        var depth = 0
        var quote: Character?
        for c in s {
            if let q = quote { if c == q { quote = nil }; continue }
            switch c {
            case "\"", "'": quote = c
            case "[", "{": depth += 1
            case "]", "}": depth -= 1
            default: break
            }
        }
        return depth <= 0
    }

    static func unquote(_ s: String) -> String {
        if s.count >= 2, let f = s.first, f == "\"" || f == "'", s.last == f { return String(s.dropFirst().dropLast()) }
        return s
    }

    static func value(_ s: String) -> Value {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("[") && t.hasSuffix("]") { return .array(split(String(t.dropFirst().dropLast())).map(value)) }
        if t.hasPrefix("{") && t.hasSuffix("}") {
            var table: [String: Value] = [:]
            for part in split(String(t.dropFirst().dropLast())) {
                guard let eq = equalsOutsideQuotes(part) else { continue }
                table[unquote(String(part[..<eq]).trimmingCharacters(in: .whitespaces))] = value(String(part[part.index(after: eq)...]))
            }
            return .table(table)
        }
        if let f = t.first, f == "\"" || f == "'", t.count >= 2, t.last == f { return .string(String(t.dropFirst().dropLast())) }
        return .raw(t)
    }

    /// Splits on commas outside quotes and brackets.
    static func split(_ s: String) -> [String] {
        var parts: [String] = []
        var cur = ""
        var depth = 0
        var quote: Character?
        for c in s {
            if let q = quote { cur.append(c); if c == q { quote = nil }; continue }
            switch c {
            case "\"", "'": quote = c; cur.append(c)
            case "[", "{": depth += 1; cur.append(c)
            case "]", "}": depth -= 1; cur.append(c)
            case "," where depth == 0:
                if !cur.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(cur.trimmingCharacters(in: .whitespaces)) }
                cur = ""
            default: cur.append(c)
            }
        }
        if !cur.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(cur.trimmingCharacters(in: .whitespaces)) }
        return parts
    }
}

import Foundation
