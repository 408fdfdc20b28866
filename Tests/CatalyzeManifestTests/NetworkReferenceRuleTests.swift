import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// `regions[].network` names an existing VPC and its subnets (AWS only, well-formed ids, two
/// subnets for an application load balancer); and a made AWS network leaves room for its second subnet.
@Suite struct NetworkReferenceRuleTests {
    typealias T = ManifestTesting

    static func manifest(network: String, provider: String = "aws", region: String = "us-east-1") -> String {
        T.validHipaa.replacingOccurrences(
            of: "    provider: aws\n    region: us-east-1\n",
            with: "    provider: \(provider)\n    region: \(region)\n    network: \(network)\n")
    }

    @Test func existingVPCIsRead() throws {
        let text = Self.manifest(network: "{ vpc: vpc-0a1b2c3d4e5f60718, subnets: [subnet-0a1b2c3d, subnet-11112222333344445] }")
        let result = T.load(text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let region = try #require(result.manifest?.regions.first)
        #expect(region.network == NetworkReference(vpc: "vpc-0a1b2c3d4e5f60718", subnets: ["subnet-0a1b2c3d", "subnet-11112222333344445"]))
    }

    @Test func regionWithoutNetworkMakesOne() throws {
        #expect(try #require(T.load(T.validHipaa).manifest).regions[0].network == nil)
    }

    @Test func malformedIDsAndOneSubnetForAnALBAreRefused() {
        let result = T.load(Self.manifest(network: "{ vpc: vpc-XYZ, subnets: [subnet-0a1b2c3d] }"))
        #expect(result.diagnostics.map(\.issue) == [
            .invalidValue(path: "regions[0].network.vpc", value: "vpc-XYZ", expected: "a VPC id such as vpc-0a1b2c3d4e5f60718"),
            .invalidValue(path: "regions[0].network.subnets", value: "subnet-0a1b2c3d",
                          expected: "two subnets in different availability zones at least (an application load balancer spans two zones)"),
        ])
        #expect(result.diagnostics.first?.location.line == 10)
    }

    @Test func subnetListedTwiceIsRefused() {
        let result = T.load(Self.manifest(network: "{ vpc: vpc-0a1b2c3d, subnets: [subnet-0a1b2c3d, subnet-0a1b2c3d] }"))
        #expect(result.diagnostics.map(\.issue) == [
            .invalidValue(path: "regions[0].network.subnets", value: "subnet-0a1b2c3d, subnet-0a1b2c3d",
                          expected: "two subnets in different availability zones at least (an application load balancer spans two zones)"),
            .invalidValue(path: "regions[0].network.subnets[1]", value: "subnet-0a1b2c3d", expected: "each subnet listed once"),
        ])
    }

    @Test func rackspaceRegionCannotNameAVPC() {
        let result = T.load(Self.manifest(network: "{ vpc: vpc-0a1b2c3d, subnets: [subnet-0a1b2c3d, subnet-0a1b2c3e] }", provider: "rax", region: "ORD"))
        #expect(result.diagnostics.map(\.issue).contains(
            .invalidValue(path: "regions[0].network", value: "vpc-0a1b2c3d",
                          expected: "an existing network only in an aws region (Rackspace networks are always made)")))
    }

    @Test func unknownAndMissingKeysAreReported() {
        let result = T.load(Self.manifest(network: "{ vpcId: vpc-0a1b2c3d }"))
        #expect(result.diagnostics.contains { if case .unknownKey(path: "regions[0].network", key: "vpcId", _) = $0.issue { true } else { false } })
        #expect(result.diagnostics.contains { $0.issue == .missingKey(path: "regions[0].network", key: "vpc") })
    }

    @Test func madeAWSNetworkNeedsRoomForItsSecondSubnet() {
        let result = T.load(T.validHipaa + "network: { cidr: 10.40.0.0/24, subnetCidr: 10.40.0.0/24 }\n")
        #expect(result.diagnostics.map(\.issue) == [
            .invalidValue(path: "network.subnetCidr", value: "10.40.0.0/24",
                          expected: "a block smaller than 10.40.0.0/24, leaving room for the second AWS subnet"),
        ])
    }
}
