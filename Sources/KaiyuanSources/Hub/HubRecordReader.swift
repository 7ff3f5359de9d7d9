import Foundation
import KaiyuanCore

/// Something wrong with one hub record, page or line, named so a user can find it
/// (`models.jsonl.gz:1234`, or a URL).
public struct HubProblem: Sendable, Equatable, CustomStringConvertible {
    public var place: String
    public var detail: String
    public init(place: String, detail: String) { self.place = place; self.detail = detail }
    public var description: String { "\(place): \(detail)" }
}

/// Turns the Hub's JSON for a model (the `/api/models` list shape of any year: `modelId` in
/// 2022, `id` and `author` now) into a `HubModel`. A record without an id is refused; a bad
/// field (a negative or non-numeric count, a date that is not one, a tag that is not text, a
/// `base_model:` tag with an unknown relation) is dropped and named, and the rest is kept.
public enum HubRecordReader {
    public static func model(from object: Any, place: String, problems: inout [HubProblem]) -> HubModel? {
        guard let o = object as? [String: Any] else {
            problems.append(HubProblem(place: place, detail: "not a JSON object: skipped")); return nil
        }
        guard let id = (o["id"] as? String) ?? (o["modelId"] as? String) else {
            problems.append(HubProblem(place: place, detail: "a model without an id (`id` or `modelId`): skipped")); return nil
        }
        if let why = invalid(id: id) {
            problems.append(HubProblem(place: place, detail: "model id \(String(id.prefix(80)).debugDescription) \(why): skipped")); return nil
        }
        func count(_ key: String) -> Int64? {
            guard let v = o[key], !(v is NSNull) else { return nil }
            // JSONSerialization gives NSNumber for numbers and for booleans alike.
            if let n = v as? NSNumber, !isBoolean(n), let i = Int64(exactly: n.doubleValue) {
                if i >= 0 { return i }
                problems.append(HubProblem(place: place, detail: "\(id): \(key) \(i) is negative: left out"))
                return nil
            }
            problems.append(HubProblem(place: place, detail: "\(id): \(key) \(String(describing: v).prefix(40)) is not a count: left out"))
            return nil
        }
        func text(_ v: Any?) -> String? { (v as? String).map(clean) }
        func date(_ key: String) -> String? {
            guard let v = o[key], !(v is NSNull) else { return nil }
            if let s = v as? String, Day(s) != nil { return s }
            problems.append(HubProblem(place: place, detail: "\(id): \(key) \(String(describing: v).prefix(40)) is not a date: left out"))
            return nil
        }
        var tags: [String] = []
        if let raw = o["tags"] as? [Any] {
            for t in raw {
                guard let s = t as? String else {
                    problems.append(HubProblem(place: place, detail: "\(id): a tag that is not text (\(String(describing: t).prefix(40))): left out")); continue
                }
                tags.append(clean(s))
            }
        } else if let v = o["tags"], !(v is NSNull) {
            problems.append(HubProblem(place: place, detail: "\(id): tags is not a list: left out"))
        }
        let tagged = HubModel(id: id, tags: tags)  // for its tag readers
        for bad in tagged.unknownBaseModelTags {
            problems.append(HubProblem(place: place, detail: "\(id): unknown tag \(bad) (relations are \(HubRelation.allCases.dropLast().map(\.rawValue).joined(separator: ", "))): left out"))
            tags.removeAll { $0 == bad }
        }
        let card = o["cardData"] as? [String: Any]
        var licenceName = text(card?["license_name"])
        if licenceName == nil, let names = card?["license_name"] as? [Any] { licenceName = names.compactMap(text).first }
        if let licence = tagged.licenceTag, !HubLicence.isKnown(licence) {
            problems.append(HubProblem(place: place, detail: "\(id): licence tag license:\(licence) is not one kaiyuan knows: counted as other"))
        }
        var gated: String?
        switch o["gated"] {
        case let b as NSNumber where isBoolean(b): gated = b.boolValue ? "true" : "false"
        case let s as String: gated = clean(s)
        default: gated = nil
        }
        var parameters: Int64?
        if let st = o["safetensors"] as? [String: Any], let total = st["total"], !(total is NSNull) {
            if let n = total as? NSNumber, !isBoolean(n), let p = Int64(exactly: n.doubleValue), p >= 0 { parameters = p }
            else { problems.append(HubProblem(place: place, detail: "\(id): safetensors.total \(String(describing: total).prefix(40)) is not a count: left out")) }
        }
        let author = text(o["author"]).flatMap { $0.isEmpty ? nil : $0 } ?? HubModel.author(of: id)
        return HubModel(id: id, author: author, createdAt: date("createdAt"), lastModified: date("lastModified"),
                        downloads: count("downloads"), downloadsAllTime: count("downloadsAllTime"), likes: count("likes"),
                        tags: tags, pipelineTag: text(o["pipeline_tag"]), libraryName: text(o["library_name"]),
                        gated: gated, parameters: parameters, licenceName: licenceName)
    }

