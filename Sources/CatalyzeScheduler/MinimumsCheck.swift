/// Feasibility: the manifest's minimums still hold once the container is on the host.
///
/// Headroom minimums read the measured metrics; free minimums count what is left after placing.
/// Call only after `CapacityCheck` passed.
enum MinimumsCheck {
    /// Nil when every minimum holds for `need` on `h`.
    @inline(__always)
    static func rejection(of h: Int, _ need: Need, in fleet: FleetState) -> Rejection? {
        let minimums = fleet.minimums
        let cpuHeadroom = 100 - fleet.cpuPercent[h]
        if cpuHeadroom < minimums.cpuHeadroomPercent {
            return .belowMinimum(name: "cpuHeadroomPercent", value: cpuHeadroom, minimum: minimums.cpuHeadroomPercent)
        }
        let memoryHeadroom = 100 - fleet.memoryPercent[h]
        if memoryHeadroom < minimums.memoryHeadroomPercent {
            return .belowMinimum(
                name: "memoryHeadroomPercent", value: memoryHeadroom, minimum: minimums.memoryHeadroomPercent)
        }
        let freeVCPU = Double(100 * (fleet.capV[h] - fleet.usedV[h] - need.vCPU)) / Double(fleet.capV[h])
        if freeVCPU < minimums.freeVCPUPercent {
            return .belowMinimum(name: "freeVcpuPercent", value: freeVCPU, minimum: minimums.freeVCPUPercent)
        }
        let freeMemory = 100 * Double(fleet.capM[h] - fleet.usedM[h] - need.memory) / Double(fleet.capM[h])
        if freeMemory < minimums.freeMemoryPercent {
            return .belowMinimum(name: "freeMemoryPercent", value: freeMemory, minimum: minimums.freeMemoryPercent)
        }
        return nil
    }
}
