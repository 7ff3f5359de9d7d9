import Foundation
/// Licence expressions: ScanCode keys to SPDX, the atoms of an expression, and several
/// expressions joined.
public enum LicenceExpression {
    /// A ScanCode expression (`gpl-2.0 WITH classpath-exception-2.0`) in SPDX ids.
    public static func spdx(_ keys: String, index: LicenceIndex) -> String {
        render(parts(keys)) { word in
            index.licence(key: word)?.spdx ?? (word.hasPrefix("LicenseRef-") ? word : "LicenseRef-scancode-" + word)
        }
    }

    /// An SPDX expression with each id in its canonical case (`apache-2.0` → `Apache-2.0`);
    /// ids the index lacks are kept as written.
    public static func canonical(_ expression: String, index: LicenceIndex) -> String {
        render(parts(expression)) { word in index.licence(spdx: word)?.spdx ?? word }
    }

    /// The licences an expression names, `X WITH Y` kept together, in order, once each.
    public static func atoms(_ expression: String) -> [String] {
        var out: [String] = []
        let p = parts(expression)
        var k = 0
        while k < p.count {
            let w = p[k]
            if w == "(" || w == ")" || isOperator(w) { k += 1; continue }
            var atom = w
            if k + 2 < p.count && p[k + 1].uppercased() == "WITH" { atom += " WITH " + p[k + 2]; k += 2 }
            if !out.contains(atom) { out.append(atom) }
            k += 1
        }
        return out
    }

    /// Several expressions that all apply: `A AND B`, compound ones in parentheses, each once.
    public static func all(_ expressions: [String]) -> String? {
        var seen: [String] = []
        for e in expressions where !seen.contains(e) { seen.append(e) }
        guard !seen.isEmpty else { return nil }
        if seen.count == 1 { return seen[0] }
        return seen.map { e in parts(e).contains { $0.uppercased() == "OR" } ? "(" + e + ")" : e }.joined(separator: " AND ")
    }

    /// Words, operators (upper case) and parentheses, in order.
    public static func atomsAndOperators(_ s: String) -> [String] {
        parts(s).map { isOperator($0) ? $0.uppercased() : $0 }
    }

    static func isOperator(_ w: String) -> Bool {
        let u = w.uppercased()
        return u == "AND" || u == "OR" || u == "WITH"
    }

    /// Words, operators and parentheses.
    static func parts(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        for ch in s {
            if ch == "(" || ch == ")" || ch == " " || ch == "\t" {
                if !cur.isEmpty { out.append(cur); cur = "" }
                if ch != " " && ch != "\t" { out.append(String(ch)) }
            } else {
                cur.append(ch)
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static func render(_ parts: [String], _ id: (String) -> String) -> String {
        var out = ""
        for p in parts {
            let word: String
            if p == "(" || p == ")" { word = p } else if isOperator(p) { word = p.uppercased() } else { word = id(p) }
            if word == ")" || out.isEmpty || out.hasSuffix("(") { out += word } else { out += " " + word }
        }
        return out
    }
}

/// `SPDX-License-Identifier:` tags.
enum SPDXTag {
    /// The text of the numbered lines (lossy UTF-8).
    static func lines(of text: UnsafeBufferPointer<UInt8>, numbers: Set<Int32>) -> [(Int, String)] {
        var out: [(Int, String)] = []
        var line: Int32 = 1
        var start = 0
        for i in 0...text.count {
            if i == text.count || text[i] == 0x0A {
                if numbers.contains(line) { out.append((Int(line), String(decoding: UnsafeBufferPointer(rebasing: text[start..<i]), as: UTF8.self))) }
                line += 1
                start = i + 1
            }
        }
        return out
    }

    /// The expression a tag line declares, or nil when the line holds no well-formed one.
    static func expression(in line: String) -> String? {
        guard let r = line.range(of: "spdx-license-identifier", options: .caseInsensitive) else { return nil }
        var rest = line[r.upperBound...].drop { $0 == " " || $0 == ":" || $0 == "\t" }
        // What follows the expression in a comment or string: closers and quotes.
        for closer in ["*/", "-->", "#}", "%>", "\"", "'", "`", ";", ","] {
            if let c = rest.range(of: closer) { rest = rest[..<c.lowerBound] }
        }
        var text = String(rest).trimmingCharacters(in: .whitespaces)
        while let last = text.last, last == "." || last == ":" { text.removeLast() }   // a sentence's full stop
        let words = LicenceExpression.parts(text)
        guard !words.isEmpty else { return nil }
        var depth = 0
        var expectID = true
        for w in words {
            switch w {
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return nil }
            default:
                if LicenceExpression.isOperator(w) {
                    if expectID { return nil }
                    expectID = true
                } else {
                    guard expectID, w.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.+:".contains($0)) }) else { return nil }
                    expectID = false
                }
            }
        }
        guard depth == 0, !expectID else { return nil }
        return LicenceExpression.render(words) { $0 }
    }
}
