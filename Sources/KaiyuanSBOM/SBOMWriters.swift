import Foundation
import KaiyuanCore
import KaiyuanLicences

/// SPDX 2.3 JSON.
public enum SPDXWriter {
    struct Document: Encodable {
        var spdxVersion = "SPDX-2.3"
        var dataLicense = "CC0-1.0"
        var SPDXID = "SPDXRef-DOCUMENT"
        var name: String
        var documentNamespace: String
        var creationInfo: CreationInfo
        var packages: [Package]
        var files: [File]?
        var relationships: [Relationship]
        var hasExtractedLicensingInfos: [ExtractedLicence]?
    }
    struct CreationInfo: Encodable { var created: String; var creators: [String] }
    struct Package: Encodable {
        var SPDXID: String
        var name: String
        var versionInfo: String?
        var downloadLocation = "NOASSERTION"
        var filesAnalyzed: Bool
        var packageVerificationCode: VerificationCode?
        var licenseConcluded: String
        var licenseDeclared: String
        var copyrightText = "NOASSERTION"
        var primaryPackagePurpose: String?
        var externalRefs: [ExternalRef]?
        var checksums: [Checksum]?
        var comment: String?
    }
    struct VerificationCode: Encodable { var packageVerificationCodeValue: String }
    struct ExternalRef: Encodable { var referenceCategory = "PACKAGE-MANAGER"; var referenceType = "purl"; var referenceLocator: String }
    struct Checksum: Encodable { var algorithm: String; var checksumValue: String }
    struct File: Encodable {
        var fileName: String
        var SPDXID: String
        var checksums: [Checksum]
        var licenseConcluded = "NOASSERTION"
        var licenseInfoInFiles: [String]
        var copyrightText = "NOASSERTION"
    }
    struct Relationship: Encodable { var spdxElementId: String; var relationshipType: String; var relatedSpdxElement: String }
    struct ExtractedLicence: Encodable { var licenseId: String; var extractedText: String; var name: String }

