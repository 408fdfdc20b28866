import CatalyzeCore

/// Feasibility: the container fits in what is left of the host's vCPUs, memory and disk.
enum CapacityCheck {
    /// Nil when `need` fits on `h` now.
    @inline(__always)
    static func rejection(of h: Int, _ need: Need, in fleet: FleetState) -> Rejection? {
        let free = fleet.free(h)
        if need.vCPU > free.vCPU {
            return .insufficient(resource: "vCPU", needed: "\(need.vCPU)", free: "\(free.vCPU)")
        }
        if need.memory > free.memory {
            return .insufficient(
                resource: "memory", needed: "\(ByteSize(bytes: need.memory))", free: "\(ByteSize(bytes: free.memory))")
        }
        if need.disk > free.disk {
            return .insufficient(
                resource: "disk", needed: "\(ByteSize(bytes: need.disk))", free: "\(ByteSize(bytes: free.disk))")
        }
        return nil
    }

    /// The same verdict without building a reason (hot path).
    @inline(__always)
    static func fits(_ h: Int, _ need: Need, in fleet: FleetState) -> Bool {
        need.vCPU <= fleet.capV[h] - fleet.usedV[h]
            && fleet.usedM[h] <= fleet.capM[h] && need.memory <= fleet.capM[h] - fleet.usedM[h]
            && fleet.usedD[h] <= fleet.capD[h] && need.disk <= fleet.capD[h] - fleet.usedD[h]
    }
}
