import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace
import CatalyzeTestSupport
import Foundation

/// Builds drivers pointed at mimic, one tenant per test.
struct RackspaceTestHarness {
    let mimic: RackspaceMimic
    let tenant: String
    let pod: String

    init(_ label: String) throws {
        mimic = try RackspaceMimic()
        tenant = RackspaceMimic.uniqueTenant(label)
        pod = "pod-\(tenant)"
    }

    /// Short polls and retries: mimic answers in milliseconds.
    /// A Nova-style host id (56 hex digits, like sha224) for `seed`.
    static func hostID(_ seed: String) -> String {
        var hex = ""
        var state: UInt64 = 1469598103934665603
        while hex.count < 56 {
            for byte in seed.utf8 { state = (state ^ UInt64(byte)) &* 1099511628211 }
            hex += String(state, radix: 16)
        }
        return String(hex.prefix(56))
    }

    func configuration(username: String? = nil, maxPolls: Int = 50) -> RackspaceConfiguration {
        RackspaceConfiguration(
            authURL: mimic.authURL, username: username ?? RackspaceMimic.user(tenant), apiKey: Secret("key-\(tenant)"), tenantID: tenant, region: "ORD",
            pollInterval: .milliseconds(20), maxPolls: maxPolls,
            retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5), throttleBaseDelay: .milliseconds(10), maxDelay: .milliseconds(50)))
    }

    func driver(username: String? = nil, maxPolls: Int = 50, transport: HTTPTransport? = nil) -> RackspaceDriver {
        RackspaceDriver(
            configuration: configuration(username: username, maxPolls: maxPolls), transport: transport ?? CurlTransport(),
            jitter: JitterSource { 0.5 })
    }

    /// The network and firewall every `instance` names. Their ids are the harness's own: these tests
    /// are about placement and idempotency, and mimic's Nova ignores a server's `networks` and
    /// `security_groups` (Tests/Peers/README.md); the shared conformance suite and the end-to-end
    /// tests make real ones first.
    static let network = ResourceAddress(region: "primary", kind: .network, name: "main")
    static let firewall = ResourceAddress(region: "primary", kind: .firewall, name: "main")
    static let dependencies = [
        network: CloudResource(cloudID: "harness-network"), firewall: CloudResource(cloudID: "harness-security-group"),
    ]

    func instance(_ name: String, host: String, extra: [String: String] = [:]) -> ResourceSpec {
        var attributes = [
            "role": "app", "vcpu": "2", "memory_mib": "2048", "host": host, "zone": "ORD", "image": "", "ssh_ca": "",
            "principals": "\(pod)-\(name)", "port": "8080", "network": Self.network.description, "firewall": Self.firewall.description,
        ]
        attributes.merge(extra) { _, new in new }
        return ResourceSpec(
            address: ResourceAddress(region: "primary", kind: .instance, name: name), kind: .instance, provider: .rax,
            cloudRegion: "ORD", attributes: attributes)
    }

    func create(_ driver: RackspaceDriver, _ spec: ResourceSpec, token: String) async throws -> CloudResource? {
        try await driver.apply(ApplyRequest(
            operation: .create, pod: pod, spec: spec, prior: nil, token: token, dependencies: Self.dependencies, secrets: .none)).resource
    }

    func delete(_ driver: RackspaceDriver, _ spec: ResourceSpec, prior: CloudResource) async throws {
        _ = try await driver.apply(ApplyRequest(
            operation: .delete, pod: pod, spec: spec, prior: prior, token: "del", dependencies: [:], secrets: .none))
    }

    /// Servers of the tenant carrying `catalyze:op` = `token`, as mimic lists them.
    func servers(token: String) async throws -> [[String: Any]] {
        try await mimic.servers(tenant: tenant).filter { (($0["metadata"] as? [String: Any])?[CatalyzeTag.operation] as? String) == token }
    }
}
