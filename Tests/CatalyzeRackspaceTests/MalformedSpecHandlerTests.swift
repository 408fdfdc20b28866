import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace
import Testing

/// Each Rackspace handler that decodes its request's typed spec (`KindSpec`) refuses one that does
/// not decode with `DriverError.invalidSpec` naming the address and the key, before it calls the
/// cloud (mimic's counting transport stays at zero: not even identity), so nothing is half-made.
@Suite struct RackspaceMalformedSpecHandlerTests {
    /// One malformed spec: a whole spec of `kind` with `key` set to something it cannot hold.
    struct Case: Sendable, CustomTestStringConvertible {
        var kind: ResourceKind
        var operation: CatalyzeModel.Operation
        var attributes: [String: String]
        var key: String
        var testDescription: String { "\(kind) \(operation) with a malformed \(key)" }
    }

    static let cases: [Case] = [
        Case(kind: .backupPlan, operation: .create, attributes: [
            "interval": "24", "retention_days": "a month", "copy_to": "", "instances": "primary/instance.db01",
        ], key: "retention_days"),
        Case(kind: .backupPlan, operation: .update, attributes: [
            "interval": "24", "retention_days": "30", "copy_to": "", "instances": "primary/instance.db01", "encrypted": "maybe",
        ], key: "encrypted"),
        Case(kind: .loadBalancer, operation: .create, attributes: [
            "network": "primary/network.main", "firewall": "primary/firewall.main", "type": "application", "scheme": "internet-facing",
            "listeners": "http/80>8080", "health_check": "ping::8080",
        ], key: "health_check"),
        Case(kind: .loadBalancer, operation: .update, attributes: [
            "network": "primary/network.main", "firewall": "", "type": "application", "scheme": "internet-facing",
            "listeners": "http/80>8080", "health_check": "http:/healthz:8080",
        ], key: "firewall"),
        Case(kind: .instance, operation: .create, attributes: Self.instance(["vcpu": "two"]), key: "vcpu"),
        Case(kind: .instance, operation: .update, attributes: Self.instance(["port": "http"]), key: "port"),
    ]

    /// A whole instance spec, with `changes`.
    static func instance(_ changes: [String: String]) -> [String: String] {
        [
            "role": "app", "vcpu": "2", "memory_mib": "2048", "host": "h1", "zone": "ORD", "image": "", "container_image": "",
            "network": "primary/network.main", "firewall": "primary/firewall.main", "ssh_ca": "", "principals": "p", "port": "8080",
        ].merging(changes) { _, new in new }
    }

    @Test(arguments: cases)
    func aMalformedSpecIsRefusedNamingAddressAndKeyBeforeAnyCall(_ malformed: Case) async throws {
        let harness = try RackspaceTestHarness("malformed")
        let counter = CountingTransport(CurlTransport())
        let driver = harness.driver(transport: counter)
        let spec = ResourceSpec(
            address: ResourceAddress(region: "primary", kind: malformed.kind, name: "main"), kind: malformed.kind, provider: .rax,
            cloudRegion: "ORD", attributes: malformed.attributes)
        // An update has a record; a create has none. Neither gets as far as using it.
        let prior = malformed.operation == .update ? CloudResource(cloudID: "123", attributes: malformed.attributes) : nil
        do {
            _ = try await driver.apply(ApplyRequest(
                operation: malformed.operation, pod: harness.pod, spec: spec, prior: prior, token: "t-bad", dependencies: [:],
                secrets: .none))
            Issue.record("\(malformed.testDescription) was applied")
        } catch let DriverError.invalidSpec(address, reason) {
            #expect(address == spec.address)
            #expect(reason.contains(spec.address.description) && reason.contains("attribute '\(malformed.key)'"), "\(reason)")
        }
        #expect(counter.total == 0, "calls made: \(counter.perKey)")
    }
}
