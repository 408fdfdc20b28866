import CatalyzeCore
import CatalyzeModel

/// A whole pod manifest (version 1), with every default filled in. See `catalyze-manifest(5)`.
public struct PodManifest: Hashable, Sendable {
    /// Manifest format version (1).
    public var version: Int
    /// The pod's identity.
    public var pod: PodMetadata
    /// `hipaa` or `dev`.
    public var profile: Profile
    /// Where the pod runs: one primary region and any DR regions.
    public var regions: [RegionSpec]
    /// How containers are placed on hosts.
    public var scheduling: Scheduling
    /// The pod's private network.
    public var network: NetworkSettings
    /// VPN and ingress rules.
    public var firewall: Firewall
    /// The load balancer in front of the app containers.
    public var loadBalancer: LoadBalancer
    /// Storage encryption with the customer's key.
    public var encryption: Encryption
    /// App container groups (replicated, anti-affine).
    public var apps: [AppGroup]
    /// Database container groups on encrypted block storage.
    public var databases: [DatabaseGroup]
    /// The consumer API container.
    public var api: APIContainer
    /// The logging container (always deployed; customer access optional).
    public var logging: LoggingContainer
    /// The monitoring container (always deployed; customer access optional).
    public var monitoring: MonitoringContainer
    /// Backups and disaster recovery.
    public var backup: Backup
    /// Support access policy (certificate TTL caps, the customer's CA public key).
    public var access: AccessPolicy
    /// Where the pod's state lives (`state: { backend: URL }`); nil backend: the local lockfile.
    public var state: StateSettings = StateSettings()

    /// The primary region (validation guarantees exactly one).
    public var primaryRegion: RegionSpec { regions.first { $0.role == .primary } ?? regions[0] }
}

/// `hipaa` enforces encryption, TLS, logging, monitoring and backup; `dev` may switch them off.
public enum Profile: String, Hashable, Sendable, CaseIterable {
    /// All safeguards enforced.
    case hipaa
    /// Safeguards may be relaxed (each relaxation is a warning).
    case dev
}

/// The pod's identity.
public struct PodMetadata: Hashable, Sendable {
    /// Lowercase DNS-style name, unique among pods: `[a-z][a-z0-9-]{1,30}`.
    public var name: String
    /// The customer's name (free text).
    public var customer: String
}

/// One region the pod runs in.
public struct RegionSpec: Hashable, Sendable {
    /// The manifest's own name for it (used in addresses and references), e.g. `primary`.
    public var name: String
    /// Which cloud.
    public var provider: Provider
    /// The cloud's region, e.g. `us-east-1` or `ORD`.
    public var cloudRegion: String
    /// `primary` serves traffic; `dr` is the warm standby that receives backups.
    public var role: RegionRole
    /// Optional availability zones to restrict placement to.
    public var zones: [String]
    /// An existing network (AWS: a VPC and its subnets) to use instead of creating one; nil: create it.
    public var network: NetworkReference? = nil
}

/// An existing network named in the manifest: catalyze verifies it and uses it, and never creates
/// or deletes it.
public struct NetworkReference: Hashable, Sendable {
    /// The VPC id, e.g. `vpc-0a1b2c3d`.
    public var vpc: String
    /// Its subnets for the pod (ids, in order; an application load balancer needs two zones).
    public var subnets: [String]

    /// Creates a reference.
    public init(vpc: String, subnets: [String]) {
        self.vpc = vpc
        self.subnets = subnets
    }
}

/// What a region is for.
public enum RegionRole: String, Hashable, Sendable, CaseIterable {
    /// Serves traffic.
    case primary
    /// Disaster-recovery standby.
    case dr
}

/// Placement weights, minimums and the anti-affinity rule.
public struct Scheduling: Hashable, Sendable {
    /// `required` (hard) or `preferred` (a penalty).
    public var antiAffinity: AntiAffinityMode
    /// Bid penalty per sibling already on a host, with `preferred`.
    public var preferredPenalty: Double
    /// Metrics older than this make a host ineligible.
    public var maxMetricAge: TimeSpan
    /// Bid weights, each ≥ 0.
    public var weights: Weights
    /// Minimum headroom (percent) a host must keep after placement.
    public var minimums: Minimums

    /// Bid weights.
    public struct Weights: Hashable, Sendable {
        /// Weight of CPU headroom (1 − cpu%/100).
        public var cpu: Double
        /// Weight of memory headroom (1 − mem%/100).
        public var memory: Double
        /// Weight of the fraction of vCPUs left free after placement.
        public var freeVcpu: Double
        /// Weight of the fraction of memory left free after placement.
        public var freeMemory: Double
    }

    /// Minimum headroom after placement.
    public struct Minimums: Hashable, Sendable {
        /// Minimum CPU headroom in percent (100 − cpu%).
        public var cpuHeadroomPercent: Double
        /// Minimum memory headroom in percent (100 − mem%).
        public var memoryHeadroomPercent: Double
        /// Minimum share of vCPUs left unallocated, in percent.
        public var freeVcpuPercent: Double
        /// Minimum share of memory left unallocated, in percent.
        public var freeMemoryPercent: Double
    }
}

