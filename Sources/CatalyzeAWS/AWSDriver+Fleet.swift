import CatalyzeCore
import CatalyzeDrivers
import Foundation

extension AWSDriver {
    /// How old an instance's `AWS/EC2 CPUUtilization` sample may be and still count. EC2 publishes it
    /// for every instance every 5 minutes (basic monitoring), a few minutes late: three periods and
    /// more without one and the instance counts as fully busy.
    static let instanceSampleMaxAge: TimeInterval = 20 * 60

    /// The dedicated hosts tagged `catalyze:fleet` in the request's region: capacity from the
    /// host's `HostProperties.TotalVCpus` when EC2 reports it (memory, which EC2 does not report,
    /// and older answers from `HostFamily`), allocation from `AvailableCapacity.AvailableVCpus` and
    /// the host's `Instances` when reported, else from the live instances whose `Placement.HostId`
    /// names the host, catalyze's instances on each host by their pod and address tags, and
    /// utilisation. Three calls (plus pagination and
    /// GetMetricData's 500 queries a call), whatever the fleet size.
    ///
    /// Utilisation, figure by figure: the newest `Catalyze/Hosts` sample of the last hour when an
    /// agent on the host reports one (`agent`; an old one makes the host ineligible, as before);
    /// otherwise derived with no agent, so a fresh account with a tagged fleet can place: CPU from
    /// the `AWS/EC2 CPUUtilization` that EC2 publishes for every instance, weighted by the instances'
    /// vCPUs over the server's (an instance with no sample in `instanceSampleMaxAge` counts as 100 %,
    /// a host that runs nothing is 0 %), and memory as the instances' memory over the server's
    /// (`allocation`; a dedicated host's memory is whole instances). Derived figures are as of now.
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
        var podInstances: [String: [String]] = [:]
        for instance in instancePages.flatMap({ $0.list("reservationSet").flatMap { $0.list("instancesSet") } }) {
            guard let host = instance.string("placement", "hostId"), !host.isEmpty,
                  let id = instance.string("instanceId")
            else { continue }
            let size = HostFamily.size(of: instance.string("instanceType") ?? "") ?? .zero
            onHost[host, default: []].append((id, size))
            let tags = instance.tags
            if let pod = tags[CatalyzeTag.pod], let address = tags[CatalyzeTag.address] {
                podInstances[host, default: []].append(FleetHost.podInstance(pod: pod, address: address))
            }
        }

        // What runs on each host: DescribeHosts' own list when it reports one (every account's
        // instances on a shared host, which DescribeInstances does not show), else ours.
        var running: [String: [(id: String, size: Capacity)]] = [:]
        for item in hostItems {
            guard let id = item.string("hostId") else { continue }
            let listed = item.list("instances").compactMap { entry -> (id: String, size: Capacity)? in
                guard let instance = entry.string("instanceId") else { return nil }
                return (instance, HostFamily.size(of: entry.string("instanceType") ?? "") ?? .zero)
            }
            running[id] = listed.isEmpty ? onHost[id] ?? [] : listed
        }
        let ids = hostItems.compactMap { $0.string("hostId") }
        let instanceIDs = ids.flatMap { running[$0]?.map(\.id) ?? [] }
        let samples = try await utilisation(hostIDs: ids, instanceIDs: instanceIDs, region: region)
        let now = client.clock.now()

