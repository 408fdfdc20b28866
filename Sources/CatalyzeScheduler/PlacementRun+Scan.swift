import CatalyzeCore

/// The reference strategy: every host is checked and bids for every container.
extension PlacementRun {
    /// The winner for demand `i` by scanning every host; nil when none is eligible.
    func scanWinner(_ i: Int, need: Need, region: Int32, zones: Int32) -> Int? {
        let g = Int(demandGroup[i])
        let hasSiblings = !fleet.members[g].isEmpty
        var best = -1
        var bestBid = 0.0
        for h in 0..<fleet.hosts.count {
            guard fleet.regionID[h] == region, zoneAllowed(h, zones), fleet.staticRejection[h] == nil,
                  BidHeap.eligible(h, need, fleet)
            else { continue }
            let siblings = hasSiblings ? fleet.siblings(on: h, group: g).count : 0
            if fleet.required, siblings > 0 { continue }
            let bid = fleet.penalized(fleet.baseBid(h, need), siblings: siblings)
            if best < 0 || fleet.outranks(h, bid, best, bestBid) {
                best = h
                bestBid = bid
            }
        }
        return best >= 0 ? best : nil
    }

    /// The first checker that rejects host `h` for demand `i`, in the documented order
    /// (region, health, metrics, capacity, minimums, anti-affinity); nil when it may bid.
    func rejection(of h: Int, demand i: Int, need: Need, region: Int32, zones: Int32) -> Rejection? {
        if let reason = RegionCheck.rejection(
            of: h, region: region, zoneAllowed: zoneAllowed(h, zones), demand: demands[i], in: fleet) {
            return reason
        }
        if let reason = fleet.staticRejection[h] { return reason }
        if let reason = CapacityCheck.rejection(of: h, need, in: fleet) { return reason }
        if let reason = MinimumsCheck.rejection(of: h, need, in: fleet) { return reason }
        return AntiAffinityCheck.rejection(of: h, group: Int(demandGroup[i]), demands: demands, in: fleet)
    }

    /// Every host's verdict for demand `i`, by host id (for the error when nothing is eligible).
    func verdicts(_ i: Int, need: Need, region: Int32, zones: Int32) -> [HostVerdict] {
        fleet.hosts.indices.sorted { fleet.rank[$0] < fleet.rank[$1] }.compactMap { h in
            rejection(of: h, demand: i, need: need, region: region, zones: zones)
                .map { HostVerdict(hostID: fleet.hosts[h].id, reason: $0) }
        }
    }

    /// The explain rows for demand `i`: every host's numbers and outcome, plus the winner.
    func explain(_ i: Int, need: Need, region: Int32, zones: Int32) -> (winner: Int?, candidates: [Candidate]) {
        var bidding: [(h: Int, bid: Bid)] = []
        var filtered: [(h: Int, reason: Rejection)] = []
        let g = Int(demandGroup[i])
        for h in 0..<fleet.hosts.count {
            if let reason = rejection(of: h, demand: i, need: need, region: region, zones: zones) {
                filtered.append((h, reason))
                continue
            }
            let t = fleet.terms(h, need)
            let w = fleet.weights
            let siblings = fleet.required ? 0 : fleet.siblings(on: h, group: g).count
            let bid = Bid(
                cpuHeadroom: t.cpu, memoryHeadroom: t.memory, freeVCPU: t.freeVCPU, freeMemory: t.freeMemory,
                weighted: [w.cpuHeadroom * t.cpu, w.memoryHeadroom * t.memory, w.freeVCPU * t.freeVCPU, w.freeMemory * t.freeMemory],
                siblings: siblings, penalty: fleet.penalty * Double(siblings),
                total: fleet.penalized(fleet.baseBid(h, need), siblings: siblings))
            bidding.append((h, bid))
        }
        bidding.sort { fleet.outranks($0.h, $0.bid.total, $1.h, $1.bid.total) }
        filtered.sort { fleet.rank[$0.h] < fleet.rank[$1.h] }
        let winner = bidding.first
        var rows = bidding.map { entry in
            let outcome: Candidate.Outcome =
                entry.h == winner?.h ? .won : .lost(margin: (winner?.bid.total ?? 0) - entry.bid.total)
            return candidate(entry.h, need: need, bid: entry.bid, outcome: outcome)
        }
        rows += filtered.map { candidate($0.h, need: need, bid: nil, outcome: .filtered($0.reason)) }
        return (winner?.h, rows)
    }

    private func candidate(_ h: Int, need: Need, bid: Bid?, outcome: Candidate.Outcome) -> Candidate {
        let host = fleet.hosts[h]
        var freeAfter: Resources?
        if CapacityCheck.fits(h, need, in: fleet) {
            let free = fleet.free(h)
            freeAfter = Resources(
                vCPU: free.vCPU - need.vCPU, memory: ByteSize(bytes: free.memory - need.memory),
                disk: ByteSize(bytes: free.disk - need.disk))
        }
        return Candidate(
            hostID: host.id, cpuPercent: host.metrics?.cpuPercent, memoryPercent: host.metrics?.memoryPercent,
            metricAge: fleet.metricAge[h], capacity: host.capacity, freeAfter: freeAfter, bid: bid, outcome: outcome,
            cpuSource: host.metrics?.cpuSource, memorySource: host.metrics?.memorySource)
    }
}