/// Anti-affinity mode.
public enum AntiAffinityMode: String, Hashable, Sendable, CaseIterable {
    /// Members of a group never share a physical host; placement fails otherwise.
    case required
    /// Sharing is allowed at a stated bid penalty.
    case preferred
}

/// The pod's private network.
public struct NetworkSettings: Hashable, Sendable {
    /// The network's CIDR block, e.g. `10.40.0.0/16`.
    public var cidr: CIDR
    /// The subnet the containers use (default: the first /24 of `cidr`).
    public var subnetCidr: CIDR
}

/// The firewall: VPN to the customer, and ingress rules.
public struct Firewall: Hashable, Sendable {
    /// Site-to-site VPN to the customer's network, if any.
    public var vpn: VPN?
    /// Ingress rules.
    public var ingress: [IngressRule]
}

/// A site-to-site VPN.
public struct VPN: Hashable, Sendable {
    /// The customer's VPN endpoint (public IPv4).
    public var peer: String
    /// The customer's networks reachable through it.
    public var remoteCidrs: [CIDR]
}

/// One ingress rule.
public struct IngressRule: Hashable, Sendable {
    /// A name for humans and plans.
    public var name: String
    /// `tcp` or `udp`.
    public var proto: String
    /// A port or range.
    public var ports: PortRange
    /// Who may connect.
    public var cidrs: [CIDR]
}

/// The load balancer.
public struct LoadBalancer: Hashable, Sendable {
    /// `application` (HTTP/HTTPS) or `network` (TCP/TLS, and TLS passed through on AWS).
    public var type: String
    /// `internet-facing` or `internal`.
    public var scheme: String
    /// Listeners.
    public var listeners: [Listener]
    /// Health check against the app containers.
    public var healthCheck: HealthCheck
}

/// One load-balancer listener.
///
/// `https` and `tls` terminate TLS at the balancer with the customer's certificate (read at apply
/// time, installed in the cloud); `tls-passthrough` forwards the encrypted stream untouched to the
/// containers, which hold the key and terminate TLS themselves (zero trust: the operator's cloud
/// account never holds the key, the balancer never sees plaintext).
public struct Listener: Hashable, Sendable {
    /// `https`, `tls`, `tls-passthrough`, `http` or `tcp`.
    public var proto: String
    /// The port clients connect to.
    public var port: Int
    /// The app containers' port.
    public var targetPort: Int
    /// The TLS certificate: a reference (`file:`, `env:`) or a provider certificate id (ACM ARN). Never inline.
    /// Only a listener that terminates TLS (`isTLS`) has one.
    public var certificate: String?
    /// True for `https` and `tls`: the balancer terminates TLS, so the listener needs a certificate.
    public var isTLS: Bool { proto == "https" || proto == "tls" }
    /// True for `tls-passthrough`: TLS passes through the balancer to the containers, which hold
    /// the key; no certificate.
    public var isPassthrough: Bool { proto == ListenerProtocol.tlsPassthrough }
    /// True when traffic on this listener is TLS all the way to the balancer at least: it terminates
    /// TLS there (`isTLS`) or passes it through to the containers (`isPassthrough`).
    public var isEncrypted: Bool { isTLS || isPassthrough }
}

/// A load-balancer health check.
public struct HealthCheck: Hashable, Sendable {
    /// `http`, `https` or `tcp`.
    public var proto: String
    /// Path for HTTP checks.
    public var path: String
    /// The port checked.
    public var port: Int
    /// Time between checks.
    public var interval: TimeSpan
}

/// Storage encryption.
public struct Encryption: Hashable, Sendable {
    /// Encrypt block storage (and backups). Required by `hipaa`.
    public var enabled: Bool
    /// The customer's key (`kms:…` or a key ARN); nil: catalyze creates a key per pod, owned by the customer's account.
    public var key: String?
    /// Rackspace: the Cinder volume type (name or id) the pod's encrypted volumes are made of;
    /// `plan` checks that it has an encryption spec. Nil: the first type (by name) that has one.
    public var volumeType: String? = nil
    /// AWS: the customer's IAM principals (ARNs) that administer the key catalyze makes (its key
    /// policy); empty: the account's root administers it, as AWS's default policy has it.
    public var keyAdministrators: [String] = []
}

/// A container's size: a named size or explicit vCPUs and memory.
public struct ContainerSize: Hashable, Sendable {
    /// Virtual CPUs.
    public var vcpu: Int
    /// Memory.
    public var memory: ByteSize

