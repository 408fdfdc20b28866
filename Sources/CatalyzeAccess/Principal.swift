import CatalyzeCore

/// The principal a certificate names: one container of one pod in one manifest region, in the form
/// the target host accepts (`PrincipalForm`): `acme.primary.app01`, or `acme-app01` for a host made
/// before 0.2.0 that has not been replaced yet.
///
/// Each host lists exactly its own principal in its `AuthorizedPrincipalsFile`, so a certificate
/// for `acme.primary.app02` opens nothing on `acme.primary.app01`, nor on `acme.dr.app02`.
public struct Principal: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The pod's name, e.g. `acme`.
    public let pod: String
    /// The manifest region's name, e.g. `primary`; nil only in grants recorded before 0.2.0.
    public let region: String?
    /// The container's name, e.g. `app01`.
    public let container: String
    /// How `name` is spelled: the form the target host accepts.
    public let form: PrincipalForm

    /// Validates the names: 1–63 of `a-z A-Z 0-9 _ -`, starting with a letter or digit (no `.`, the
    /// scoped form's separator).
    public init(pod: String, region: String, container: String, form: PrincipalForm = .scoped) throws {
        guard Self.isValidName(pod) else { throw AccessError.invalidName(field: "pod", value: pod) }
        guard Self.isValidName(region) else { throw AccessError.invalidName(field: "region", value: region) }
        guard Self.isValidName(container) else { throw AccessError.invalidName(field: "container", value: container) }
        self.pod = pod
        self.region = region
        self.container = container
        self.form = form
    }

    /// `<pod>.<region>.<container>`, or `<pod>-<container>` for a legacy-form host.
    public var name: String {
        guard let region else { return PrincipalForm.legacy.name(pod: pod, region: "", container: container) }
        return form.name(pod: pod, region: region, container: container)
    }

    /// The name.
    public var description: String { name }

    /// Orders by name.
    public static func < (lhs: Principal, rhs: Principal) -> Bool { lhs.name < rhs.name }

    /// True for 1–63 characters of `a-z A-Z 0-9 _ -`, the first a letter or digit.
    public static func isValidName(_ text: String) -> Bool {
        guard (1...63).contains(text.unicodeScalars.count), let first = text.unicodeScalars.first,
              isAlphanumeric(first)
        else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "_" || $0 == "-" }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private enum CodingKeys: String, CodingKey { case pod, region, container, form }

    /// Reads a registry entry; one written before 0.2.0 has no region and no form (it was legacy).
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        pod = try values.decode(String.self, forKey: .pod)
        region = try values.decodeIfPresent(String.self, forKey: .region)
        container = try values.decode(String.self, forKey: .container)
        form = try values.decodeIfPresent(PrincipalForm.self, forKey: .form) ?? .legacy
    }

    /// Writes all four fields (`region` omitted only when unknown).
    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(pod, forKey: .pod)
        try values.encodeIfPresent(region, forKey: .region)
        try values.encode(container, forKey: .container)
        try values.encode(form, forKey: .form)
    }
}
