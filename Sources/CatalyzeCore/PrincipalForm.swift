/// How a host's SSH principal names its container (what its `AuthorizedPrincipalsFile` lists and
/// what `access grant` signs).
///
/// Manifest names (pod, region, container) are lowercase letters, digits and `-` only, so the `.`
/// of the scoped form cannot occur inside a name: `<pod>.<region>.<container>` names exactly one
/// container of one pod in one region. The legacy form joined pod and container with `-`, which
/// names can contain (pod `acme` + `prod-app01` and pod `acme-prod` + `app01` are both
/// `acme-prod-app01`) and left the region out (one certificate opened a container in every region).
public enum PrincipalForm: String, Hashable, Sendable, Codable, CaseIterable {
    /// `<pod>.<region>.<container>`, e.g. `acme.primary.app01`: every host made by 0.2.0 or later.
    case scoped
    /// `<pod>-<container>`, e.g. `acme-app01`: hosts made before 0.2.0, until they are replaced.
    case legacy

    /// The principal of container `container` of pod `pod` in manifest region `region`.
    public func name(pod: String, region: String, container: String) -> String {
        switch self {
        case .scoped: "\(pod).\(region).\(container)"
        case .legacy: "\(pod)-\(container)"
        }
    }

    /// The form of `recorded` (a host's recorded `principals` attribute) for that container: nil when
    /// it is neither form's name (a lockfile from elsewhere, or edited).
    public static func of(
        recorded: String, pod: String, region: String, container: String
    ) -> PrincipalForm? {
        allCases.first { $0.name(pod: pod, region: region, container: container) == recorded }
    }
}
