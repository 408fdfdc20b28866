/// Feasibility: the provider reports the host fit for new work (and it has some vCPU and memory).
enum HealthCheck {
    /// Nil when the host is healthy.
    static func rejection(of host: FleetHost) -> Rejection? {
        if host.capacity.vCPU <= 0 || host.capacity.memory.bytes == 0 {
            return .unhealthy("reports no vCPU or memory capacity")
        }
        switch host.health {
        case .healthy: return nil
        case .unhealthy(let why): return .unhealthy(why)
        }
    }
}
