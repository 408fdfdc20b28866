import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation
import Synchronization

/// One container an apply is about to launch on a fleet host: what it claims in the ledger.
public struct FleetClaim: Hashable, Sendable {
    /// The instance's address.
    public var address: ResourceAddress
    /// The host placement chose.
    public var host: String
    /// Its anti-affinity group.
    public var group: String
    /// vCPUs.
    public var vcpu: Int
    /// Memory, MiB.
    public var memoryMiB: Int

    /// Creates a claim.
    public init(address: ResourceAddress, host: String, group: String, vcpu: Int, memoryMiB: Int) {
        self.address = address
        self.host = host
        self.group = group
        self.vcpu = vcpu
        self.memoryMiB = memoryMiB
    }

    /// The claims of `plan`: every instance it makes (created, or replaced onto another host), by
    /// manifest region. An instance replaced on its own host claims nothing: its old instance goes
    /// first and frees what the new one takes.
    public static func of(_ plan: Plan, manifest: PodManifest) -> [String: [FleetClaim]] {
        let slots = Dictionary(PodLayout.slots(manifest).map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var claims: [String: [FleetClaim]] = [:]
        for change in plan.actionable where change.spec.kind == .instance && (change.action == .create || change.action == .replace) {
            guard let host = change.spec.attributes["host"], !host.isEmpty, let slot = slots[change.address] else { continue }
            if change.action == .replace, change.prior?.attributes["host"] == host { continue }
            claims[change.address.region, default: []].append(
                FleetClaim(address: change.address, host: host, group: slot.group, vcpu: slot.vcpu, memoryMiB: slot.memoryMiB))
        }
        return claims
    }
}

/// What one attempt to claim found.
public enum ClaimOutcome: Sendable {
    /// Every region's claims are in its ledger: launch.
    case held
    /// Another pipeline wrote a ledger between this run's read and write: read and check again.
    case raced(region: String)
    /// These containers no longer fit where they were placed (other pipelines' claims, or the
    /// fleet changed): re-place them, with the fleets and claims read here.
    case misfit(Set<ResourceAddress>, reasons: [String], fleets: [String: [CatalyzeDrivers.FleetHost]], others: [String: [Reservation]])
}

/// The fleet reservations of one `apply`: reads other pods' claims for placement, claims this run's
/// placements by compare-and-swap before anything launches, renews their leases while the apply
/// runs (a `LeaseHeartbeat`), marks them committed when their instance exists, and drops them once
/// the live fleet shows the instance (or when they are no longer needed). A pipeline that dies
/// leaves claims that lapse by themselves when their lease runs out; every write collects them.
public final class FleetReservations: Sendable {
    /// One manifest region's ledger.
    public struct Ledger: Sendable {
        /// The manifest region's name.
        public var region: String
        /// Which ledger.
        public var scope: LedgerScope
        /// Where it is kept.
        public var store: any ReservationLedgerStore

        /// Creates one.
        public init(region: String, scope: LedgerScope, store: any ReservationLedgerStore) {
            self.region = region
            self.scope = scope
            self.store = store
        }
    }

    /// Most re-placements an apply goes through before it gives up.
    public static let maxAttempts = 5
    /// Most writes in a row that only lost the race for the ledger (nothing had to move).
    public static let maxRaces = 20

    let ledgers: [Ledger]
    let pod: String
    let holder: String
    let lease: Duration
    let clock: WallClock
    private let claimed = Mutex<[String: [FleetClaim]]>([:])
    private let created = Mutex<[ResourceAddress: String]>([:])
    private let heartbeat = Mutex<LeaseHeartbeat?>(nil)

    /// Reservations of `pod` held by `holder` (the run's lock id), leased for `lease`.
    public init(ledgers: [Ledger], pod: String, holder: String, lease: Duration, clock: WallClock = SystemClock()) {
        self.ledgers = ledgers
        self.pod = pod
        self.holder = holder
        self.lease = lease
        self.clock = clock
    }

    var leaseSeconds: TimeInterval { Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18 }

