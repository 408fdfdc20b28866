import CatalyzeCore
import Foundation

/// What a KRL push needs: a throwaway key and a certificate for it, signed by the customer's CA,
/// that the pod's hosts accept only to run their KRL installer (see `HostLogin`).
///
/// The certificate lives minutes, carries the principals `krl@<principal>` of the targeted
/// containers and no extension (no pty, no forwarding); the hosts' principals file adds
/// `restrict,command=…`. The key exists only for this push: in memory, and in a 0600 temp file
/// for the `ssh` client while it runs.
public struct RevocationPush: Sendable {
    /// How long the push certificate is valid.
    public static let lifetime: TimeInterval = 5 * 60

    /// The throwaway key pair (private half redacted in every description).
    public let key: CertificateAuthorityKey
    /// The certificate for `key`.
    public let certificate: SignedCertificate
    /// The KRL to install.
    public let revocationList: [UInt8]

    /// The key in OpenSSH private-key format (for the `ssh` client's `-i` file, mode 0600).
    public func privateKeyText(using random: some RandomSource) -> String {
        OpenSSHPrivateKeyFormat.encode(key, using: random)
    }
}

extension AccessService {
    /// Prepares a push of the current KRL to hosts of `principals` (container principals such as
    /// `acme-prod-app01`): a new key, and a certificate for it signed by `ca`.
    ///
    /// Refuses a CA other than the one the grants were signed with (hosts would not accept it).
    public func prepareRevocationPush(ca: CertificateAuthorityKey, principals: [String], actor: String) throws -> RevocationPush {
        guard !principals.isEmpty else { throw AccessError.nothingToPush }
        let registry = try currentRegistry(allowingFresh: false)
        if let other = registry.grants.last(where: { $0.caPublicKey != ca.publicKey.authorizedKeyLine }) {
            throw AccessError.otherCA(serial: other.serial, fingerprint: ca.publicKey.fingerprint)
        }
        let key = try CertificateAuthorityKey(seed: random.bytes(32), comment: "catalyze-krl-push")
        let now = UInt64(max(0, clock.now().timeIntervalSince1970.rounded(.down)))
        let serial = try drawSerial(avoiding: Set(registry.grants.map(\.serial)))
        let unsigned = UserCertificate(
            publicKey: key.publicKey, serial: serial.value, keyID: "krl-push by \(actor)",
            principals: principals.sorted().map(HostLogin.revocationPrincipal(for:)),
            validAfter: now - min(now, UInt64(policy.clockSkewAllowance.seconds)), validBefore: now + UInt64(RevocationPush.lifetime),
            criticalOptions: [:], extensions: [:])
        return RevocationPush(
            key: key, certificate: try unsigned.signed(by: ca, nonce: random.bytes(32)), revocationList: try revocationList())
    }
}
