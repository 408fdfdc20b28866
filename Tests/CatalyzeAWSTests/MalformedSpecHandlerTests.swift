import CatalyzeAWS
import CatalyzeDrivers
import CatalyzeModel
import Testing

/// Each AWS handler that decodes its request's typed spec (`KindSpec`) refuses one that does not
/// decode with `DriverError.invalidSpec` naming the address and the key, before it calls AWS: no
/// call is made (moto's counting transport stays at zero), so nothing can be left half-made.
@Suite struct MalformedSpecHandlerTests {
    /// One malformed spec: a whole spec of `kind` with `key` set to something it cannot hold.
    struct Case: Sendable, CustomTestStringConvertible {
        var kind: ResourceKind
        var operation: CatalyzeModel.Operation
        var attributes: [String: String]
        var key: String
        var testDescription: String { "\(kind) \(operation) with a malformed \(key)" }
    }

    static let network = "primary/network.main"
    static let firewall = "primary/firewall.main"

    static let cases: [Case] = [
        Case(kind: .instance, operation: .create, attributes: [
            "role": "app", "vcpu": "2", "memory_mib": "4096", "host": "h-0123456789abcdef0", "zone": "us-east-1a",
            "network": network, "firewall": firewall, "port": "http",
        ], key: "port"),
        Case(kind: .instance, operation: .update, attributes: [
            "role": "app", "vcpu": "two", "memory_mib": "4096", "host": "h-0123456789abcdef0", "zone": "us-east-1a",
            "network": network, "firewall": firewall, "port": "8080",
        ], key: "vcpu"),
        Case(kind: .loadBalancer, operation: .create, attributes: [
            "network": network, "firewall": firewall, "type": "application", "scheme": "internet-facing",
            "listeners": "http/80>8080", "health_check": "icmp:/:8080",
        ], key: "health_check"),
        Case(kind: .loadBalancer, operation: .update, attributes: [
            "network": network, "firewall": firewall, "type": "application", "scheme": "internet-facing",
            "listeners": "http/80>8080", "health_check": "http:/healthz",
        ], key: "health_check"),
        Case(kind: .backupPlan, operation: .create, attributes: [
            "interval": "daily", "retention_days": "30", "copy_to": "", "key": "primary/key.storage",
        ], key: "interval"),
        Case(kind: .lbTarget, operation: .create, attributes: [
            "load_balancer": "primary/load_balancer.main", "instance": "primary/instance.app01", "port": "",
        ], key: "port"),
        Case(kind: .key, operation: .create, attributes: ["alias": ""], key: "alias"),
        Case(kind: .network, operation: .create, attributes: ["subnet_cidr": "10.0.1.0/24", "zone": "us-east-1a"], key: "cidr"),
        Case(kind: .volume, operation: .create, attributes: [
            "size_gib": "100", "encrypted": "yes", "zone": "us-east-1a", "key": "primary/key.storage",
        ], key: "encrypted"),
        Case(kind: .volume, operation: .update, attributes: ["size_gib": "a lot", "encrypted": "true", "zone": "us-east-1a"], key: "size_gib"),
    ]

    @Test(arguments: cases)
    func aMalformedSpecIsRefusedNamingAddressAndKeyBeforeAnyCall(_ malformed: Case) async throws {
        let moto = try MotoFixture()
        let spec = moto.spec(malformed.kind, "main", malformed.attributes)
        // An update has a record; a create has none. Neither gets as far as using it.
        let prior = malformed.operation == .update ? CloudResource(cloudID: "id-recorded", attributes: malformed.attributes) : nil
        do {
            _ = try await moto.apply(malformed.operation, spec, pod: "malformed", token: "t-bad", prior: prior)
            Issue.record("\(malformed.testDescription) was applied")
        } catch let DriverError.invalidSpec(address, reason) {
            #expect(address == spec.address)
            #expect(reason.contains(spec.address.description) && reason.contains("attribute '\(malformed.key)'"), "\(reason)")
        }
        #expect(moto.counter.total == 0, "calls made: \(moto.counter.perKey)")
    }

    /// A record decodes without throwing: as itself (nil when it lacks a key, and the handlers then
    /// make their idempotent calls) or over the wanted spec (a key it lacks is the wanted one, a
    /// recorded one is kept; nil when a recorded value does not decode).
    @Test func aRecordIsDecodedOverTheWantedSpec() throws {
        let wanted = VolumeSpec(sizeGiB: 200, encrypted: true, zone: "us-east-1a", key: ResourceAddress(parsing: "primary/key.storage"))
        let older = CloudResource(cloudID: "vol-1", attributes: ["size_gib": "100", "zone": "us-east-1a"])
        #expect(older.recorded(over: wanted) == VolumeSpec(sizeGiB: 100, encrypted: true, zone: "us-east-1a", key: wanted.key))
        #expect(older.recorded(VolumeSpec.self) == nil, "without a wanted spec, a record lacking `encrypted` does not decode")
        let edited = CloudResource(cloudID: "vol-1", attributes: ["size_gib": "lots", "encrypted": "true", "zone": "us-east-1a"])
        #expect(edited.recorded(over: wanted) == nil)
    }
}