    public static func write(_ sbom: SBOM, index: LicenceIndex) -> String {
        var refs = Set<String>()
        func expression(_ raw: String?) -> String {
            guard let e = SBOM.validExpression(raw, index: index) else { return "NOASSERTION" }
            for atom in LicenceExpression.atoms(e) { for p in atom.components(separatedBy: " WITH ") where p.hasPrefix("LicenseRef-") { refs.insert(p) } }
            return e
        }
        let rootLicence = expression(sbom.licence)
        var files: [File]?
        var verification: VerificationCode?
        var relationships = [Relationship(spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: "SPDXRef-Root")]
        if let list = sbom.files {
            files = list.enumerated().map { n, f in
                let ids = f.licences.map { $0.components(separatedBy: " WITH ")[0] }
                    .filter { SBOM.isValidID($0, index: index) && index.licence(spdx: $0)?.isException != true }
                for id in ids where id.hasPrefix("LicenseRef-") { refs.insert(id) }
                return File(fileName: "./" + f.path, SPDXID: "SPDXRef-File-\(n + 1)", checksums: [Checksum(algorithm: "SHA1", checksumValue: f.sha1)],
                            licenseInfoInFiles: ids.isEmpty ? ["NOASSERTION"] : Array(Set(ids)).sorted())
            }
            // SPDX 2.3 §7.9: SHA-1 of the sorted file SHA-1s, concatenated.
            verification = VerificationCode(packageVerificationCodeValue: SHA1.hex(Array(list.map(\.sha1).sorted().joined().utf8)))
            for n in list.indices { relationships.append(Relationship(spdxElementId: "SPDXRef-Root", relationshipType: "CONTAINS", relatedSpdxElement: "SPDXRef-File-\(n + 1)")) }
        }
        var packages = [Package(SPDXID: "SPDXRef-Root", name: sbom.name, versionInfo: sbom.version, filesAnalyzed: sbom.files != nil,
                                packageVerificationCode: verification, licenseConcluded: rootLicence, licenseDeclared: rootLicence,
                                primaryPackagePurpose: "APPLICATION", comment: "Licence from kaiyuan's detection in the top-level licence files and manifests.")]
        for (n, c) in sbom.components.enumerated() {
            let id = "SPDXRef-Package-\(n + 1)"
            let declared = expression(c.licence)
            var comment: [String] = ["From \(c.source)."]
            if let constraint = c.constraint { comment.append("Version range \(constraint); no exact version is pinned.") }
            if c.licence != nil && declared == "NOASSERTION" { comment.append("Declared licence, not an SPDX expression: \(c.licence!).") }
            packages.append(Package(SPDXID: id, name: c.displayName, versionInfo: c.version, filesAnalyzed: false,
                                    licenseConcluded: "NOASSERTION", licenseDeclared: declared,
                                    primaryPackagePurpose: "LIBRARY", externalRefs: [ExternalRef(referenceLocator: c.purl)],
                                    checksums: SBOMChecksum.of(c).map { [Checksum(algorithm: $0.spdx, checksumValue: $0.hex)] }, comment: comment.joined(separator: " ")))
            relationships.append(c.development
                ? Relationship(spdxElementId: id, relationshipType: "DEV_DEPENDENCY_OF", relatedSpdxElement: "SPDXRef-Root")
                : Relationship(spdxElementId: "SPDXRef-Root", relationshipType: "DEPENDS_ON", relatedSpdxElement: id))
        }
        let extracted = refs.sorted().map { ref -> ExtractedLicence in
            if let known = index.licence(spdx: ref) {
                return ExtractedLicence(licenseId: ref, extractedText: "The licence ScanCode's LicenseDB calls \(known.key): https://scancode-licensedb.aboutcode.org/\(known.key).html", name: known.name)
            }
            return ExtractedLicence(licenseId: ref, extractedText: "Named in the project's files; kaiyuan's licence index has no text for it.", name: ref)
        }
        let doc = Document(name: sbom.name, documentNamespace: "https://spdx.kaiyuan.dev/\(PackageURL.encode(sbom.name))-\(sbom.fingerprint)",
                           creationInfo: CreationInfo(created: SBOM.timestamp(sbom.created), creators: ["Tool: kaiyuan-\(KaiyuanVersion.current)"]),
                           packages: packages, files: files, relationships: relationships, hasExtractedLicensingInfos: extracted.isEmpty ? nil : extracted)
        return encode(doc)
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(value)) ?? Data(), as: UTF8.self) + "\n"
    }
}

/// CycloneDX 1.6 JSON.
public enum CycloneDXWriter {
    struct BOM: Encodable {
        var schema = "http://cyclonedx.org/schema/bom-1.6.schema.json"
        var bomFormat = "CycloneDX"
        var specVersion = "1.6"
        var serialNumber: String
        var version = 1
        var metadata: Metadata
        var components: [Component]
        var dependencies: [Dependency]
        enum CodingKeys: String, CodingKey { case schema = "$schema", bomFormat, specVersion, serialNumber, version, metadata, components, dependencies }
    }
    struct Metadata: Encodable { var timestamp: String; var tools: Tools; var component: Component }
    struct Tools: Encodable { var components: [Tool] }
    struct Tool: Encodable { var type = "application"; var name = "kaiyuan"; var version = KaiyuanVersion.current }
    struct Component: Encodable {
        var type: String
        var bomRef: String
        var group: String?
        var name: String
        var version: String?
        var scope: String?
        var purl: String?
        var licenses: [Licence]?
        var hashes: [Hash]?
        var properties: [Property]?
        enum CodingKeys: String, CodingKey { case type, bomRef = "bom-ref", group, name, version, scope, purl, licenses, hashes, properties }
    }
    struct Licence: Encodable {
        var expression: String?
        var license: Named?
    }
    struct Named: Encodable { var name: String }
    struct Hash: Encodable { var alg: String; var content: String }
    struct Property: Encodable { var name: String; var value: String }
    struct Dependency: Encodable { var ref: String; var dependsOn: [String] }

