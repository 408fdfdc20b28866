/// What a launch needs to know of a dedicated host (DescribeHosts).
struct DedicatedHostFacts: Sendable, Hashable {
    /// Its instance family, e.g. `m5` (see `AWSDriver.hostFamily`).
    var family: String
    /// Its availability zone (empty when EC2 reports none).
    var zone: String
    /// The one instance type a host allocated for a single type runs (EC2 reports no family for
    /// it, and a launch must ask for exactly that type); empty for a host of a whole family.
    var instanceType: String
}

/// Values read once per region and kept for the driver's life, each fetched by one task however
/// many callers ask at once. A failed fetch is forgotten, so the next caller tries again.
struct RegionFacts: Sendable {
    /// Each region's dedicated hosts by host id (one DescribeHosts, paginated; a host allocated
    /// since is described on its own and merged in).
    let hosts = SingleFlight<[String: DedicatedHostFacts]>()
    /// Each region's newest Amazon Linux 2023 image (nil when there is none).
    let images = SingleFlight<String?>()
    /// Each region's available availability zones, sorted.
    let zones = SingleFlight<[String]>()
    /// Each image's root device (DescribeImages), by `<region> <image id>`.
    let rootDevices = SingleFlight<RootDevice>()
    /// The principal the driver's credentials act as (STS GetCallerIdentity), under the key `caller`.
    let caller = SingleFlight<CallerIdentity>()
}

/// Who the driver's credentials are (STS GetCallerIdentity).
struct CallerIdentity: Sendable, Hashable {
    /// The account, 12 digits.
    var account: String
    /// The caller's ARN as STS reports it (an assumed role's session ARN for a role).
    var arn: String
    /// The ARN partition (`aws`, …).
    var partition: String { arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? "aws" }
}

/// An image's root device as DescribeImages reports it: what a launch's block device mapping must
/// name to set the root volume's encryption (a mapping of another device adds a volume instead).
struct RootDevice: Sendable, Hashable {
    /// `RootDeviceName`, e.g. `/dev/xvda`.
    var name: String
    /// The root snapshot's size in GiB (a launch may not ask for less); nil when the image names none.
    var sizeGiB: Int?
}

/// A value per key (a region), fetched by one task however many callers ask at once; a failed
/// fetch is forgotten, so the next caller tries again.
actor SingleFlight<Value: Sendable> {
    private var tasks: [String: Task<Value, Error>] = [:]

    /// The value for `key`, fetched with `fetch` the first time.
    func value(_ key: String, fetch: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = tasks[key] { return try await task.value }
        let task = Task { try await fetch() }
        tasks[key] = task
        do {
            return try await task.value
        } catch {
            tasks[key] = nil
            throw error
        }
    }

    /// Adds `entries` to the table kept for `key` (after a miss was looked up on its own).
    func merge<Key: Hashable & Sendable, Entry: Sendable>(_ key: String, _ entries: [Key: Entry]) async where Value == [Key: Entry] {
        let current = (try? await tasks[key]?.value) ?? [:]
        let merged = current.merging(entries) { _, new in new }
        tasks[key] = Task<Value, Error> { merged }
    }
}
