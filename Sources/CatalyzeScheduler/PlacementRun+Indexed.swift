/// The fast strategy: per size class, a heap of eligible hosts keyed by bid.
///
/// It returns the same winner as `scanWinner` (a property test checks it on random fleets):
/// the heap holds exactly the hosts that pass region, health, metrics, capacity and minimums for
/// the class, keyed by the same `baseBid` under the same (bid, host id) order; anti-affinity is
/// applied by walking the heap best-first and skipping (or penalising) hosts with siblings.
extension PlacementRun {
    /// The winner for demand `i`; nil when none is eligible.
    mutating func indexedWinner(_ i: Int, need: Need, region: Int32, zones: Int32) -> Int? {
        let key = ClassKey(region: region, zones: zones, need: need)
        let c: Int
        if let known = classIndex[key] {
            c = known
        } else {
            let candidates = fleet.hosts.indices.filter { h in
                fleet.regionID[h] == region && zoneAllowed(h, zones) && fleet.staticRejection[h] == nil
            }
            classes.append(BidHeap(need: need, candidates: candidates, fleet: fleet))
            c = classes.count - 1
            classIndex[key] = c
        }
        return best(in: c, group: Int(demandGroup[i]))
    }

    /// After demand lands on `h`: re-key (or drop) `h` in every class heap that holds it.
    mutating func refreshClasses(for h: Int) {
        for c in classes.indices where classes[c].contains(h) {
            classes[c].refresh(h, fleet)
        }
    }

    private mutating func best(in c: Int, group g: Int) -> Int? {
        let heap = classes[c].heap
        guard let top = heap.first else { return nil }
        if fleet.members[g].isEmpty { return Int(top) }
        let bid = classes[c].bid
        frontier.removeAll(keepingCapacity: true)
        frontier.append(0)
        var best = -1
        var bestBid = 0.0
        while !frontier.isEmpty {
            var pick = 0
            for k in 1..<frontier.count {
                let a = Int(heap[Int(frontier[k])])
                let b = Int(heap[Int(frontier[pick])])
                if fleet.outranks(a, bid[a], b, bid[b]) { pick = k }
            }
            let slot = Int(frontier[pick])
            frontier.swapAt(pick, frontier.count - 1)
            frontier.removeLast()
            let h = Int(heap[slot])
            if best >= 0, fleet.outranks(best, bestBid, h, bid[h]) { break }
            let siblings = fleet.siblings(on: h, group: g).count
            if fleet.required {
                if siblings == 0 { return h }
            } else {
                let penalized = fleet.penalized(bid[h], siblings: siblings)
                if best < 0 || fleet.outranks(h, penalized, best, bestBid) {
                    best = h
                    bestBid = penalized
                }
            }
            let left = 2 * slot + 1
            if left < heap.count { frontier.append(Int32(left)) }
            if left + 1 < heap.count { frontier.append(Int32(left + 1)) }
        }
        return best >= 0 ? best : nil
    }
}
