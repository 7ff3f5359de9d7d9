import Foundation
import TestSupport
import XCTest
@testable import KaiyuanLicences

final class LicenceTokenizerTests: XCTestCase {
    func testScanCodesWordsWithCJKCharactersApart() {
        XCTAssertEqual(LicenceTokenizer.tokens("GPL-2.0+ <b>Licensed</b> under the Apache&nbsp;License"),
                       ["gpl", "2", "0+", "b", "licensed", "b", "under", "the", "apache", "license"])
        XCTAssertEqual(LicenceTokenizer.tokens("反996许可证 Version 1.0"), ["反", "996", "许", "可", "证", "version", "1", "0"])
        XCTAssertEqual(LicenceTokenizer.tokens("Ünïcode_names <blockquote>"), ["ünïcode", "names"])
    }
}

/// The MIT licence as most projects ship it, and texts made from it.
enum Texts {
    static let mit = """
        Permission is hereby granted, free of charge, to any person obtaining a copy
        of this software and associated documentation files (the "Software"), to deal
        in the Software without restriction, including without limitation the rights
        to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
        copies of the Software, and to permit persons to whom the Software is
        furnished to do so, subject to the following conditions:

        The above copyright notice and this permission notice shall be included in all
        copies or substantial portions of the Software.

        THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
        IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
        FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
        AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
        LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
        OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
        SOFTWARE.
        """
    static let bsd3 = """
        Redistribution and use in source and binary forms, with or without
        modification, are permitted provided that the following conditions are met:

        1. Redistributions of source code must retain the above copyright notice, this
           list of conditions and the following disclaimer.

        2. Redistributions in binary form must reproduce the above copyright notice,
           this list of conditions and the following disclaimer in the documentation
           and/or other materials provided with the distribution.

        3. Neither the name of the copyright holder nor the names of its
           contributors may be used to endorse or promote products derived from
           this software without specific prior written permission.

        THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
        AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
        IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
        DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
        FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
        DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
        SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
        CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
        OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
        OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
        """
    /// A licence nobody wrote before: licence words, no known text.
    static let madeUp = """
        The Kaiyuan Test Licence, version 0. The licensor grants the licensee permission to
        redistribute this work on Tuesdays only, with no warranty and no liability of any
        kind, provided that the licensee sends the licensor a postcard every year; any other
        redistribution needs a separate license from the licensor.
        """
}

final class LicenceMatcherTests: XCTestCase {
    static let index = Result { try LicenceIndex.shared() }
    var matcher: LicenceMatcher { get throws { LicenceMatcher(index: try Self.index.get()) } }

    func scan(_ text: String) throws -> TextLicences {
        let m = try matcher
        return Array(text.utf8).withUnsafeBufferPointer { m.scan($0) }
    }

    func testTheIndexShipsWithKaiyuan() throws {
        let index = try Self.index.get()
        XCTAssertGreaterThan(index.licences.count, 2_000)
        XCTAssertGreaterThan(index.rules.count, 30_000)
        XCTAssertTrue(index.source.contains("CC-BY-4.0"), index.source)
        XCTAssertEqual(index.licence(spdx: "apache-2.0")?.spdx, "Apache-2.0")
        XCTAssertEqual(index.licence(spdx: "Apache-2.0")?.category, .permissive)
        XCTAssertEqual(index.licence(spdx: "MulanPSL-2.0")?.category, .permissive)
        XCTAssertEqual(index.licence(spdx: "GPL-3.0-only")?.category, .strongCopyleft)
        XCTAssertEqual(index.licence(spdx: "AGPL-3.0-only")?.category, .networkCopyleft)
        XCTAssertEqual(index.licence(spdx: "LGPL-2.1-only")?.category, .weakCopyleft)
        XCTAssertEqual(index.licence(spdx: "CC-BY-NC-4.0")?.category, .nonCommercial)
        XCTAssertEqual(index.licence(spdx: "CC0-1.0")?.category, .publicDomain)
        XCTAssertEqual(index.licence(spdx: "LicenseRef-scancode-llama-2-license-2023")?.category, .useRestricted)
        XCTAssertEqual(index.licence(spdx: "LicenseRef-kaiyuan-yi")?.category, .useRestricted)
        XCTAssertEqual(index.licence(spdx: "Apache-2.0")?.osiApproved, true)
        XCTAssertEqual(index.licence(spdx: "LicenseRef-scancode-llama-2-license-2023")?.osiApproved, false)
    }

    func testAWholeTextIsAnExactMatchWithItsLines() throws {
        let found = try scan("MIT licence of the Someone project\n\n" + Texts.mit + "\n")
        XCTAssertEqual(found.matches, [LicenceMatch(id: "MIT", score: 100, startLine: 3, endLine: 19, method: .exactText)])
        XCTAssertEqual(found.unknown, [])
    }

