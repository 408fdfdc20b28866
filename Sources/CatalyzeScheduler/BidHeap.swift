/// The hosts that can take one size class of container, ordered by bid: an indexed binary max-heap.
///
/// A size class is (region, zone set, vCPU, memory, disk). Every host in the heap passes every checker
/// except anti-affinity for that class; its key is exactly `FleetState.baseBid` for the class's need,
/// and ties order by host id, the same total order the full scan uses. Usage only grows during a
/// run, so a host that stops fitting (or breaks a minimum) leaves the heap for good.
struct BidHeap {
    let need: Need
    /// Host indices in heap order.
    private(set) var heap: [Int32] = []
    /// Each host's position in `heap`, or −1.
    private var position: [Int32]
    /// Each host's current key (valid while in the heap).
    private(set) var bid: [Double]

    /// Builds the heap from every host in `candidates` that is eligible for `need` now.
    init(need: Need, candidates: some Sequence<Int>, fleet: FleetState) {
        self.need = need
        position = [Int32](repeating: -1, count: fleet.hosts.count)
        bid = [Double](repeating: 0, count: fleet.hosts.count)
        for h in candidates where Self.eligible(h, need, fleet) {
            bid[h] = fleet.baseBid(h, need)
            position[h] = Int32(heap.count)
            heap.append(Int32(h))
        }
        var i = heap.count / 2 - 1
        while i >= 0 {
            siftDown(i, fleet)
            i -= 1
        }
    }

    /// Capacity and minimums, the class-wide checkers.
    @inline(__always)
    static func eligible(_ h: Int, _ need: Need, _ fleet: FleetState) -> Bool {
        CapacityCheck.fits(h, need, in: fleet) && MinimumsCheck.rejection(of: h, need, in: fleet) == nil
    }

    /// Whether the heap holds host `h`.
    @inline(__always)
    func contains(_ h: Int) -> Bool { position[h] >= 0 }

    /// Re-keys host `h` after its usage changed, or drops it when no longer eligible.
    mutating func refresh(_ h: Int, _ fleet: FleetState) {
        let at = Int(position[h])
        guard at >= 0 else { return }
        guard Self.eligible(h, need, fleet) else {
            remove(at: at, fleet)
            return
        }
        let old = bid[h]
        bid[h] = fleet.baseBid(h, need)
        if bid[h] < old { siftDown(at, fleet) } else { siftUp(at, fleet) }
    }

    private mutating func remove(at index: Int, _ fleet: FleetState) {
        let h = Int(heap[index])
        let last = heap.removeLast()
        position[h] = -1
        guard index < heap.count else { return }
        heap[index] = last
        position[Int(last)] = Int32(index)
        siftDown(index, fleet)
        siftUp(Int(position[Int(last)]), fleet)
    }

    @inline(__always)
    func better(_ a: Int32, _ b: Int32, _ fleet: FleetState) -> Bool {
        fleet.outranks(Int(a), bid[Int(a)], Int(b), bid[Int(b)])
    }

    private mutating func siftDown(_ start: Int, _ fleet: FleetState) {
        var i = start
        let count = heap.count
        while true {
            let left = 2 * i + 1
            guard left < count else { break }
            var best = left
            if left + 1 < count, better(heap[left + 1], heap[left], fleet) { best = left + 1 }
            guard better(heap[best], heap[i], fleet) else { break }
            swapAt(i, best)
            i = best
        }
    }

    private mutating func siftUp(_ start: Int, _ fleet: FleetState) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard better(heap[i], heap[parent], fleet) else { break }
            swapAt(i, parent)
            i = parent
        }
    }

    @inline(__always)
    private mutating func swapAt(_ i: Int, _ j: Int) {
        heap.swapAt(i, j)
        position[Int(heap[i])] = Int32(i)
        position[Int(heap[j])] = Int32(j)
    }
}
