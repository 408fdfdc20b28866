import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeManifest

/// man/catalyze-manifest.5 documents every key the loader knows, and its EXAMPLE is the example file.
@Suite struct ManifestReferencePageTests {
    static let page: String = (try? String(contentsOf: repositoryRoot.appendingPathComponent("man/catalyze-manifest.5"), encoding: .utf8)) ?? ""

    /// Every top-level key has its own `.SS` subsection.
    @Test func everyTopLevelKeyHasASubsection() {
        #expect(!Self.page.isEmpty, "man/catalyze-manifest.5 is missing")
        let headings = Set(Self.page.split(separator: "\n").filter { $0.hasPrefix(".SS ") }.map { $0.dropFirst(4).trimmingCharacters(in: .whitespaces) })
        let missing = ManifestLoader.topLevelKeys.filter { !headings.contains($0) }
        #expect(missing.isEmpty, "catalyze-manifest.5 has no .SS section for \(missing)")
    }

    /// Every key named in a `known:` list (or a `keys`/`minimumKeys` list) in the loader's source
    /// appears in bold in the page, as `\fBkey\fR`.
    @Test func everyKeyTheLoaderKnowsIsDocumented() throws {
        let keys = try Self.loaderKeys()
        // The scan must find the keys of every section, or it is scanning nothing.
        #expect(keys.isSuperset(of: ["customerAccess", "emergencyMaxTtl", "freeMemoryPercent", "remoteCidrs", "targetPort", "zones", "vcpu"]))
        #expect(keys.isSuperset(of: ManifestLoader.topLevelKeys))
        let missing = keys.filter { !Self.page.contains("\\fB\($0)\\fR") }.sorted()
        #expect(missing.isEmpty, "catalyze-manifest.5 does not document \(missing)")
    }

    /// The EXAMPLE section is examples/hipaa-aws.yaml, unescaped from roff.
    @Test func exampleIsTheHipaaAWSExample() throws {
        let example = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml"), encoding: .utf8)
        let start = try #require(Self.page.range(of: ".SH EXAMPLE\n"))
        let body = Self.page[start.upperBound...]
        let ex = try #require(body.range(of: ".EX\n"))
        let ee = try #require(body.range(of: "\n.EE\n"))
        let roff = body[ex.upperBound..<ee.lowerBound]
        let text = roff.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\&", with: "")
            .replacingOccurrences(of: "\\e", with: "\\")
        #expect(text + "\n" == example, "regenerate the EXAMPLE section of man/catalyze-manifest.5 from examples/hipaa-aws.yaml")
    }

    @Test func leavesThePlacementSectionsForTheLead() {
        for heading in [".SH PLACEMENT\n", ".SH RACKSPACE PLACEMENT\n"] {
            #expect(Self.page.contains(heading))
        }
    }

    /// The keys in `known: [...]` lists and `let keys = [...]`-style arrays of ManifestLoader*.swift.
    static func loaderKeys() throws -> Set<String> {
        let folder = repositoryRoot.appendingPathComponent("Sources/CatalyzeManifest")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("ManifestLoader") }
        var keys = Set<String>()
        for file in files {
            let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for list in arrays(after: ["known: [", "Keys = [", "keys = ["], in: source) {
                keys.formUnion(quoted(list))
            }
        }
        return keys
    }

    private static func arrays(after openers: [String], in source: String) -> [Substring] {
        var found: [Substring] = []
        for opener in openers {
            var rest = source[...]
            while let open = rest.range(of: opener) {
                guard let close = rest[open.upperBound...].firstIndex(of: "]") else { break }
                found.append(rest[open.upperBound..<close])
                rest = rest[close...]
            }
        }
        return found
    }

    private static func quoted(_ list: Substring) -> [String] {
        list.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }
}