    /// Other pods' claims still in force, by manifest region (what placement counts against each host).
    public func others() throws -> [String: [Reservation]] {
        var result: [String: [Reservation]] = [:]
        let now = clock.now()
        for ledger in ledgers {
            result[ledger.region] = try ledger.store.read().ledger.active(now: now).filter { $0.pod != pod }
        }
        return result
    }

    /// `fleets` as placement must see them: each host's allocation plus the other pods' claims on it
    /// whose instance it does not show yet (by id, or by the instance's pod and address tags); a
    /// host in `refused` (the cloud said it is full) as full.
    public static func adjusted(
        _ fleets: [String: [CatalyzeDrivers.FleetHost]], others: [String: [Reservation]], refused: Set<String> = []
    ) -> [String: [CatalyzeDrivers.FleetHost]] {
        fleets.mapValues { hosts in
            hosts.map { host in
                var host = host
                for claim in others.values.joined()
                where claim.host == host.id && !host.runs(pod: claim.pod, address: claim.address, instanceID: claim.instanceID) {
                    host.allocated.vcpu += claim.vcpu
                    host.allocated.memoryMiB += claim.memoryMiB
                }
                if refused.contains(host.id) { host.allocated = host.capacity }
                return host
            }
        }
    }

    /// One attempt to put `claims` (by manifest region) in the ledgers: per region, reads the
    /// ledger, then the live fleet (so a claim dropped because its instance shows is counted by the
    /// fleet's figures), checks that every claim still fits its host beside the other pods' claims
    /// (capacity and hard anti-affinity), and writes the ledger by compare-and-swap. Claims this
    /// pod holds from before (a killed run's) are replaced.
    public func claim(
        _ claims: [String: [FleetClaim]], fleet: (String) async throws -> [CatalyzeDrivers.FleetHost]
    ) async throws -> ClaimOutcome {
        var misfits: Set<ResourceAddress> = []
        var reasons: [String] = []
        var fleets: [String: [CatalyzeDrivers.FleetHost]] = [:]
        var seen: [String: [Reservation]] = [:]
        var pending: [(Ledger, ReservationLedger, String?)] = []
        for ledger in ledgers {
            let (stored, tag) = try ledger.store.read()
            let hosts = try await fleet(ledger.region)
            fleets[ledger.region] = hosts
            let now = clock.now()
            var next = stored
            next.collectGarbage(now: now, visible: Set(hosts.flatMap(\.instances)))
            let others = next.reservations.filter { $0.pod != pod }
            seen[ledger.region] = others
            let mine = claims[ledger.region] ?? []
            let before = misfits.count
            for (hostID, wanted) in Dictionary(grouping: mine, by: \.host) {
                guard let host = hosts.first(where: { $0.id == hostID }), host.healthy else {
                    misfits.formUnion(wanted.map(\.address))
                    reasons.append("host \(hostID) is gone or unhealthy")
                    continue
                }
                let there = others.filter { $0.host == hostID && !host.runs(pod: $0.pod, address: $0.address, instanceID: $0.instanceID) }
                var freeVCPU = host.capacity.vcpu - host.allocated.vcpu - there.reduce(0) { $0 + $1.vcpu }
                var freeMemory = host.capacity.memoryMiB - host.allocated.memoryMiB - there.reduce(0) { $0 + $1.memoryMiB }
                let groups = Set(others.filter { $0.host == hostID }.map(\.group))
                for item in wanted.sorted(by: { $0.address < $1.address }) {
                    if groups.contains(item.group) {
                        misfits.insert(item.address)
                        reasons.append("\(item.address): host \(hostID) already holds a member of group \(item.group)")
                    } else if item.vcpu <= freeVCPU && item.memoryMiB <= freeMemory {
                        freeVCPU -= item.vcpu
                        freeMemory -= item.memoryMiB
                    } else {
                        misfits.insert(item.address)
                        reasons.append("\(item.address): host \(hostID) has \(max(0, freeVCPU)) vCPU and \(max(0, freeMemory)) MiB free "
                            + "beside \(there.count) claim\(there.count == 1 ? "" : "s") of other pipelines; it needs \(item.vcpu) vCPU and \(item.memoryMiB) MiB")
                    }
                }
            }
            guard misfits.count == before else { continue }
            next.reservations = others + mine.map {
                Reservation(
                    host: $0.host, pod: pod, address: $0.address.description, group: $0.group, vcpu: $0.vcpu,
                    memoryMiB: $0.memoryMiB, expiresAt: now.addingTimeInterval(leaseSeconds), holder: holder)
            }
            if next != stored { pending.append((ledger, next, tag)) }
        }
        if !misfits.isEmpty { return .misfit(misfits, reasons: reasons, fleets: fleets, others: seen) }
        for (ledger, next, tag) in pending {
            guard try ledger.store.write(next, expected: tag) != nil else { return .raced(region: ledger.region) }
        }
        claimed.withLock { $0 = claims }
        return .held
    }

