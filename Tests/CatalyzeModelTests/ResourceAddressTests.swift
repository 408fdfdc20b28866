import CatalyzeModel
import Testing

@Suite struct ResourceAddressTests {
    @Test func addressesRoundTrip() {
        let address = ResourceAddress(region: "primary", kind: .instance, name: "app01")
        #expect(address.description == "primary/instance.app01")
        #expect(ResourceAddress(parsing: "primary/instance.app01") == address)
        #expect(ResourceAddress(parsing: "nope") == nil)
    }

    @Test func parsesAKnownKindAndRendersItBack() throws {
        let address = try #require(ResourceAddress(parsing: "primary/load_balancer.main"))
        #expect(address.kind == .loadBalancer && address.region == "primary" && address.name == "main")
        #expect(address.description == "primary/load_balancer.main")
    }

    @Test(arguments: ["primary/security_group.main", "primary/instance.", "/instance.app01", "primary-instance.app01", "primary/instance"])
    func refusesUnknownKindsAndMalformedText(text: String) {
        #expect(ResourceAddress(parsing: text) == nil)
    }

    /// Sorted as the rendered text, as lockfiles and plans always were: `backup_plan` before
    /// `network` although a network comes first in creation order.
    @Test func sortsByTheRenderedKindNameNotTheCreationRank() {
        let plan = ResourceAddress(region: "primary", kind: .backupPlan, name: "main")
        let network = ResourceAddress(region: "primary", kind: .network, name: "main")
        #expect(plan < network)
        #expect(ResourceKind.network < ResourceKind.backupPlan)
    }
}
