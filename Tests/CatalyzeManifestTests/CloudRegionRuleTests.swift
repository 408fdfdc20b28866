import CatalyzeCore
import CatalyzeModel
import Testing
@testable import CatalyzeManifest

/// `regions[].region` is one its provider has, with the closest name suggested.
@Suite struct CloudRegionRuleTests {
    typealias T = ManifestTesting

    @Test func aTypoInAnAWSRegionIsPositionedWithASuggestion() throws {
        let result = T.load(T.validHipaa.replacingOccurrences(of: "region: us-east-1", with: "region: us-wset-2"))
        let issue = ManifestIssue.unknownCloudRegion(path: "regions[0].region", value: "us-wset-2", provider: "aws", suggestion: "us-west-2")
        #expect(result.diagnostics == [.init(issue, at: SourceLocation(file: "pod.yaml", line: 9, column: 13))])
        #expect(issue.hint == "did you mean 'us-west-2'?")
        #expect(issue.message == "regions[0].region: 'us-wset-2' is not a AWS region" || issue.message.contains("not a"))
    }

    @Test func rackspaceRegionsAreCheckedAgainstRackspacesList() {
        let text = T.validHipaa.replacingOccurrences(of: "provider: aws\n    region: us-east-1", with: "provider: rax\n    region: ord")
        let result = T.load(text)
        #expect(result.errors.map(\.issue) == [
            .unknownCloudRegion(path: "regions[0].region", value: "ord", provider: "rax", suggestion: "ORD"),
        ])
    }

    @Test func aNameFarFromEveryRegionListsThem() {
        let issue = ManifestIssue.unknownCloudRegion(path: "regions[0].region", value: "mars", provider: "rax", suggestion: nil)
        #expect(issue.hint == "Rackspace regions: DFW, ORD, IAD, LON, SYD, HKG")
    }

    /// The twin: every listed region passes.
    @Test(arguments: CloudCatalog.aws.regions)
    func everyAWSRegionIsAccepted(region: String) {
        let result = T.load(T.validHipaa.replacingOccurrences(of: "region: us-east-1", with: "region: \(region)"))
        #expect(result.diagnostics.isEmpty, "\(region): \(result.diagnostics)")
    }

    @Test func everyRackspaceRegionIsAccepted() {
        for region in CloudCatalog.rackspace.regions {
            let text = T.validHipaa.replacingOccurrences(of: "provider: aws\n    region: us-east-1", with: "provider: rax\n    region: \(region)")
            #expect(!T.load(text).issues.contains { $0.code == "unknown-cloud-region" }, "\(region)")
        }
    }
}