    /// JSONSerialization gives NSNumber for booleans too; theirs say `c`.
    static func isBoolean(_ n: NSNumber) -> Bool { n.objCType.pointee == CChar(UInt8(ascii: "c")) }

    /// Why an id cannot be a model's: `ORG/NAME` or a bare canonical name, no spaces or control
    /// characters. (Ids of over 200 characters are real: the Hub of 2021 had them.)
    static func invalid(id: String) -> String? {
        if id.isEmpty { return "is empty" }
        if id.utf8.count > 1024 { return "is longer than 1024 bytes" }
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 2 || parts.contains(where: \.isEmpty) { return "is not ORG/NAME" }
        if !id.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value != 127 }) { return "holds spaces or control characters" }
        return nil
    }

    /// Text as stored: without the separator a store joins tags with, and without NULs.
    static func clean(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value == 0x1F || $0.value == 0 }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value != 0x1F && $0.value != 0 }))
    }
}

/// A saved listing, one model a line (`models-2022.jsonl.gz`): gzip or plain. A damaged gzip
/// stream or a file cut mid-line throws, so a partial listing is never stored as a snapshot
/// (it would read as models deleted); a bad line inside a sound file is skipped and named.
public struct HubModelsFile {
    public var models: [HubModel] = []
    public var problems: [HubProblem] = []
    public var lines = 0

    public init(path: String) throws {
        let source = try openEventFile(path: path)
        defer { source.close() }
        var reader = LineReader(source: source, path: path)
        let name = (path as NSString).lastPathComponent
        var index: [String: Int] = [:]
        var firstLine: [String: Int] = [:]
        var lastBad = 0
        var problems: [HubProblem] = []
        var models: [HubModel] = []
        try reader.forEachLine { line, number in
            lines = number
            let place = "\(name):\(number)"
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) else {
                lastBad = number
                problems.append(HubProblem(place: place, detail: "not JSON: skipped")); return
            }
            guard let model = HubRecordReader.model(from: object, place: place, problems: &problems) else { return }
            if let at = index[model.id] {
                problems.append(HubProblem(place: place, detail: "\(model.id) again (first on line \(firstLine[model.id]!)): the later record kept"))
                models[at] = model
            } else {
                index[model.id] = models.count
                firstLine[model.id] = number
                models.append(model)
            }
        }
        for long in reader.overlongLines {
            problems.append(HubProblem(place: "\(name):\(long.line)", detail: "a line of \(long.bytes) bytes, longer than any model record: skipped"))
        }
        // A listing cut inside an over-long line is cut short: stored, it would read as deleted models.
        if reader.endedInOverlongLine, let last = reader.overlongLines.last {
            throw SourceError.endsMidLine(path: path, line: last.line)
        }
        lines = max(lines, reader.overlongLines.last?.line ?? 0)
        if reader.endedMidLine && lastBad == lines && lastBad > 0 {
            throw SourceError.endsMidLine(path: path, line: lastBad)
        }
        self.models = models
        self.problems = problems
    }
}
