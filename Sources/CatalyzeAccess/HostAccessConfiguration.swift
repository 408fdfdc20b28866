/// What one container's host needs so support engineers can reach it only with a customer-signed
/// certificate: the CA public key, its one principal, the KRL, and the sshd settings pointing at them.
///
/// The drivers put `files` and `sshdConfigLines` into the instance's boot configuration.
public struct HostAccessConfiguration: Hashable, Sendable {
    /// A file to place on the host.
    public struct File: Hashable, Sendable {
        /// Absolute path on the host.
        public var path: String
        /// The content.
        public var contents: [UInt8]
        /// POSIX permission bits.
        public var mode: UInt16
    }

    /// The customer's CA public key (`TrustedUserCAKeys`).
    public var caPublicKey: SSHPublicKey
    /// The one principal this host accepts.
    public var principal: Principal
    /// The local account support logs in as.
    public var loginUser: String
    /// The current KRL (`RevokedKeys`); sshd refuses every key when it is missing, so always ship one.
    public var revocationList: [UInt8]
    /// The folder on the host holding the files.
    public var directory: String

    /// Creates the configuration; `directory` defaults to `/etc/ssh/catalyze`.
    public init(
        caPublicKey: SSHPublicKey, principal: Principal, loginUser: String = "support",
        revocationList: [UInt8], directory: String = "/etc/ssh/catalyze"
    ) {
        self.caPublicKey = caPublicKey
        self.principal = principal
        self.loginUser = loginUser
        self.revocationList = revocationList
        self.directory = directory
    }

    /// The CA key file's path.
    public var caPublicKeyPath: String { directory + "/ca.pub" }
    /// The KRL's path.
    public var revocationListPath: String { directory + "/revoked.krl" }
    /// The principals folder (one file per local user, `%u`).
    public var principalsDirectory: String { directory + "/principals" }

    /// The `sshd_config` lines: certificates only, from this CA, for this principal, minus the KRL.
    public var sshdConfigLines: [String] {
        [
            "TrustedUserCAKeys \(caPublicKeyPath)",
            "AuthorizedPrincipalsFile \(principalsDirectory)/%u",
            "RevokedKeys \(revocationListPath)",
            "AuthorizedKeysFile none",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin no",
        ]
    }

    /// The files to write: the CA key (0644), the login user's principals file (0644), the KRL (0644).
    public var files: [File] {
        [
            File(path: caPublicKeyPath, contents: Array((caPublicKey.authorizedKeyLine + "\n").utf8), mode: 0o644),
            File(path: principalsDirectory + "/" + loginUser, contents: Array((principal.name + "\n").utf8), mode: 0o644),
            File(path: revocationListPath, contents: revocationList, mode: 0o644),
        ]
    }
}
