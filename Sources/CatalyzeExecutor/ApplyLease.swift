import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeState
import Foundation

/// The apply lease made visible in the cloud: while an apply runs, each region's firewall carries
/// `catalyze:lease` = `LineageLease` (this lineage, holder, expiry), written at the start, renewed
/// every `LineageLease.renewEvery`, removed at the end. The lockfile's own lock (`flock`) is only
/// seen on this machine; `import --from-lineage` in another folder reads the lease instead and
/// refuses while it is fresh. A killed apply leaves its lease to expire (`LineageLease.duration`).
///
/// Cost: one tag call per region at the start and one at the end, none per resource; a first apply
/// writes none (its firewalls do not exist yet, and no other lockfile knows the resources it makes).
/// The lease is best effort: a region whose firewall cannot be tagged (deleted by hand: the plan
/// makes it again) is skipped rather than failing the apply.
public struct ApplyLease: Sendable {
    /// The driver for each cloud.
    public var drivers: [Provider: CloudDriver]
    /// The pod's name.
    public var pod: String
    /// The lease written (lineage, holder; the expiry is set at each write).
    public var holder: String
    /// The lockfile's lineage.
    public var lineage: String
    /// The recorded resources that carry it: a firewall of every region.
    public var carriers: [ResourceRecord]
    /// "Now", for the expiry.
    public var clock: WallClock

    /// A lease for `lockfile`'s lineage on its recorded firewalls.
    public init(drivers: [Provider: CloudDriver], lockfile: Lockfile, holder: String, clock: WallClock) {
        self.drivers = drivers
        pod = lockfile.pod
        lineage = lockfile.lineage
        self.holder = holder
        self.clock = clock
        // One firewall per region (the first by address): a region with tier firewalls has several,
        // and the lease costs one tag call per region, not per tier.
        var regions: Set<String> = []
        carriers = lockfile.sortedRecords.filter { $0.kind == .firewall && regions.insert($0.address.region).inserted }
    }

    /// Writes (or renews) the lease on every carrier, expiring `LineageLease.duration` from now.
    /// Returns how many carriers hold it.
    @discardableResult
    public func write() async -> Int {
        let lease = LineageLease(lineage: lineage, holder: holder, expires: clock.now().addingTimeInterval(LineageLease.duration))
        return await each(set: [CatalyzeTag.lease: lease.tagValue], remove: [])
    }

    /// Removes the lease from every carrier.
    public func remove() async { await each(set: [:], remove: [CatalyzeTag.lease]) }

    /// Runs `body` holding the lease: written first, renewed while `body` runs, removed after.
    public func holding<T: Sendable>(_ body: () async -> T) async -> T {
        guard !carriers.isEmpty else { return await body() }
        await write()
        let renewer = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(LineageLease.renewEvery))
                if Task.isCancelled { break }
                await write()
            }
        }
        let result = await body()
        renewer.cancel()
        await remove()
        return result
    }

    @discardableResult
    private func each(set: [String: String], remove: [String]) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for record in carriers {
                guard let driver = drivers[record.provider] else { continue }
                let request = TagRequest(
                    pod: pod, region: record.cloudRegion, address: record.address, kind: record.kind,
                    resource: record.cloudResource, set: set, remove: remove)
                group.addTask { (try? await driver.tag(request)) != nil }
            }
            var held = 0
            for await ok in group where ok { held += 1 }
            return held
        }
    }
}