    func testAChangedTextIsANearMatchWithALowerScore() throws {
        let changed = Texts.mit.replacingOccurrences(of: "free of charge, ", with: "for a small fee of ten yuan, ")
            .replacingOccurrences(of: "sublicense, ", with: "")
        let found = try scan(changed)
        XCTAssertEqual(found.matches.map(\.id), ["MIT"])
        XCTAssertEqual(found.matches.first?.method, .nearText)
        XCTAssertLessThan(found.matches.first?.score ?? 100, 100)
        XCTAssertGreaterThan(found.matches.first?.score ?? 0, 90)
    }

    func testTwoLicencesInOneFileEachWithTheirLines() throws {
        let text = "Part one is under MIT:\n\n" + Texts.mit + "\n\nPart two is under BSD:\n\n" + Texts.bsd3 + "\n"
        let found = try scan(text)
        let ids = found.matches.filter { $0.method == .exactText || $0.method == .nearText }.map(\.id)
        XCTAssertEqual(ids, ["MIT", "BSD-3-Clause"], "\(found.matches)")
        let bsd = try XCTUnwrap(found.matches.first { $0.id == "BSD-3-Clause" })
        XCTAssertEqual(bsd.startLine, 23)
        XCTAssertEqual(bsd.endLine, 46)
    }

    func testNoticesAndTags() throws {
        let header = """
            // Copyright 2024 The Kaiyuan Authors
            //
            // Licensed under the Apache License, Version 2.0 (the "License");
            // you may not use this file except in compliance with the License.
            // You may obtain a copy of the License at
            //
            //     http://www.apache.org/licenses/LICENSE-2.0
            //
            // Unless required by applicable law or agreed to in writing, software
            // distributed under the License is distributed on an "AS IS" BASIS,
            // WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
            // See the License for the specific language governing permissions and
            // limitations under the License.
            import Foundation
            """
        let found = try scan(header)
        XCTAssertEqual(found.matches.map(\.id), ["Apache-2.0"])
        XCTAssertEqual(found.matches.first?.method, .notice)
        XCTAssertEqual(found.matches.first?.startLine, 3)

        let tagged = try scan("/* SPDX-License-Identifier: gpl-2.0-only OR mit */\nint main(void) { return 0; }\n")
        XCTAssertEqual(tagged.matches, [LicenceMatch(id: "GPL-2.0-only OR MIT", score: 100, startLine: 1, endLine: 1, method: .spdxTag)])
        XCTAssertEqual(try scan("# SPDX-License-Identifier: (Apache-2.0\n").matches.filter { $0.method == .spdxTag }, [], "a malformed tag declares nothing")
        XCTAssertEqual(try scan("This file's SPDX-License-Identifier: MIT.\n").matches.filter { $0.method == .spdxTag }.map(\.id), ["MIT"], "a sentence's full stop is no part of the id")
        XCTAssertEqual(try scan("// SPDX-License-Identifier: GPL-2.0+\n").matches.filter { $0.method == .spdxTag }.map(\.id), ["GPL-2.0-or-later"])
    }

    func testModelLicencesTheUsualDatabasesLack() throws {
        let found = try scan("Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.\n"
                             + "The Yi Series Models Community License Agreement applies to the weights.\n")
        let ids = Set(found.matches.map(\.id))
        XCTAssertTrue(ids.contains { $0.contains("llama-3.1") }, "\(ids)")
        XCTAssertTrue(ids.contains("LicenseRef-kaiyuan-yi"), "\(ids)")
    }

    func testUnknownLicenceTextIsReportedNotForced() throws {
        let found = try scan("# Licence\n\n" + Texts.madeUp + "\n")
        XCTAssertEqual(found.matches.filter { $0.method != .notice || $0.score == 100 }.map(\.id).filter { !$0.contains("unknown") && !$0.contains("warranty") }, [],
                       "a licence nobody knows is not one kaiyuan knows: \(found.matches)")
        XCTAssertEqual(found.unknown.count, 1, "\(found)")
        XCTAssertEqual(found.unknown, [UnknownLicenceText(startLine: 1, endLine: 6)], "the heading is part of it")
    }

    func testRealLicenceTextsFromTheSharedData() throws {
        let dir = try sharedData("data/licences")
        let expected = [
            "anti-996-license-1.0.txt": "LicenseRef-scancode-996-icu-1.0",
            "anti-996-license-1.0.zh-hans.txt": "LicenseRef-scancode-996-icu-1.0",
            "deepseek-license-agreement-1.0.txt": "LicenseRef-scancode-deepseek-la-1.0",
            "deepseek-v3-license-code.txt": "MIT",
            "tongyi-qianwen-license-agreement.txt": "LicenseRef-scancode-tongyi-qianwen-2023",
            "llama-2-community-license.txt": "LicenseRef-scancode-llama-2-license-2023",
        ]
        for (name, id) in expected {
            let found = try scan(String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8))
            XCTAssertEqual(found.matches.map(\.id), [id], name)
            XCTAssertEqual(found.matches.first?.score, 100, name)
            XCTAssertEqual(found.unknown, [], name)
        }
    }

    func testExpressions() throws {
        let index = try Self.index.get()
        XCTAssertEqual(LicenceExpression.spdx("gpl-2.0 WITH classpath-exception-2.0", index: index), "GPL-2.0-only WITH Classpath-exception-2.0")
        XCTAssertEqual(LicenceExpression.spdx("(mit OR apache-2.0) AND bsd-new", index: index), "(MIT OR Apache-2.0) AND BSD-3-Clause")
        XCTAssertEqual(LicenceExpression.atoms("(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0 AND MIT"),
                       ["MIT", "Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"])
        XCTAssertEqual(LicenceExpression.all(["Apache-2.0", "MIT OR Apache-2.0", "Apache-2.0"]), "Apache-2.0 AND (MIT OR Apache-2.0)")
        XCTAssertNil(LicenceExpression.all([]))
    }
}

