/// The kinds of resource a pod is made of, provider-neutral. Each driver realises every kind.
///
/// The attribute keys each kind carries are listed in `ResourceKind.attributeKeys`; they are
/// plain strings so that plans diff generically and read well. No attribute ever holds a secret:
/// a secret is named by a `SecretReference` and resolved by the driver at the moment of use.
public enum ResourceKind: String, Hashable, Sendable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// The pod's private network (AWS: VPC + subnet; Rackspace: Neutron network + subnet).
    /// Attributes: `cidr`, `subnet_cidr`, `zone`.
    case network
    /// The pod's firewall (a security group) with its base ingress rules.
    /// Attributes: `network` (address), `ingress` (canonical rule list, see `FirewallRule`).
    case firewall
    /// One separately switchable ingress rule (customer access to logging or monitoring).
    /// Attributes: `firewall` (address), `purpose`, `protocol`, `port`, `cidr`.
    case firewallRule = "firewall_rule"
    /// A site-to-site VPN to the customer's peer. Attributes: `network` (address), `peer_ip`,
    /// `remote_cidrs` (comma-separated; one static route each, changed in place).
    case vpn
    /// The customer's storage encryption key (AWS: a KMS key per pod; Rackspace: the encrypted volume type).
    /// Attributes: `alias`, `customer_key` (optional reference to a key the customer already holds),
    /// `volume_type` (Rackspace, optional: the Cinder volume type named by `encryption.volumeType`).
    case key
    /// An encrypted block-storage volume. Attributes: `size_gib`, `encrypted`, `key` (address), `zone`.
    case volume
    /// One container: an instance/server on the physical host the scheduler chose.
    /// Attributes: `role`, `vcpu`, `memory_mib`, `host`, `zone`, `image`, `network`, `firewall`,
    /// `ssh_ca` (the customer's CA *public* key), `principals`, `port`, `container_image` (what it runs).
    case instance
    /// A volume attached to an instance. Attributes: `volume` (address), `instance` (address), `device`.
    case attachment
    /// The pod's load balancer. Attributes: `network`, `firewall` (addresses), `listeners`
    /// (canonical list `proto/port>targetPort`), `certificate` (reference), `health_check`.
    case loadBalancer = "load_balancer"
    /// One instance registered behind the load balancer.
    /// Attributes: `load_balancer` (address), `instance` (address), `port`.
    case lbTarget = "lb_target"
    /// Scheduled, encrypted backups of the region's database volumes (see `BackupSchedule`).
    /// Attributes: `interval` (hours between backups, as the cloud can schedule it), `retention_days`,
    /// `key` (address of `key.storage`, optional), `copy_to` (cloud region copies go to, same provider;
    /// empty for none), `copy_vault` (address of the backup region's `backup_plan`, whose vault receives
    /// the copies; optional), `instances` (comma-separated addresses of the region's database
    /// instances, whose volumes it covers); on Rackspace also `passphrase` (a `SecretReference` to
    /// the customer's Cloud Backup encryption passphrase, `env:NAME` or `file:PATH`; the reference,
    /// never the value) and `encrypted` (`true` when every agent's vault is encrypted; refresh reads
    /// it back). Only a new `key` replaces it (an AWS vault's key is fixed).
    case backupPlan = "backup_plan"

    /// The name used in addresses, e.g. `load_balancer`.
    public var description: String { rawValue }

    /// Creation order: a kind may depend only on kinds earlier in this list.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// Orders by `rank` (dependencies first).
    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.rank < rhs.rank }

    /// Attribute keys whose change cannot be made in place: the resource must be replaced.
    /// Every other attribute change is an in-place update.
    public var replaceOnChange: Set<String> {
        switch self {
        case .network: ["cidr", "subnet_cidr", "zone", "vpc", "subnets"]
        case .firewall: ["network"]
        case .firewallRule: ["firewall", "purpose", "protocol", "port", "cidr"]
        case .vpn: ["network", "peer_ip"]
        case .key: ["alias", "customer_key"]
        case .volume: ["encrypted", "key", "zone"]
        case .instance: ["role", "vcpu", "memory_mib", "host", "zone", "image", "container_image", "network", "ssh_ca", "principals"]
        case .attachment: ["volume", "instance", "device"]
        case .loadBalancer: ["network", "type", "scheme"]
        case .lbTarget: ["load_balancer", "instance", "port"]
        case .backupPlan: ["key"]
        }
    }

    /// Attribute keys whose empty value means "none", not "unknown" or "the driver's choice": a
    /// VPN without routes, a backup plan that copies nowhere. An empty live value of such a key is
    /// the cloud's real state (drift when the lockfile recorded something else: every route deleted
    /// by hand), and an empty desired value is a change to make (the DR region that backups were
    /// copied to is gone). For every other key an empty live value is ignored (refresh could not
    /// read it) and an empty desired value leaves the choice to the driver (its default image).
    public var emptyMeansNone: Set<String> {
        switch self {
        case .vpn: ["remote_cidrs"]
        case .backupPlan: ["copy_to"]
        default: []
        }
    }

    /// Reference keys whose resource being made anew changes this one in place (an update that
    /// follows it), instead of replacing it: a backup plan follows its database instances.
    public var inPlaceReferenceKeys: Set<String> {
        self == .backupPlan ? ["instances"] : []
    }

    /// Attribute keys that name other resources by address (these make the dependency graph).
    public var referenceKeys: [String] {
        switch self {
        case .network, .key: []
        case .firewall, .vpn: ["network"]
        case .firewallRule: ["firewall"]
        case .volume: ["key"]
        case .instance: ["network", "firewall"]
        case .attachment: ["volume", "instance"]
        case .loadBalancer: ["network", "firewall"]
        case .lbTarget: ["load_balancer", "instance"]
        case .backupPlan: ["key", "copy_vault", "instances"]
        }
    }
}
