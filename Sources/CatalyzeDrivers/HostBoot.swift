/// What a new host boots with besides its spec: facts of the moment that must reach every instance
/// or server made from now on, but whose change must not replace the ones already running (so they
/// are not spec attributes, which plans diff).
///
/// Holds no secret: the revocation list names revoked certificate serials.
public struct HostBoot: Sendable, Hashable {
    /// The pod's current OpenSSH key revocation list (KRL bytes; empty when nothing was ever
    /// revoked). A host made after a revocation must refuse the revoked certificate from its first
    /// boot; running hosts get newer lists through `catalyze access push-krl`.
    public var revocationList: [UInt8]

    /// Creates the boot facts.
    public init(revocationList: [UInt8] = []) {
        self.revocationList = revocationList
    }
}