    /// Named sizes: small 1/2GiB, medium 2/4GiB, large 4/16GiB, xlarge 8/32GiB.
    public static let named: [(String, ContainerSize)] = [
        ("small", ContainerSize(vcpu: 1, memory: ByteSize(bytes: 2 << 30))),
        ("medium", ContainerSize(vcpu: 2, memory: ByteSize(bytes: 4 << 30))),
        ("large", ContainerSize(vcpu: 4, memory: ByteSize(bytes: 16 << 30))),
        ("xlarge", ContainerSize(vcpu: 8, memory: ByteSize(bytes: 32 << 30))),
    ]
}

/// A group of identical, anti-affine app containers named `<name>01`, `<name>02`, …
public struct AppGroup: Hashable, Sendable {
    /// Group name, e.g. `web`.
    public var name: String
    /// How many.
    public var replicas: Int
    /// Each one's size.
    public var size: ContainerSize
    /// Container image.
    public var image: String
    /// The port it serves (the load balancer's target port).
    public var port: Int
    /// Regions it runs in (default: all).
    public var regions: [String]
}

/// A group of database containers, each with its own encrypted volume.
public struct DatabaseGroup: Hashable, Sendable {
    /// Group name, e.g. `db`.
    public var name: String
    /// `postgres` or `mysql`.
    public var engine: String
    /// Engine version, e.g. `16`.
    public var engineVersion: String
    /// How many (one primary, the rest replicas).
    public var replicas: Int
    /// Each one's size.
    public var size: ContainerSize
    /// Block storage per replica.
    public var storage: ByteSize
    /// Encrypt the storage with the pod's key.
    public var encrypted: Bool
    /// The administrator password, as a reference (never inline).
    public var password: SecretReference?
    /// Regions it runs in (default: all).
    public var regions: [String]
}

/// The consumer API container.
public struct APIContainer: Hashable, Sendable {
    /// How many.
    public var replicas: Int
    /// Size.
    public var size: ContainerSize
    /// The port it serves.
    public var port: Int
}

/// Who outside the pod may reach a logging or monitoring endpoint.
public struct CustomerAccess: Hashable, Sendable {
    /// True when the customer pays for access: one firewall rule opens the endpoint to `cidrs`.
    public var enabled: Bool
    /// The customer's networks.
    public var cidrs: [CIDR]

    /// Creates a setting.
    public init(enabled: Bool, cidrs: [CIDR]) {
        self.enabled = enabled
        self.cidrs = cidrs
    }
}

/// The logging container and its JSON endpoint.
public struct LoggingContainer: Hashable, Sendable {
    /// Size.
    public var size: ContainerSize
    /// The JSON endpoint's port.
    public var port: Int
    /// The JSON endpoint's path.
    public var path: String
    /// How long logs are kept.
    public var retention: TimeSpan
    /// Customer access (deploy-time setting; `catalyze access expose|conceal logging` switches it later).
    public var customerAccess: CustomerAccess
    /// `dev` only: false stops shipping logs (the container is still deployed).
    public var enabled: Bool
}

/// The monitoring container.
public struct MonitoringContainer: Hashable, Sendable {
    /// Size.
    public var size: ContainerSize
    /// The dashboard/API port.
    public var port: Int
    /// Customer access.
    public var customerAccess: CustomerAccess
    /// `dev` only: false stops collecting (the container is still deployed).
    public var enabled: Bool
}

/// Backups and DR.
public struct Backup: Hashable, Sendable {
    /// Take backups. Required by `hipaa`.
    public var enabled: Bool
    /// Time between backups.
    public var interval: TimeSpan
    /// How long backups are kept.
    public var retention: TimeSpan
    /// The region backups are copied to (a `dr` region by default, else the primary).
    public var region: String?
    /// The customer's backup encryption passphrase, as a reference (`env:NAME` or `file:PATH`, never
    /// inline). Rackspace Cloud Backup encrypts an agent's vault at rest only with it; AWS Backup
    /// vaults use the pod's KMS key and ignore it.
    public var passphrase: SecretReference? = nil
}

/// Support access policy.
public struct AccessPolicy: Hashable, Sendable {
    /// Longest TTL a grant may have (default 8h).
    public var maxTTL: TimeSpan
    /// Longest TTL of an `--emergency` grant (default 1h).
    public var emergencyMaxTTL: TimeSpan
    /// The customer's SSH CA public key (`file:PATH` to an `ssh-ed25519 …` line), installed on every host.
    public var caPublicKey: String?
    /// The operator's public key (`file:PATH` to an `ssh-ed25519 …` line): `audit --verify` checks
    /// with it the signatures of exposure changes (`access expose`/`conceal`, `import`), which the
    /// operator signs with its private half. Never installed on a host.
    public var operatorPublicKey: String? = nil
}

/// `state:` — where the pod's state lives, for every pipeline that applies it.
public struct StateSettings: Hashable, Sendable {
    /// `state.backend`: `--backend` and `CATALYZE_BACKEND` win over it; nil: the local lockfile.
    public var backend: StateBackendURL?

    /// Creates settings.
    public init(backend: StateBackendURL? = nil) { self.backend = backend }
}