    /// Starts renewing the claims' leases every third of the lease (marking those whose instance
    /// exists as committed), until `finish` or `release`.
    public func startHeartbeat() {
        let beat = LeaseHeartbeat(interval: lease / 3) { [self] in
            do { try update(visible: nil) } catch {
                // Unreachable for now: the next beat tries again (the lease lasts three).
            }
            return .renewed
        }
        heartbeat.withLock { $0?.stop(); $0 = beat }
    }

    /// Stops renewing (before this run claims again: its own renewals would race its claim).
    public func stopHeartbeat() {
        heartbeat.withLock { $0?.stop(); $0 = nil }
    }

    /// Notes an instance the executor made (its claim becomes committed at the next write).
    public func observe(_ event: ExecutionEvent) {
        if case let .finished(address, operation, cloudID, _) = event, address.kind == .instance, operation == .create, let cloudID {
            created.withLock { $0[address] = cloudID }
        }
    }

    /// The apply ended: claims whose instance exists become committed (until the live fleet shows
    /// it, read here), the others are dropped. Errors are returned for a warning: the claims lapse
    /// by themselves when their lease runs out.
    public func finish(fleet: (String) async throws -> [CatalyzeDrivers.FleetHost]) async -> Error? {
        heartbeat.withLock { $0?.stop(); $0 = nil }
        do {
            var visible: [String: Set<String>] = [:]
            for ledger in ledgers { visible[ledger.region] = Set(try await fleet(ledger.region).flatMap(\.instances)) }
            try update(visible: visible, finishing: true)
            return nil
        } catch {
            return error
        }
    }

    /// Drops every claim of this pod (nothing launched, or the pod was destroyed).
    public func release() -> Error? {
        heartbeat.withLock { $0?.stop(); $0 = nil }
        claimed.withLock { $0 = [:] }
        do {
            try update(visible: nil, finishing: true)
            return nil
        } catch {
            return error
        }
    }

    /// Rewrites this pod's claims in every ledger (compare-and-swap, a few tries): leases renewed,
    /// created instances committed; when `finishing`, claims without an instance dropped and, with
    /// `visible` (instance ids per region), committed ones the fleet shows dropped.
    private func update(visible: [String: Set<String>]?, finishing: Bool = false) throws {
        let made = created.withLock { $0 }
        let wanted = claimed.withLock { $0 }
        for ledger in ledgers {
            for _ in 0..<Self.maxAttempts {
                let (stored, tag) = try ledger.store.read()
                let now = clock.now()
                var next = stored
                next.collectGarbage(now: now, visible: visible?[ledger.region] ?? [])
                let keep = Set((wanted[ledger.region] ?? []).map(\.address.description))
                next.reservations = next.reservations.compactMap { claim in
                    guard claim.pod == pod else { return claim }
                    guard claim.holder == holder, keep.contains(claim.address) else { return nil }
                    var claim = claim
                    if let address = ResourceAddress(parsing: claim.address), let id = made[address] {
                        claim.state = .committed
                        claim.instanceID = id
                        if visible?[ledger.region]?.contains(id) == true { return nil }
                    } else if finishing {
                        return nil
                    }
                    claim.expiresAt = now.addingTimeInterval(leaseSeconds)
                    return claim
                }
                if next == stored { break }
                if try ledger.store.write(next, expected: tag) != nil { break }
            }
        }
    }
}
