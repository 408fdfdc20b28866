import CatalyzeCore
import CatalyzeDrivers
import Foundation

extension AWSDriver {
    /// The dedicated hosts tagged `catalyze:fleet` in the request's region: capacity from
    /// `HostFamily`, allocation from the live instances whose `Placement.HostId` names the host
    /// (moto's DescribeHosts reports neither), and the newest `Catalyze/Hosts` CPU and memory
    /// samples of the last hour from CloudWatch. Three calls (plus pagination), whatever the fleet size.
    public func fleet(_ request: FleetRequest) async throws -> FleetResponse {
        let region = request.region
        let hostPages = try await client.queryAll(
            .ec2, "DescribeHosts", region: region, Self.filters([("tag-key", [CatalyzeTag.fleet])]))
        let hostItems = hostPages.flatMap { $0.list("hostSet") }
            .filter { !($0.string("state") ?? "").hasPrefix("released") }
        guard !hostItems.isEmpty else { return FleetResponse(hosts: []) }

        let instancePages = try await client.queryAll(
            .ec2, "DescribeInstances", region: region,
            Self.filters([("instance-state-name", ["pending", "running", "stopping", "stopped"])]))
        var onHost: [String: [(id: String, size: Capacity)]] = [:]
        for instance in instancePages.flatMap({ $0.list("reservationSet").flatMap { $0.list("instancesSet") } }) {
            guard let host = instance.string("placement", "hostId"), !host.isEmpty,
                  let id = instance.string("instanceId")
            else { continue }
            let size = HostFamily.size(of: instance.string("instanceType") ?? "") ?? .zero
            onHost[host, default: []].append((id, size))
        }

        let ids = hostItems.compactMap { $0.string("hostId") }
        let metrics = try await hostMetrics(hostIDs: ids, region: region)

        let hosts = hostItems.compactMap { item -> FleetHost? in
            guard let id = item.string("hostId") else { return nil }
            let family = item.string("hostProperties", "instanceFamily")
                ?? item.string("hostProperties", "instanceType")?.split(separator: ".").first.map(String.init) ?? ""
            var capacity = HostFamily.known[family]?.capacity ?? .zero
            if let total = item.string("hostProperties", "totalVCpus").flatMap(Int.init), total > 0,
               HostFamily.known[family] == nil
            {
                capacity.vcpu = total
            }
            let running = onHost[id] ?? []
            let allocated = running.reduce(Capacity.zero) {
                Capacity(vcpu: $0.vcpu + $1.size.vcpu, memoryMiB: $0.memoryMiB + $1.size.memoryMiB)
            }
            let sample = metrics[id]
            return FleetHost(
                id: id, provider: .aws, region: region, zone: item.string("availabilityZone") ?? region,
                family: family, capacity: capacity, allocated: allocated, instances: running.map(\.id).sorted(),
                cpuPercent: sample?.cpu, memoryPercent: sample?.memory, sampledAt: sample?.at,
                healthy: item.string("state") == "available")
        }
        return FleetResponse(hosts: hosts)
    }

    /// The newest CPU and memory samples per host, read with GetMetricData (≤ 500 queries per call).
    func hostMetrics(hostIDs: [String], region: String) async throws -> [String: (cpu: Double?, memory: Double?, at: Date?)] {
        let now = client.clock.now()
        let iso = ISO8601DateFormatter()
        var result: [String: (cpu: Double?, memory: Double?, at: Date?)] = [:]
        let metricNames = ["CPUUtilization", "MemoryUtilization"]
        for chunk in stride(from: 0, to: hostIDs.count, by: 250).map({ Array(hostIDs[$0..<min($0 + 250, hostIDs.count)]) }) {
            var parameters = [
                "StartTime": iso.string(from: now.addingTimeInterval(-3600)),
                "EndTime": iso.string(from: now.addingTimeInterval(60)),
                "ScanBy": "TimestampDescending",
            ]
            var n = 0
            for (h, host) in chunk.enumerated() {
                for (m, metric) in metricNames.enumerated() {
                    n += 1
                    let p = "MetricDataQueries.member.\(n)"
                    parameters["\(p).Id"] = "m\(m)h\(h)"
                    parameters["\(p).MetricStat.Metric.Namespace"] = "Catalyze/Hosts"
                    parameters["\(p).MetricStat.Metric.MetricName"] = metric
                    parameters["\(p).MetricStat.Metric.Dimensions.member.1.Name"] = "HostId"
                    parameters["\(p).MetricStat.Metric.Dimensions.member.1.Value"] = host
                    parameters["\(p).MetricStat.Period"] = "60"
                    parameters["\(p).MetricStat.Stat"] = "Average"
                }
            }
            let pages = try await client.queryAll(.cloudwatch, "GetMetricData", region: region, parameters)
            for member in pages.flatMap({ $0.list("GetMetricDataResult", "MetricDataResults") }) {
                guard let id = member.string("Id"), id.hasPrefix("m"), let hIndex = id.firstIndex(of: "h"),
                      let m = Int(id[id.index(after: id.startIndex)..<hIndex]),
                      let h = Int(id[id.index(after: hIndex)...]), h < chunk.count
                else { continue }
                let stamps = member.list("Timestamps").compactMap { iso.date(from: $0.text) ?? Self.fractionalISO($0.text) }
                let values = member.list("Values").compactMap { Double($0.text) }
                guard let newest = zip(stamps, values).max(by: { $0.0 < $1.0 }) else { continue }
                var entry = result[chunk[h]] ?? (nil, nil, nil)
                if m == 0 { entry.cpu = newest.1 } else { entry.memory = newest.1 }
                entry.at = max(entry.at ?? newest.0, newest.0)
                result[chunk[h]] = entry
            }
        }
        return result
    }

    static func fractionalISO(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
