import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// The Rackspace cloud driver: Identity v2, Cloud Servers (Nova), Cloud Load Balancers, Cloud
/// Monitoring, Cloud Block Storage (Cinder) and Cloud Networks (Neutron).
///
/// How each resource kind is realised (see PLACEMENT-RACKSPACE.md for placement):
/// - `network`: a Neutron network plus one subnet; `firewall`: a Neutron security group with its
///   ingress rules; `firewall_rule`: one rule in that group. `vpn` is refused: Rackspace sells
///   site-to-site VPN as a managed service with no API.
/// - `key`: the encrypted (LUKS) Cinder volume type, adopted, and verified at plan time by `check`
///   (its encryption spec read, never assumed); `volume`: a Cinder volume of that type;
///   `attachment`: a Nova `os-volume_attachments` entry.
/// - `instance`: a Nova server on the chosen dedicated host; `load_balancer`: a Cloud Load
///   Balancer (health monitor, TLS termination); `lb_target`: one node of it. Every change to a
///   balancer waits while it is `PENDING_UPDATE` (`sendChange`, bounded by `CATALYZE_RAX_LB_WAIT`).
///
/// Every create is tagged (`catalyze:pod`, `catalyze:address`, `catalyze:op`) and looks for an
/// earlier resource with the same `catalyze:op` before it makes one, since Nova and Neutron take
/// no idempotency token.
public final class RackspaceDriver: CloudDriver {
    /// Always `.rax`.
    public let provider: Provider = .rax
    let configuration: RackspaceConfiguration
    let client: RackspaceClient
    let caches = RackspaceCaches()

    /// Creates the driver. `jitter` spreads retries (tests pass a seeded source).
    public init(configuration: RackspaceConfiguration, transport: HTTPTransport, jitter: JitterSource = .system) {
        self.configuration = configuration
        client = RackspaceClient(
            identity: RackspaceIdentity(configuration: configuration, transport: transport), transport: transport,
            configuration: configuration, quota: RetryQuota(), jitter: jitter)
    }

    /// A driver configured from `OS_*` variables (see `RackspaceConfiguration.fromEnvironment`).
    /// Pure function of `env` (and the optional `clouds.yaml` text the caller read).
    public static func fromEnvironment(
        _ env: [String: String], transport: HTTPTransport, cloudsYAML: String? = nil, jitter: JitterSource = .system
    ) throws -> RackspaceDriver {
        RackspaceDriver(
            configuration: try RackspaceConfiguration.fromEnvironment(env, cloudsYAML: cloudsYAML), transport: transport,
            jitter: jitter)
    }

    /// Identity authentications made so far (a reused token keeps this at 1).
    public var authentications: Int { get async { await client.identity.authentications } }

    /// Carries out one create, update or delete.
    public func apply(_ request: ApplyRequest) async throws -> ApplyResponse {
        let region = request.spec.cloudRegion.isEmpty ? configuration.region : request.spec.cloudRegion
        switch request.spec.kind {
        case .instance: return try await applyServer(request, region: region)
        case .loadBalancer: return try await applyLoadBalancer(request, region: region)
        case .lbTarget: return try await applyNode(request, region: region)
        case .network: return try await applyNetwork(request, region: region)
        case .firewall: return try await applySecurityGroup(request, region: region)
        case .firewallRule: return try await applySecurityGroupRule(request, region: region)
        case .vpn: return try await applyVPN(request, region: region)
        case .key: return try await applyVolumeType(request, region: region)
        case .volume: return try await applyVolume(request, region: region)
        case .attachment: return try await applyAttachment(request, region: region)
        case .backupPlan: return try await applyBackupPlan(request, region: region)
        default: throw DriverError.invalidSpec(address: request.spec.address, reason: "Rackspace does not make a \(request.spec.kind)")
        }
    }

    /// The tags every create carries.
    static func tags(_ request: ApplyRequest) -> [String: String] {
        var tags = [
            CatalyzeTag.pod: request.pod, CatalyzeTag.address: request.spec.address.description,
            CatalyzeTag.operation: request.token,
        ]
        // The lineage goes in the create call itself: no extra call, and never an untagged moment.
        if let lineage = request.lineage { tags[CatalyzeTag.lineage] = lineage }
        return tags
    }

    /// A cloud-side name for a resource: `<pod>-<name>` (kind-prefixed when `kind` is set).
    static func cloudName(_ request: ApplyRequest, kind: Bool = false) -> String {
        let base = kind ? "\(request.pod)-\(request.spec.kind.rawValue)-\(request.spec.address.name)" : "\(request.pod)-\(request.spec.address.name)"
        return String(base.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" })
    }

    /// The `key=value;…` form used where an API has a description but no tags (Neutron).
    static func describe(_ tags: [String: String]) -> String {
        tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }

    /// Reads the `key=value;…` form back.
    static func undescribe(_ text: String?) -> [String: String] {
        guard let text else { return [:] }
        var result: [String: String] = [:]
        for part in text.split(separator: ";") {
            guard let equals = part.firstIndex(of: "=") else { continue }
            result[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        return result
    }

    /// The live resource for tags found in the cloud; nil when they are not this pod's.
    static func live(
        _ tags: [String: String], pod: String, kind: ResourceKind, resource: CloudResource
    ) -> LiveResource? {
        guard tags[CatalyzeTag.pod] == pod, let text = tags[CatalyzeTag.address],
              let address = ResourceAddress(parsing: text), address.kind == kind
        else { return nil }
        return LiveResource(address: address, kind: kind, resource: resource, operationToken: tags[CatalyzeTag.operation]).carrying(tags)
    }

    /// Waits one poll interval.
    func pollPause() async throws { try await Task.sleep(for: configuration.pollInterval) }
}

/// Per-driver caches of slow-changing catalogs (flavors, images), keyed by region.
actor RackspaceCaches {
    var flavors: [String: [Flavor]] = [:]
    var images: [String: [(id: String, name: String)]] = [:]

    func setFlavors(_ list: [Flavor], region: String) { flavors[region] = list }
    func setImages(_ list: [(id: String, name: String)], region: String) { images[region] = list }
}
