import CatalyzeDrivers

/// The capacity of an EC2 Dedicated Host by instance family, and the sizes of instances in it.
///
/// A dedicated host is a whole physical server. Its capacity is the server's, from AWS's
/// "Dedicated Host instance capacity configurations" page (physical cores × 2 = vCPUs) with the
/// memory of the family's size that fills the whole server:
///
/// | family | cores | vCPU | memory | filled by |
/// |---|---|---|---|---|
/// | m5  | 48 | 96  | 384 GiB | m5.24xlarge |
/// | c5  | 36 | 72  | 144 GiB | c5.18xlarge |
/// | r5  | 48 | 96  | 768 GiB | r5.24xlarge |
/// | m6i | 64 | 128 | 512 GiB | m6i.32xlarge |
/// | c6i | 64 | 128 | 256 GiB | c6i.32xlarge |
/// | r6i | 64 | 128 | 1024 GiB | r6i.32xlarge |
///
/// Instance sizes follow the families' fixed memory-per-vCPU ratio (m: 4 GiB, c: 2 GiB, r: 8 GiB).
public struct HostFamily: Sendable, Hashable {
    /// The family name, e.g. `m5`.
    public var name: String
    /// The whole server's capacity.
    public var capacity: Capacity
    /// GiB of memory per vCPU in this family's instance sizes.
    public var memoryGiBPerVCPU: Int
    /// The sizes on offer, smallest first: suffix and vCPUs.
    public var sizes: [(suffix: String, vcpu: Int)]

    /// The families catalyze knows.
    public static let known: [String: HostFamily] = {
        let standard: [(String, Int)] = [
            ("large", 2), ("xlarge", 4), ("2xlarge", 8), ("4xlarge", 16), ("8xlarge", 32), ("12xlarge", 48),
            ("16xlarge", 64), ("24xlarge", 96),
        ]
        let c5: [(String, Int)] = [
            ("large", 2), ("xlarge", 4), ("2xlarge", 8), ("4xlarge", 16), ("9xlarge", 36), ("18xlarge", 72),
        ]
        let sixth = standard + [("32xlarge", 128)]
        let table: [HostFamily] = [
            HostFamily(name: "m5", vcpu: 96, perVCPU: 4, sizes: standard),
            HostFamily(name: "c5", vcpu: 72, perVCPU: 2, sizes: c5),
            HostFamily(name: "r5", vcpu: 96, perVCPU: 8, sizes: standard),
            HostFamily(name: "m6i", vcpu: 128, perVCPU: 4, sizes: sixth),
            HostFamily(name: "c6i", vcpu: 128, perVCPU: 2, sizes: sixth),
            HostFamily(name: "r6i", vcpu: 128, perVCPU: 8, sizes: sixth),
        ]
        return Dictionary(uniqueKeysWithValues: table.map { ($0.name, $0) })
    }()

    init(name: String, vcpu: Int, perVCPU: Int, sizes: [(String, Int)]) {
        self.name = name
        self.capacity = Capacity(vcpu: vcpu, memoryMiB: vcpu * perVCPU * 1024)
        self.memoryGiBPerVCPU = perVCPU
        self.sizes = sizes.map { (suffix: $0.0, vcpu: $0.1) }
    }

    /// The smallest instance type of this family with at least `vcpu` vCPUs and `memoryMiB` memory.
    public func instanceType(vcpu: Int, memoryMiB: Int) -> String? {
        sizes.first { $0.vcpu >= vcpu && $0.vcpu * memoryGiBPerVCPU * 1024 >= memoryMiB }
            .map { "\(name).\($0.suffix)" }
    }

    /// The vCPUs and memory of an instance type such as `m5.large`; nil for an unknown type.
    public static func size(of instanceType: String) -> Capacity? {
        let parts = instanceType.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let family = known[parts[0]],
              let size = family.sizes.first(where: { $0.suffix == parts[1] })
        else { return nil }
        return Capacity(vcpu: size.vcpu, memoryMiB: size.vcpu * family.memoryGiBPerVCPU * 1024)
    }

    /// Equal by name.
    public static func == (lhs: HostFamily, rhs: HostFamily) -> Bool { lhs.name == rhs.name }
    /// Hashes the name.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
