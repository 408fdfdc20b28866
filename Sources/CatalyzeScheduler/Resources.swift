import CatalyzeCore

/// An amount of machine: whole vCPUs, memory and local disk.
///
/// Used both for a host's capacity and for a container's size.
public struct Resources: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Virtual CPUs.
    public var vCPU: Int
    /// Memory.
    public var memory: ByteSize
    /// Local disk (zero when the container's storage is a network volume).
    public var disk: ByteSize

    /// Creates an amount.
    public init(vCPU: Int, memory: ByteSize, disk: ByteSize = ByteSize(bytes: 0)) {
        self.vCPU = vCPU
        self.memory = memory
        self.disk = disk
    }

    /// Nothing at all.
    public static let zero = Resources(vCPU: 0, memory: ByteSize(bytes: 0))

    /// `4 vCPU, 16GiB memory, 100GiB disk`.
    public var description: String {
        "\(vCPU) vCPU, \(memory) memory, \(disk) disk"
    }

    /// The sum of two amounts (saturating at the top, never trapping).
    public static func + (lhs: Resources, rhs: Resources) -> Resources {
        Resources(
            vCPU: lhs.vCPU &+ rhs.vCPU,
            memory: ByteSize(bytes: lhs.memory.bytes.addingReportingOverflow(rhs.memory.bytes).overflow
                ? .max : lhs.memory.bytes + rhs.memory.bytes),
            disk: ByteSize(bytes: lhs.disk.bytes.addingReportingOverflow(rhs.disk.bytes).overflow
                ? .max : lhs.disk.bytes + rhs.disk.bytes))
    }
}
