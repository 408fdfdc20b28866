import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation
import Testing

/// The one conformance suite every `CloudDriver` passes against its real emulator.
///
/// A driver's test target calls `run()` from a `@Test` after seeding its emulator with a fleet of
/// at least two hosts in `region`. Each check records Swift Testing issues with a clear message.
public struct DriverConformance: Sendable {
    /// The driver under test, pointed at its emulator.
    public var driver: CloudDriver
    /// The cloud region the fleet was seeded in.
    public var region: String
    /// A pod name unique to this run.
    public var pod: String
    /// The transport the driver sends through (counts requests for the batching check).
    public var counter: CountingTransport
    /// Extra attributes the provider needs on an instance (image, flavor hints), merged into the spec.
    public var instanceExtras: [String: String]

    /// Creates the suite.
    public init(
        driver: CloudDriver, region: String, pod: String, counter: CountingTransport,
        instanceExtras: [String: String] = [:]
    ) {
        self.driver = driver
        self.region = region
        self.pod = pod
        self.counter = counter
        self.instanceExtras = instanceExtras
    }

    private func spec(_ kind: ResourceKind, _ name: String, _ attributes: [String: String]) -> ResourceSpec {
        ResourceSpec(
            address: ResourceAddress(region: "primary", kind: kind, name: name), kind: kind,
            provider: driver.provider, cloudRegion: region, attributes: attributes)
    }

    private func apply(
        _ operation: CatalyzeModel.Operation, _ spec: ResourceSpec, prior: CloudResource? = nil, token: String,
        dependencies: [ResourceAddress: CloudResource] = [:]
    ) async throws -> CloudResource? {
        try await driver.apply(
            ApplyRequest(
                operation: operation, pod: pod, spec: spec, prior: prior, token: token, dependencies: dependencies,
                secrets: .none, lineage: lineage)
        ).resource
    }

    /// The lineage every create of the suite carries.
    private var lineage: String { "\(pod)-lineage" }

    /// Runs every check in order; stops at the first thrown error (which fails the test).
    public func run() async throws {
        // 1. The fleet: at least two healthy hosts with real capacity, sorted by id.
        let hosts = try await driver.fleet(FleetRequest(region: region)).hosts
        try #require(hosts.count >= 2, "conformance needs a fleet of ≥2 hosts in \(region)")
        #expect(hosts.map(\.id) == hosts.map(\.id).sorted())
        for host in hosts {
            #expect(host.capacity.vcpu > 0 && host.capacity.memoryMiB > 0, "host \(host.id) has no capacity")
            #expect(host.region == region)
        }

        // 2. Create is tagged, refreshable, and idempotent per token.
        let network = spec(.network, "main", ["cidr": "10.42.0.0/16", "subnet_cidr": "10.42.1.0/24", "zone": hosts[0].zone])
        let net1 = try #require(try await apply(.create, network, token: "\(pod)-net-1"))
        let net2 = try #require(try await apply(.create, network, token: "\(pod)-net-1"))
        #expect(net1.cloudID == net2.cloudID, "same token must not create a second network")

        let firewall = spec(.firewall, "main", ["network": network.address.description, "ingress": "tcp/443/0.0.0.0/0"])
        let fw = try #require(
            try await apply(.create, firewall, token: "\(pod)-fw-1", dependencies: [network.address: net1]))

        // 3. An instance lands on exactly the host asked for.
        var attributes = [
            "role": "app", "vcpu": "2", "memory_mib": "4096", "host": hosts[1].id, "zone": hosts[1].zone,
            "network": network.address.description, "firewall": firewall.address.description,
            "ssh_ca": "", "principals": "\(pod)-app01", "port": "8080",
        ]
        attributes.merge(instanceExtras) { _, new in new }
        let instance = spec(.instance, "app01", attributes)
        let deps = [network.address: net1, firewall.address: fw]
        let vm = try #require(try await apply(.create, instance, token: "\(pod)-app01-1", dependencies: deps))
        let vmAgain = try #require(try await apply(.create, instance, token: "\(pod)-app01-1", dependencies: deps))
        #expect(vm.cloudID == vmAgain.cloudID, "same token must not create a second instance")
        #expect(vm.attributes["host"] == hosts[1].id, "instance must report the host it was placed on")

        let after = try await driver.fleet(FleetRequest(region: region)).hosts
        let placedHost = try #require(after.first { $0.id == hosts[1].id })
        #expect(placedHost.instances.contains(vm.cloudID), "fleet must list the instance on its host")
        #expect(placedHost.allocated.vcpu >= 2, "fleet must count the instance's vCPUs against its host")

