import CatalyzeCore

/// Feasibility: the container fits in what is left of the host's vCPUs, memory and disk, and is no
/// bigger than the largest instance the host runs.
enum CapacityCheck {
    /// Nil when `need` fits on `h` now; the same comparisons as `fits`, with the reason spelled out.
    static func rejection(of h: Int, _ need: Need, in fleet: FleetState) -> Rejection? {
        guard !fits(h, need, in: fleet) else { return nil }
        if need.vCPU > fleet.maxV[h] || need.memory > fleet.maxM[h] {
            return .largerThanHostRuns(vCPU: fleet.maxV[h], memory: "\(ByteSize(bytes: fleet.maxM[h]))")
        }
        let free = fleet.free(h)
        if !vCPUFits(h, need, fleet) {
            return .insufficient(resource: "vCPU", needed: "\(need.vCPU)", free: "\(free.vCPU)")
        }
        if !memoryFits(h, need, fleet) {
            return .insufficient(
                resource: "memory", needed: "\(ByteSize(bytes: need.memory))", free: "\(ByteSize(bytes: free.memory))")
        }
        return .insufficient(resource: "disk", needed: "\(ByteSize(bytes: need.disk))", free: "\(ByteSize(bytes: free.disk))")
    }

    /// The verdict without building a reason (hot path).
    @inline(__always)
    static func fits(_ h: Int, _ need: Need, in fleet: FleetState) -> Bool {
        need.vCPU <= fleet.maxV[h] && need.memory <= fleet.maxM[h]
            && vCPUFits(h, need, fleet) && memoryFits(h, need, fleet)
            && fleet.usedD[h] <= fleet.capD[h] && need.disk <= fleet.capD[h] - fleet.usedD[h]
    }

    @inline(__always)
    private static func vCPUFits(_ h: Int, _ need: Need, _ fleet: FleetState) -> Bool {
        need.vCPU <= fleet.capV[h] - fleet.usedV[h]
    }

    @inline(__always)
    private static func memoryFits(_ h: Int, _ need: Need, _ fleet: FleetState) -> Bool {
        fleet.usedM[h] <= fleet.capM[h] && need.memory <= fleet.capM[h] - fleet.usedM[h]
    }
}
