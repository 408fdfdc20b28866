/// What a pod resource is, provider-neutral: `network`, `instance`, `load_balancer`, …
///
/// Each kind is defined in one file of `Kinds/`: its `KindDefinition` (how its attributes diff,
/// which attributes name other resources, which clouds offer it), a static member here, and its
/// typed spec (`KindSpec`), whose `attributes` are the one canonical encoding that plans diff and
/// lockfiles store. `KindDefinition.all` is every kind in creation order, gathered from the specs
/// (the `Registry` build plugin lists every `KindSpec` of this target): a new kind adds its file and
/// no other line. No attribute ever holds a secret: a secret is named by a `SecretReference` and
/// resolved by the driver at the moment of use.
///
/// A struct rather than an enum so that no `switch` over every kind exists outside this target:
/// drivers keep a table of handlers, the planner asks the definition.
public struct ResourceKind: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The name used in addresses, plans and lockfiles, e.g. `load_balancer`. At most 15 bytes, so
    /// Swift keeps it inline: a kind is copied with every address, and copying one costs no
    /// reference counting (as the enum it replaced did not).
    public let rawValue: String

    /// The kind `definition` defines (each kind's file makes exactly one, as a static member).
    public init(_ definition: KindDefinition) { rawValue = definition.name }

    /// The kind named `rawValue`; nil when no kind of `allCases` has that name.
    public init?(rawValue: String) {
        guard Self.registry[rawValue] != nil else { return nil }
        self.rawValue = rawValue
    }

    /// Every kind, in creation order (`KindDefinition.all`).
    public static let allCases: [ResourceKind] = KindDefinition.all.map(ResourceKind.init)

    /// Each registered kind's definition and rank, by name.
    private static let registry: [String: (definition: KindDefinition, rank: Int)] = Dictionary(
        uniqueKeysWithValues: KindDefinition.all.enumerated().map { ($1.name, ($1, $0)) })

    /// The kind's rules (see `KindDefinition`); for a kind outside `KindDefinition.all` (made by a
    /// test), rules that replace on nothing and refer to nothing.
    public var definition: KindDefinition { Self.registry[rawValue]?.definition ?? KindDefinition(unregistered: rawValue) }

    /// The name used in addresses, e.g. `load_balancer`.
    public var description: String { rawValue }

    /// Creation order: its position in `KindDefinition.all` (`Int.max` for a kind outside it).
    public var rank: Int { Self.registry[rawValue]?.rank ?? Int.max }

    /// Orders by `rank` (dependencies first).
    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.rank < rhs.rank }

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
    public func isOffered(by provider: Provider) -> Bool { definition.providers?.contains(provider) ?? true }

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
    /// Every kind's definition, in creation order (by `rank`): each `KindSpec` of this target
    /// names its kind's definition, and the `Registry` build plugin lists every `KindSpec`, so a new
    /// kind's file is all it takes.
    public static let all: [KindDefinition] = registeredKindSpec.map { $0.definition }.sorted { $0.rank < $1.rank }

    /// Its name in addresses, e.g. `load_balancer`.
    public var name: String
    /// Its place in creation order: a kind may refer only to kinds of a lower rank (a volume to its
    /// key, an instance to its network), as the dependency graph and refresh's read-back order
    /// assume. Unique; spaced by ten so that a new kind can go between two others.
    public var rank: Int
    /// Attribute keys whose change replaces the resource (see `ResourceKind.replaceOnChange`).
    public var replaceOnChange: Set<String>
    /// Attribute keys whose empty value means "none" (see `ResourceKind.emptyMeansNone`).
    public var emptyMeansNone: Set<String>
    /// Reference keys followed in place (see `ResourceKind.inPlaceReferenceKeys`).
    public var inPlaceReferenceKeys: Set<String>
    /// Attribute keys that hold addresses of other resources (comma-separated lists allowed).
    public var referenceKeys: [String]
    /// The clouds whose drivers make it; nil for every cloud. Only a kind some clouds lack names
    /// clouds (`flow_log`: AWS), so a new cloud edits no kind; each cloud's handler tests fail
    /// when it lacks a handler for a kind it is said to offer.
    public var providers: Set<Provider>?
    /// Why a change of a replace trigger cannot be made in place, by key, where the key's name
    /// alone does not say it (`plan` adds it to the replacement's reason).
    public var replaceNotes: [String: String]
    /// Decodes attributes through the kind's typed spec and encodes them again (see `ResourceKind.canonical`).
    let recode: @Sendable ([String: String]) throws -> [String: String]

    /// The rules of a kind outside `all`: none (its attributes recode as they are).
    init(unregistered name: String) {
        self.name = name
        rank = Int.max
        replaceOnChange = []
        emptyMeansNone = []
        inPlaceReferenceKeys = []
        referenceKeys = []
        providers = []
        replaceNotes = [:]
        recode = { $0 }
    }

    /// Creates a definition whose typed form is `spec`.
    public init<Spec: KindSpec>(
        name: String, rank: Int, spec: Spec.Type, replaceOnChange: Set<String>, emptyMeansNone: Set<String> = [],
        inPlaceReferenceKeys: Set<String> = [], referenceKeys: [String] = [], providers: Set<Provider>? = nil,
        replaceNotes: [String: String] = [:]
    ) {
        recode = { attributes in try Spec(attributes: attributes).attributes }
        self.name = name
        self.rank = rank
        self.replaceOnChange = replaceOnChange
        self.emptyMeansNone = emptyMeansNone
        self.inPlaceReferenceKeys = inPlaceReferenceKeys
        self.referenceKeys = referenceKeys
        self.providers = providers
        self.replaceNotes = replaceNotes
    }
}