        // 3b. A backup plan covering a database server: idempotent per token like every create.
        var dbAttributes = attributes
        dbAttributes.merge(["role": "db", "host": hosts[0].id, "zone": hosts[0].zone, "principals": "\(pod)-db01", "port": "5432"]) { _, new in new }
        let database = spec(.instance, "db01", dbAttributes)
        let db = try #require(try await apply(.create, database, token: "\(pod)-db01-1", dependencies: deps))
        let backup = spec(.backupPlan, "main", [
            "interval": "24", "retention_days": "30", "copy_to": "", "instances": database.address.description,
        ])
        let plan = try #require(try await apply(.create, backup, token: "\(pod)-backup-1", dependencies: [database.address: db]))
        let planAgain = try #require(try await apply(.create, backup, token: "\(pod)-backup-1", dependencies: [database.address: db]))
        #expect(plan.cloudID == planAgain.cloudID, "same token must not create a second backup plan")

        // 4. Refresh finds everything by tag, with its address and token.
        let live = try await driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        let byAddress = Dictionary(live.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byAddress[backup.address]?.resource.cloudID == plan.cloudID, "refresh must report the backup plan")
        #expect(byAddress[backup.address]?.operationToken == "\(pod)-backup-1")
        #expect(byAddress[backup.address]?.resource.attributes["interval"] == "24")
        #expect(byAddress[network.address]?.resource.cloudID == net1.cloudID)
        #expect(byAddress[firewall.address]?.resource.cloudID == fw.cloudID)
        #expect(byAddress[instance.address]?.resource.cloudID == vm.cloudID)
        #expect(byAddress[instance.address]?.operationToken == "\(pod)-app01-1")
        #expect(live.filter { $0.address == instance.address }.count == 1, "exactly one app01 must exist")

        // 4b. Every create carried the lineage in its create call; `tag` changes it in place (same
        // cloud ids), and a lease set on the firewall is read back, then removed.
        #expect(live.allSatisfy { $0.lineage == lineage }, "every resource carries its lineage: \(live.filter { $0.lineage != lineage }.map(\.address))")
        let lease = LineageLease(lineage: "taken-over", holder: "ci@conformance pid 1", expires: Date(timeIntervalSince1970: 2_000_000_000))
        for found in live {
            _ = try await driver.tag(TagRequest(
                pod: pod, region: region, address: found.address, kind: found.kind, resource: found.resource,
                set: [CatalyzeTag.lineage: "taken-over"].merging(found.kind == .firewall ? [CatalyzeTag.lease: lease.tagValue] : [:]) { a, _ in a }))
        }
        let retagged = try await driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        #expect(retagged.map(\.resource.cloudID).sorted() == live.map(\.resource.cloudID).sorted(), "tagging makes and deletes nothing")
        #expect(retagged.allSatisfy { $0.lineage == "taken-over" }, "tag sets the lineage in place: \(retagged.filter { $0.lineage != "taken-over" }.map(\.address))")
        #expect(retagged.first { $0.address == firewall.address }?.lease == lease, "the lease is read back from the firewall")
        _ = try await driver.tag(TagRequest(
            pod: pod, region: region, address: firewall.address, kind: .firewall, resource: fw, set: [:], remove: [CatalyzeTag.lease]))
        let released = try await driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        #expect(released.first { $0.address == firewall.address }.map { $0.lease == nil && $0.lineage == "taken-over" } == true, "lease removed, lineage kept")

        // 5. Refresh makes the same number of calls for 1 or 4 extra resources.
        counter.reset()
        _ = try await driver.refresh(RefreshRequest(pod: pod, region: region))
        let callsBefore = counter.total
        for n in 2...4 {
            var more = instance
            more.address = ResourceAddress(region: "primary", kind: .instance, name: "app0\(n)")
            more.attributes["host"] = hosts[n % hosts.count].id
            more.attributes["zone"] = hosts[n % hosts.count].zone
            _ = try await apply(.create, more, token: "\(pod)-app0\(n)-1", dependencies: deps)
        }
        counter.reset()
        let grown = try await driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        #expect(grown.count == live.count + 3)
        #expect(counter.total == callsBefore, "refresh calls must not grow with resources (\(callsBefore) → \(counter.total))")

        // 6. Delete removes, and deleting again is not an error.
        for resource in grown.sorted(by: { $0.kind > $1.kind }) {
            let recorded = ResourceSpec(
                address: resource.address, kind: resource.kind, provider: driver.provider, cloudRegion: region,
                attributes: resource.resource.attributes)
            _ = try await apply(.delete, recorded, prior: resource.resource, token: "\(pod)-del-\(resource.address)")
        }
        let empty = try await driver.refresh(RefreshRequest(pod: pod, region: region)).resources
        #expect(empty.isEmpty, "after delete nothing tagged \(pod) may remain: \(empty.map(\.address))")
        _ = try await apply(.delete, instance, prior: vm, token: "\(pod)-del-again")
        _ = try await apply(.delete, backup, prior: plan, token: "\(pod)-del-backup-again")
    }
}