        let hosts = hostItems.compactMap { item -> FleetHost? in
            guard let id = item.string("hostId") else { return nil }
            let family = Self.hostFamily(item)
            var capacity = HostFamily.known[family]?.capacity ?? .zero
            if let total = item.string("hostProperties", "totalVCpus").flatMap(Int.init), total > 0 { capacity.vcpu = total }
            let running = running[id] ?? []
            var allocated = running.reduce(Capacity.zero) {
                Capacity(vcpu: $0.vcpu + $1.size.vcpu, memoryMiB: $0.memoryMiB + $1.size.memoryMiB)
            }
            // AWS's own count of free vCPUs wins over the sum of instance sizes.
            if let free = item.string("availableCapacity", "availableVCpus").flatMap(Int.init), capacity.vcpu > 0 {
                allocated.vcpu = max(0, capacity.vcpu - free)
            }
            let agent = samples.hosts[id]
            let cpu: (percent: Double, source: MetricSource)
            if let reported = agent?.cpu {
                cpu = (reported, .agent)
            } else if running.isEmpty {
                cpu = (0, .allocation)
            } else {
                let fresh = { (instance: String) -> Double? in
                    guard let sample = samples.instances[instance], now.timeIntervalSince(sample.at) <= Self.instanceSampleMaxAge
                    else { return nil }
                    return sample.cpu
                }
                let busy = running.reduce(0.0) { $0 + (fresh($1.id) ?? 100) * Double($1.size.vcpu) }
                cpu = (capacity.vcpu > 0 ? min(100, busy / Double(capacity.vcpu)) : 100, .instances)
            }
            let memory: (percent: Double, source: MetricSource) = agent?.memory.map { ($0, .agent) }
                ?? (capacity.memoryMiB > 0 ? min(100, 100 * Double(allocated.memoryMiB) / Double(capacity.memoryMiB)) : 100, .allocation)
            // An agent's figure keeps its own time (so a silent agent still makes the host stale);
            // derived figures are as of this reading.
            let sampledAt = (cpu.source == .agent || memory.source == .agent) ? agent?.at : now
            return FleetHost(
                id: id, provider: .aws, region: region, zone: item.string("availabilityZone") ?? region,
                family: family, capacity: capacity, allocated: allocated, instances: running.map(\.id).sorted(),
                cpuPercent: cpu.percent, memoryPercent: memory.percent, sampledAt: sampledAt,
                healthy: item.string("state") == "available", cpuSource: cpu.source, memorySource: memory.source,
                largestInstance: item.string("hostProperties", "instanceType").flatMap(HostFamily.size(of:)),
                podInstances: (podInstances[id] ?? []).sorted())
        }
        return FleetResponse(hosts: hosts)
    }

    /// The newest samples of the last hour, read with GetMetricData (≤ 500 queries per call): each
    /// host's `Catalyze/Hosts` CPU and memory (dimension `HostId`), and each instance's `AWS/EC2`
    /// `CPUUtilization` (dimension `InstanceId`, the 5-minute period EC2 publishes for every instance).
    func utilisation(hostIDs: [String], instanceIDs: [String], region: String) async throws -> (
        hosts: [String: (cpu: Double?, memory: Double?, at: Date?)], instances: [String: (cpu: Double, at: Date)]
    ) {
        struct Query { let id: String; let namespace: String; let metric: String; let dimension: String; let value: String; let period: Int }
        var queries: [Query] = []
        for (h, host) in hostIDs.enumerated() {
            queries.append(Query(id: "m0h\(h)", namespace: "Catalyze/Hosts", metric: "CPUUtilization", dimension: "HostId", value: host, period: 60))
            queries.append(Query(id: "m1h\(h)", namespace: "Catalyze/Hosts", metric: "MemoryUtilization", dimension: "HostId", value: host, period: 60))
        }
        for (i, instance) in instanceIDs.enumerated() {
            queries.append(Query(id: "i\(i)", namespace: "AWS/EC2", metric: "CPUUtilization", dimension: "InstanceId", value: instance, period: 300))
        }
        let now = client.clock.now()
        let iso = ISO8601DateFormatter()
        var hosts: [String: (cpu: Double?, memory: Double?, at: Date?)] = [:]
        var instances: [String: (cpu: Double, at: Date)] = [:]
        for start in stride(from: 0, to: queries.count, by: 500) {
            var parameters = [
                "StartTime": iso.string(from: now.addingTimeInterval(-3600)),
                "EndTime": iso.string(from: now.addingTimeInterval(60)),
                "ScanBy": "TimestampDescending",
            ]
            for (n, query) in queries[start..<min(start + 500, queries.count)].enumerated() {
                let p = "MetricDataQueries.member.\(n + 1)"
                parameters["\(p).Id"] = query.id
                parameters["\(p).MetricStat.Metric.Namespace"] = query.namespace
                parameters["\(p).MetricStat.Metric.MetricName"] = query.metric
                parameters["\(p).MetricStat.Metric.Dimensions.member.1.Name"] = query.dimension
                parameters["\(p).MetricStat.Metric.Dimensions.member.1.Value"] = query.value
                parameters["\(p).MetricStat.Period"] = "\(query.period)"
                parameters["\(p).MetricStat.Stat"] = "Average"
            }
            let pages = try await client.queryAll(.cloudwatch, "GetMetricData", region: region, parameters)
            for member in pages.flatMap({ $0.list("GetMetricDataResult", "MetricDataResults") }) {
                guard let id = member.string("Id") else { continue }
                let stamps = member.list("Timestamps").compactMap { iso.date(from: $0.text) ?? Self.fractionalISO($0.text) }
                let values = member.list("Values").compactMap { Double($0.text) }
                guard let newest = zip(stamps, values).max(by: { $0.0 < $1.0 }) else { continue }
                if id.hasPrefix("i"), let i = Int(id.dropFirst()), i < instanceIDs.count {
                    instances[instanceIDs[i]] = (newest.1, newest.0)
                } else if id.hasPrefix("m"), let hIndex = id.firstIndex(of: "h"),
                          let m = Int(id[id.index(after: id.startIndex)..<hIndex]),
                          let h = Int(id[id.index(after: hIndex)...]), h < hostIDs.count
                {
                    var entry = hosts[hostIDs[h]] ?? (nil, nil, nil)
                    if m == 0 { entry.cpu = newest.1 } else { entry.memory = newest.1 }
                    entry.at = max(entry.at ?? newest.0, newest.0)
                    hosts[hostIDs[h]] = entry
                }
            }
        }
        return (hosts, instances)
    }

    static func fractionalISO(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
