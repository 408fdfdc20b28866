import ArgumentParser
import CatalyzeCore
import CatalyzeDrivers
import CatalyzePlanner
import Foundation

/// `catalyze hosts`: the live fleet of the pod's regions.
struct HostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "Show the dedicated hosts of the pod's regions: capacity, allocation, metrics, health.")

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
        for region in regions {
            let provider = region.provider
            let hosts = try await reportingFailures {
                try await drivers[provider]!.fleet(FleetRequest(region: region.cloudRegion)).hosts
            }
            if hosts.isEmpty { printError("note: \(FleetAdvice.noHosts(region: region))") }
            rows += hosts.map {
                let (age, rejection) = PodPlacement.eligibility(of: $0, scheduling: session.manifest.scheduling, now: now)
                return HostJSON(
                    region: region.name, id: $0.id, provider: $0.provider.rawValue, cloud_region: $0.region,
                    zone: $0.zone, family: $0.family, vcpu: $0.capacity.vcpu, vcpu_allocated: $0.allocated.vcpu,
                    memory_mib: $0.capacity.memoryMiB, memory_mib_allocated: $0.allocated.memoryMiB,
                    instances: $0.instances, cpu_percent: $0.cpuPercent, memory_percent: $0.memoryPercent,
                    sampled_at: $0.sampledAt, cpu_source: $0.cpuSource?.rawValue, memory_source: $0.memorySource?.rawValue,
                    metric_age_seconds: age?.seconds, healthy: $0.healthy,
                    eligible: rejection == nil, ineligible_reason: rejection?.description)
            }
        }
        if json {
            print(try jsonText(Report(hosts: rows)))
            return
        }
        let header = ["REGION", "HOST", "ZONE", "FAMILY", "VCPU", "MEMORY", "CPU%", "MEM%", "FROM", "AGE", "HEALTH", "INSTANCES", "PLACEMENT"]
        var table = [header]
        for row in rows {
            table.append([
                row.region, row.id, row.zone, row.family, "\(row.vcpu_allocated)/\(row.vcpu)",
                "\(row.memory_mib_allocated / 1024)/\(row.memory_mib / 1024)GiB",
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
