import ArgumentParser
import CatalyzeCore
import CatalyzeDrivers
import CatalyzePlanner
import CatalyzeState
import Foundation

/// `catalyze hosts`: the live fleet of the pod's regions.
struct HostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "Show the dedicated hosts of the pod's regions: capacity, allocation, metrics, health, reservations.",
        discussion: """
            RESERVED is what pipelines applying pods with the same state backend have claimed on a host and \
            the fleet's own figures do not show yet (vCPU/memory, and how many claims); placement counts it \
            as taken. The claims of a pipeline that died lapse when their lease runs out (CATALYZE_LEASE, 30s by default).
            """)

    @OptionGroup var pod: PodOptions

    @Option(help: "Only this manifest region (by name).")
    var region: String?

    @Flag(help: "Print JSON.")
    var json = false

    struct HostJSON: Encodable {
        let region: String
        let id: String
        let provider: String
        let cloud_region: String
        let zone: String
        let family: String
        let vcpu: Int
        let vcpu_allocated: Int
        let memory_mib: Int
        let memory_mib_allocated: Int
        let instances: [String]
        let cpu_percent: Double?
        let memory_percent: Double?
        let sampled_at: Date?
        /// `agent` (reported on the host), `instances` or `allocation` (derived with no agent).
        let cpu_source: String?
        let memory_source: String?
        /// Whole seconds since `sampled_at` (what the AGE column shows), null without a sample.
        let metric_age_seconds: Int?
        let healthy: Bool
        /// Whether placement may put a container here (`plan` filters the others out).
        let eligible: Bool
        /// Why not, in `plan --explain`'s words (e.g. `metrics: 20m old, older than maxMetricAge 10m`).
        let ineligible_reason: String?
        /// The fleet reservations on it still in force (from the backend's ledger), any pod's.
        let reservations: [ReservationJSON]
    }

    /// One claim of `ReservationLedger`, as `hosts --json` shows it.
    struct ReservationJSON: Encodable {
        let pod: String
        let address: String
        let vcpu: Int
        let memory_mib: Int
        /// `reserved` (claimed, not launched yet) or `committed` (the instance exists).
        let state: String
        let instance_id: String?
        let expires_at: Date
        let holder: String
    }

    struct Report: Encodable {
        var format_version = JSONFormat.version
        let hosts: [HostJSON]
    }

    func run() async throws {
        let session = try Session(pod)
        let drivers = try session.drivers()
        let regions = session.manifest.regions.filter { region == nil || $0.name == region }
        if regions.isEmpty {
            printError("error: the manifest has no region named '\(region ?? "")' (regions: \(session.manifest.regions.map(\.name).joined(separator: ", ")))")
            throw ExitCode.failure
        }
        var rows: [HostJSON] = []
        let now = Date()
        // The ledgers are read without the state lock: what they hold at this moment.
        var claims: [String: [Reservation]] = [:]
        for ledger in try session.ledgers() where regions.contains(where: { $0.name == ledger.region }) {
            do {
                claims[ledger.region] = try ledger.store.read().ledger.active(now: now)
            } catch {
                printError("error: cannot read the fleet reservations: \(error)")
                throw ExitCode.failure
            }
        }
        for region in regions {
            let provider = region.provider
            let hosts = try await reportingFailures {
                try await drivers[provider]!.fleet(FleetRequest(region: region.cloudRegion)).hosts
            }
            if hosts.isEmpty { printError("note: \(FleetAdvice.noHosts(region: region))") }
            rows += hosts.map { host in
                let (age, rejection) = PodPlacement.eligibility(of: host, scheduling: session.manifest.scheduling, now: now)
                return HostJSON(
                    region: region.name, id: host.id, provider: host.provider.rawValue, cloud_region: host.region,
                    zone: host.zone, family: host.family, vcpu: host.capacity.vcpu, vcpu_allocated: host.allocated.vcpu,
                    memory_mib: host.capacity.memoryMiB, memory_mib_allocated: host.allocated.memoryMiB,
                    instances: host.instances, cpu_percent: host.cpuPercent, memory_percent: host.memoryPercent,
                    sampled_at: host.sampledAt, cpu_source: host.cpuSource?.rawValue, memory_source: host.memorySource?.rawValue,
                    metric_age_seconds: age?.seconds, healthy: host.healthy,
                    eligible: rejection == nil, ineligible_reason: rejection?.description,
                    reservations: (claims[region.name] ?? []).filter { $0.host == host.id }.map {
                        ReservationJSON(
                            pod: $0.pod, address: $0.address, vcpu: $0.vcpu, memory_mib: $0.memoryMiB, state: $0.state.rawValue,
                            instance_id: $0.instanceID, expires_at: $0.expiresAt, holder: $0.holder)
                    })
            }
        }
        if json {
            print(try jsonText(Report(hosts: rows)))
            return
        }
        let header = ["REGION", "HOST", "ZONE", "FAMILY", "VCPU", "MEMORY", "RESERVED", "CPU%", "MEM%", "FROM", "AGE", "HEALTH", "INSTANCES", "PLACEMENT"]
        var table = [header]
        for row in rows {
            table.append([
                row.region, row.id, row.zone, row.family, "\(row.vcpu_allocated)/\(row.vcpu)",
                "\(row.memory_mib_allocated / 1024)/\(row.memory_mib / 1024)GiB",
                // Claimed by pipelines, not in the fleet's figures yet: vCPU/GiB (claims).
                row.reservations.isEmpty ? "-"
                    : "\(row.reservations.reduce(0) { $0 + $1.vcpu })/\(row.reservations.reduce(0) { $0 + $1.memory_mib } / 1024)GiB"
                        + " (\(row.reservations.count))",
                row.cpu_percent.map { String(format: "%.1f", $0) } ?? "-",
                row.memory_percent.map { String(format: "%.1f", $0) } ?? "-",
                // Where CPU% and MEM% come from: one word when both agree (`agent`), else `cpu/mem`.
                Set([row.cpu_source, row.memory_source].compactMap { $0 }).count <= 1
                    ? row.cpu_source ?? row.memory_source ?? "-"
                    : "\(row.cpu_source ?? "-")/\(row.memory_source ?? "-")",
                // The age as `plan --explain` prints it (one formatter: TimeSpan).
                row.metric_age_seconds.map { TimeSpan(seconds: $0).description } ?? "-",
                row.healthy ? "healthy" : "unhealthy", "\(row.instances.count)",
                row.ineligible_reason.map { "ineligible: \($0)" } ?? "eligible",
            ])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            print(line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        if rows.isEmpty { print("(no hosts tagged \(CatalyzeTag.fleet) in \(regions.map(\.cloudRegion).joined(separator: ", ")))") }
    }
}
