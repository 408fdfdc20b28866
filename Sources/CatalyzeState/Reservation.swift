import Foundation

/// One container's claim on a fleet host, held in the region's `ReservationLedger` from the moment
/// an `apply` chooses the host until the live fleet shows the instance there.
///
/// `reserved` claims are made before launching; `committed` ones name the instance that exists
/// (made, but perhaps not yet in the fleet's own figures). Both count against the host for every
/// other pod's placement until they expire (`expiresAt`, renewed while their apply runs) or the live
/// fleet shows `instanceID` on the host.
public struct Reservation: Codable, Hashable, Sendable {
    /// Made before launching; or naming the instance that exists.
    public enum State: String, Codable, Hashable, Sendable {
        case reserved
        case committed
    }

    /// The fleet host's id (AWS `h-…`, Rackspace host id).
    public var host: String
    /// The pod the container belongs to.
    public var pod: String
    /// The container's instance address in its pod, e.g. `primary/instance.app01`.
    public var address: String
    /// Its anti-affinity group, e.g. `acme-prod/primary/app`.
    public var group: String
    /// vCPUs claimed.
    public var vcpu: Int
    /// Memory claimed, MiB.
    public var memoryMiB: Int
    /// `reserved` or `committed`.
    public var state: State
    /// The instance's cloud id once it exists (`committed`).
    public var instanceID: String?
    /// When the claim lapses unless renewed (the holder's clock; runners keep their clocks in step).
    public var expiresAt: Date
    /// The apply that holds it (its state-lock request id).
    public var holder: String

    /// Creates a reservation.
    public init(
        host: String, pod: String, address: String, group: String, vcpu: Int, memoryMiB: Int,
        state: State = .reserved, instanceID: String? = nil, expiresAt: Date, holder: String
    ) {
        self.host = host
        self.pod = pod
        self.address = address
        self.group = group
        self.vcpu = vcpu
        self.memoryMiB = memoryMiB
        self.state = state
        self.instanceID = instanceID
        self.expiresAt = expiresAt
        self.holder = holder
    }

    enum CodingKeys: String, CodingKey {
        case host, pod, address, group, vcpu, state, holder
        case memoryMiB = "memory_mib"
        case instanceID = "instance_id"
        case expiresAt = "expires_at"
    }
}
