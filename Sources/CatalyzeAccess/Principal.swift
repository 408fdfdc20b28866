/// The principal a host accepts for one container: `<pod>-<container>`, e.g. `acme-app01`.
///
/// Each host lists exactly its own principal in its `AuthorizedPrincipalsFile`, so a certificate
/// for `acme-app02` opens nothing on `acme-app01`.
public struct Principal: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The pod's name, e.g. `acme`.
    public let pod: String
    /// The container's name, e.g. `app01`.
    public let container: String

    /// Validates both names: 1–63 of `a-z A-Z 0-9 . _ -`, starting with a letter or digit.
    public init(pod: String, container: String) throws {
        guard Self.isValidName(pod) else { throw AccessError.invalidName(field: "pod", value: pod) }
        guard Self.isValidName(container) else { throw AccessError.invalidName(field: "container", value: container) }
        self.pod = pod
        self.container = container
    }

    /// `<pod>-<container>`.
    public var name: String { "\(pod)-\(container)" }

    /// `<pod>-<container>`.
    public var description: String { name }

    /// Orders by name.
    public static func < (lhs: Principal, rhs: Principal) -> Bool { lhs.name < rhs.name }

    /// True for 1–63 characters of `a-z A-Z 0-9 . _ -`, the first a letter or digit.
    public static func isValidName(_ text: String) -> Bool {
        guard (1...63).contains(text.unicodeScalars.count), let first = text.unicodeScalars.first,
              isAlphanumeric(first)
        else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
