@testable import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Testing

/// `AWSDriver.balancerLeftovers`: which tagged certificates and target groups refresh reports as
/// a balancer that is gone, and how.
@Suite struct AWSDriverBalancerPartsTests {
    static let group = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/cz-acme-main-0a1b2c3d-8080/5094c6b04650efe0"
    static let certificate = "arn:aws:acm:us-east-1:123456789012:certificate/9d0c8698-e26e-ac65"
    static let address = ResourceAddress(region: "primary", kind: .loadBalancer, name: "main")

    static func tags(_ address: ResourceAddress = address, lineage: String = "L1") -> [String: String] {
        [CatalyzeTag.pod: "acme", CatalyzeTag.address: address.description, CatalyzeTag.operation: "tok", CatalyzeTag.lineage: lineage]
    }

    @Test func partsWhoseBalancerIsGoneAreOneBalancerWithAnEmptyID() {
        let parts = [TaggedBalancerPart(arn: Self.group, tags: Self.tags()), TaggedBalancerPart(arn: Self.certificate, tags: Self.tags())]
        #expect(parts.map(\.isCertificate) == [false, true])
        #expect(parts.map(\.port) == [8080, nil])
        let found = AWSDriver.balancerLeftovers(parts, live: [])
        #expect(found.count == 1)
        #expect(found.first?.address == Self.address && found.first?.kind == .loadBalancer)
        #expect(found.first?.resource.cloudID == "")
        #expect(found.first?.resource.outputs == [
            "target_groups": "8080=\(Self.group)", "certificate_arn": Self.certificate, "imported_certificate": "true",
        ])
        #expect(found.first?.operationToken == "tok" && found.first?.lineage == "L1")
    }

    @Test func partsOfALiveBalancerAndOfOtherLineagesAreNotMixed() {
        let balancer = LiveResource(
            address: Self.address, kind: .loadBalancer,
            resource: CloudResource(cloudID: "arn:lb", outputs: ["target_groups": "8080=\(Self.group)"]), operationToken: "tok")
        // Held by the live balancer, or at its address: its own.
        #expect(AWSDriver.balancerLeftovers(
            [TaggedBalancerPart(arn: Self.group, tags: Self.tags()), TaggedBalancerPart(arn: Self.certificate, tags: Self.tags())],
            live: [balancer]).isEmpty)
        // Another lineage's part at the same address is reported on its own (LineageGuard refuses it).
        let found = AWSDriver.balancerLeftovers(
            [TaggedBalancerPart(arn: Self.group, tags: Self.tags()), TaggedBalancerPart(arn: Self.certificate, tags: Self.tags(lineage: "L2"))],
            live: [])
        #expect(found.map(\.lineage) == ["L1", "L2"])
        #expect(found.map { $0.resource.outputs["certificate_arn"] } == [nil, Self.certificate])
        // Tagged for another kind of address: not a balancer's part.
        let other = ResourceAddress(region: "primary", kind: .vpn, name: "main")
        #expect(AWSDriver.balancerLeftovers([TaggedBalancerPart(arn: Self.certificate, tags: Self.tags(other))], live: []).isEmpty)
    }
}