final class LicenceCompatibilityTests: XCTestCase {
    func verdict(_ project: String, _ part: String) throws -> Compatibility {
        LicenceCompatibility.check(projectExpression: project, partExpression: part, index: try LicenceIndex.shared())
    }

    func isConflict(_ v: Compatibility) -> Bool { if case .conflict = v { return true }; return false }
    func isUnknown(_ v: Compatibility) -> Bool { if case .unknown = v { return true }; return false }

    func testTheRulesTable() throws {
        XCTAssertTrue(isConflict(try verdict("Apache-2.0", "GPL-2.0-only")), "GPL-only code in an Apache-2.0 project")
        XCTAssertTrue(isConflict(try verdict("MIT", "AGPL-3.0-only")), "an AGPL dependency of an MIT library")
        XCTAssertTrue(isConflict(try verdict("Apache-2.0", "LicenseRef-scancode-llama-2-license-2023")), "a model licence under an OSI project")
        XCTAssertTrue(isConflict(try verdict("GPL-3.0-only", "CC-BY-NC-4.0")), "non-commercial anywhere")
        XCTAssertTrue(isConflict(try verdict("GPL-2.0-only", "Apache-2.0")), "Apache-2.0's patent terms and GPL-2.0-only")
        XCTAssertTrue(isConflict(try verdict("GPL-2.0-only", "MulanPSL-2.0")))
        XCTAssertEqual(try verdict("GPL-3.0-or-later", "Apache-2.0"), .compatible)
        XCTAssertEqual(try verdict("MulanPSL-2.0", "Apache-2.0"), .compatible)
        XCTAssertEqual(try verdict("Apache-2.0", "MulanPSL-2.0"), .compatible)
        XCTAssertEqual(try verdict("MIT", "LGPL-2.1-only"), .compatible, "weak copyleft files keep their licence")
        XCTAssertEqual(try verdict("AGPL-3.0-only", "GPL-3.0-only"), .compatible)
        XCTAssertEqual(try verdict("GPL-2.0-only", "GPL-2.0-or-later"), .compatible, "or later joins GPL-2.0-only")
        XCTAssertEqual(try verdict("GPL-3.0-only", "GPL-2.0-or-later"), .compatible)
        XCTAssertTrue(isConflict(try verdict("GPL-2.0-only", "GPL-3.0-or-later")))
        XCTAssertTrue(isConflict(try verdict("GPL-3.0-only", "GPL-2.0-only")))
        XCTAssertTrue(isConflict(try verdict("LGPL-2.1-only", "GPL-2.0-only")), "GPL code in a weak-copyleft project")
        XCTAssertEqual(try verdict("GPL-2.0-only", "LGPL-2.1-or-later"), .compatible)
        XCTAssertEqual(try verdict("Apache-2.0", "MIT OR GPL-2.0-only"), .compatible, "one choice that works is enough")
        XCTAssertEqual(try verdict("MIT OR Apache-2.0", "Apache-2.0"), .compatible)
        XCTAssertTrue(isUnknown(try verdict("MIT", "LicenseRef-nobody-knows-this")), "no rule decides: unknown, not a guess")
        XCTAssertTrue(isConflict(try verdict("GPL-2.0-only AND (MIT OR BSD-3-Clause)", "Apache-2.0")), "GPL-2.0-only is in every choice")
        XCTAssertTrue(isConflict(try verdict("Apache-2.0", "GPL-2.0")), "SPDX's deprecated GPL-2.0 is GPL-2.0-only")
        XCTAssertEqual(try verdict("GPL-2.0+", "Apache-2.0"), .compatible, "GPL-2.0+ is GPL-2.0-or-later")
        XCTAssertTrue(isConflict(try verdict("GPL-3.0-or-later", "LicenseRef-scancode-llama-2-license-2023")), "-or-later is OSI as its -only form")
        XCTAssertTrue(isUnknown(try verdict("LicenseRef-scancode-llama-2-license-2023", "LicenseRef-scancode-proprietary-license")), "neither side is open source")
        XCTAssertTrue(isConflict(try verdict("GPL-2.0-only", "EPL-1.0")), "the FSF's GPL-incompatible file-level copyleft")
        XCTAssertEqual(try verdict("GPL-2.0-only", "MPL-2.0"), .compatible)
        XCTAssertTrue(isUnknown(try verdict("GPL-2.0-only", "Sleepycat")), "two strong copylefts outside the GPL family: read both")
    }
}