    static func licences(_ raw: String?, index: LicenceIndex) -> [Licence]? {
        guard let raw, !raw.isEmpty else { return nil }
        if let e = SBOM.validExpression(raw, index: index) { return [Licence(expression: e)] }
        return [Licence(license: Named(name: raw))]
    }

    public static func write(_ sbom: SBOM, index: LicenceIndex) -> String {
        let fp = sbom.fingerprint
        // A name-based UUID (version 5 layout) from the fingerprint: stable for the same input.
        var hex = Array(fp.prefix(32))
        hex[12] = "5"
        hex[16] = ["8", "9", "a", "b"][Int(String(hex[16]), radix: 16)! & 3]
        let h = String(hex)
        let uuid = [h.prefix(8), h.dropFirst(8).prefix(4), h.dropFirst(12).prefix(4), h.dropFirst(16).prefix(4), h.dropFirst(20)].joined(separator: "-")
        let root = Component(type: "application", bomRef: "root", name: sbom.name, version: sbom.version, licenses: licences(sbom.licence, index: index))
        var components: [Component] = []
        var refs: [String] = []
        for c in sbom.components {
            var ref = c.purl
            var k = 2
            while refs.contains(ref) { ref = c.purl + "#\(k)"; k += 1 }
            refs.append(ref)
            var props = [Property(name: "kaiyuan:source", value: c.source)]
            if let constraint = c.constraint { props.append(Property(name: "kaiyuan:version-range", value: constraint)) }
            components.append(Component(type: "library", bomRef: ref, group: c.namespace, name: c.name, version: c.version,
                                        scope: c.development ? "excluded" : "required", purl: c.purl, licenses: licences(c.licence, index: index),
                                        hashes: SBOMChecksum.of(c).map { [Hash(alg: $0.cyclonedx, content: $0.hex)] }, properties: props))
        }
        for (n, f) in (sbom.files ?? []).enumerated() {
            let ids = f.licences.compactMap { SBOM.validExpression($0, index: index) }
            components.append(Component(type: "file", bomRef: "file-\(n + 1)", name: f.path,
                                        licenses: ids.isEmpty ? nil : [Licence(expression: LicenceExpression.all(ids.map { $0.contains(" ") ? "(\($0))" : $0 })!)],
                                        hashes: [Hash(alg: "SHA-1", content: f.sha1)]))
        }
        let bom = BOM(serialNumber: "urn:uuid:" + uuid,
                      metadata: Metadata(timestamp: SBOM.timestamp(sbom.created), tools: Tools(components: [Tool()]), component: root),
                      components: components,
                      dependencies: [Dependency(ref: "root", dependsOn: refs)] + refs.map { Dependency(ref: $0, dependsOn: []) })
        return SPDXWriter.encode(bom)
    }
}

/// A lockfile's checksum in the form both formats take: an algorithm and lower-case hex.
enum SBOMChecksum {
    static func of(_ c: KaiyuanSBOM.Component) -> (spdx: String, cyclonedx: String, hex: String)? {
        guard let raw = c.checksum else { return nil }
        func isHex(_ s: String, _ n: Int) -> Bool { s.count == n && s.allSatisfy(\.isHexDigit) }
        for (prefix, spdx, cdx, n) in [("sha512-", "SHA512", "SHA-512", 128), ("sha384-", "SHA384", "SHA-384", 96), ("sha256-", "SHA256", "SHA-256", 64), ("sha1-", "SHA1", "SHA-1", 40)]
            where raw.hasPrefix(prefix) {
            guard let data = Data(base64Encoded: String(raw.dropFirst(prefix.count))) else { return nil }
            let hex = data.map { String($0, radix: 16).leftPadded(2) }.joined()
            return isHex(hex, n) ? (spdx, cdx, hex) : nil
        }
        let lower = raw.lowercased()
        if isHex(lower, 64) { return ("SHA256", "SHA-256", lower) }   // Cargo.lock
        if isHex(lower, 40) { return ("SHA1", "SHA-1", lower) }       // a git revision (Package.resolved)
        return nil
    }
}
