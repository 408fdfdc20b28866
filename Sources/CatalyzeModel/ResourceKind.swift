/// What a pod resource is, provider-neutral: `network`, `instance`, `load_balancer`, …
///
/// Each kind is defined in one file of `Kinds/`: a static member here, its `KindDefinition` (how
/// its attributes diff, which attributes name other resources, which clouds offer it) and its
/// typed spec (`KindSpec`), whose `attributes` are the one canonical encoding that plans diff and
/// lockfiles store. `allCases` lists the kinds in creation order; that list is the only other line
/// a new kind adds here. No attribute ever holds a secret: a secret is named by a
/// `SecretReference` and resolved by the driver at the moment of use.
///
/// A struct rather than an enum so that no `switch` over every kind exists outside this target:
/// drivers keep a table of handlers, the planner asks the definition.
public struct ResourceKind: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The name used in addresses, plans and lockfiles, e.g. `load_balancer`.
    public let rawValue: String
    /// The kind's rules (see `KindDefinition`).
    public let definition: KindDefinition

    /// A kind with `definition` (each kind's file makes exactly one, as a static member).
    public init(_ definition: KindDefinition) {
        rawValue = definition.name
        self.definition = definition
    }

    /// The kind named `rawValue`; nil when no kind of `allCases` has that name.
    public init?(rawValue: String) {
        guard let kind = Self.byName[rawValue] else { return nil }
        self = kind
    }

    /// Every kind, in creation order: a kind may depend only on kinds earlier in this list.
    public static let allCases: [ResourceKind] = [
        .network, .firewall, .firewallRule, .vpn, .key, .volume, .instance, .attachment, .loadBalancer, .lbTarget,
        .backupPlan, .flowLog,
    ]

    private static let byName: [String: ResourceKind] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
    private static let ranks: [String: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1.rawValue, $0) })

    /// The name used in addresses, e.g. `load_balancer`.
    public var description: String { rawValue }

    /// Creation order: its position in `allCases`.
    public var rank: Int { Self.ranks[rawValue] ?? Int.max }

    /// Orders by `rank` (dependencies first).
    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.rank < rhs.rank }

    /// Kinds are equal by name.
    public static func == (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.rawValue == rhs.rawValue }

    /// Hashes the name.
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// Attribute keys whose change cannot be made in place: the resource must be replaced.
    /// Every other attribute change is an in-place update.
    public var replaceOnChange: Set<String> { definition.replaceOnChange }

    /// Attribute keys whose empty value means "none", not "unknown" or "the driver's choice": a
    /// VPN without routes, a backup plan that copies nowhere. An empty live value of such a key is
    /// the cloud's real state (drift when the lockfile recorded something else: every route deleted
    /// by hand), and an empty desired value is a change to make (the DR region that backups were
    /// copied to is gone). For every other key an empty live value is ignored (refresh could not
    /// read it) and an empty desired value leaves the choice to the driver (its default image).
    public var emptyMeansNone: Set<String> { definition.emptyMeansNone }

    /// Reference keys whose resource being made anew changes this one in place (an update that
    /// follows it), instead of replacing it: a backup plan follows its database instances.
    public var inPlaceReferenceKeys: Set<String> { definition.inPlaceReferenceKeys }

    /// Attribute keys that name other resources by address (these make the dependency graph).
    public var referenceKeys: [String] { definition.referenceKeys }

    /// `attributes` decoded as this kind's typed spec and encoded again: the canonical encoding
    /// of what they say, or the first key that is missing or malformed.
    public func canonical(_ attributes: [String: String]) throws(MalformedSpecText) -> [String: String] {
        do {
            return try definition.recode(attributes)
        } catch let error as MalformedSpecText {
            throw error
        } catch {
            throw MalformedSpecText(what: "\(self) attributes", text: "\(error)", form: "its spec")
        }
    }

    /// True when `provider`'s driver makes this kind (`CloudCapabilities.kinds`).
    public func isOffered(by provider: Provider) -> Bool { definition.providers.contains(provider) }

    /// Encoded as its name.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let kind = ResourceKind(rawValue: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown resource kind '\(name)'")
        }
        self = kind
    }

    /// Encoded as its name.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The rules of one resource kind that hold on every cloud.
public struct KindDefinition: Sendable {
    /// Its name in addresses, e.g. `load_balancer`.
    public var name: String
    /// Attribute keys whose change replaces the resource (see `ResourceKind.replaceOnChange`).
    public var replaceOnChange: Set<String>
    /// Attribute keys whose empty value means "none" (see `ResourceKind.emptyMeansNone`).
    public var emptyMeansNone: Set<String>
    /// Reference keys followed in place (see `ResourceKind.inPlaceReferenceKeys`).
    public var inPlaceReferenceKeys: Set<String>
    /// Attribute keys that hold addresses of other resources (comma-separated lists allowed).
    public var referenceKeys: [String]
    /// The clouds whose drivers make it.
    public var providers: Set<Provider>
    /// Decodes attributes through the kind's typed spec and encodes them again (see `ResourceKind.canonical`).
    let recode: @Sendable ([String: String]) throws -> [String: String]

    /// Creates a definition whose typed form is `spec`.
    public init<Spec: KindSpec>(
        name: String, spec: Spec.Type, replaceOnChange: Set<String>, emptyMeansNone: Set<String> = [],
        inPlaceReferenceKeys: Set<String> = [], referenceKeys: [String] = [], providers: Set<Provider> = Set(Provider.allCases)
    ) {
        recode = { attributes in try Spec(attributes: attributes).attributes }
        self.name = name
        self.replaceOnChange = replaceOnChange
        self.emptyMeansNone = emptyMeansNone
        self.inPlaceReferenceKeys = inPlaceReferenceKeys
        self.referenceKeys = referenceKeys
        self.providers = providers
    }
}
