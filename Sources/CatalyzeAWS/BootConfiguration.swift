import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// The boot script (EC2 user data) that configures sshd for catalyze's certificate-only access:
/// `TrustedUserCAKeys` = the customer's CA public key, `AuthorizedPrincipalsFile` = the principals,
/// and `RevokedKeys` = a revocation list (empty until the first revoke; sshd fails closed when it
/// is unreadable). Holds no secret: the CA key is the *public* half.
public struct BootConfiguration: Sendable, Hashable {
    /// Where the files go on the instance.
    public static let directory = "/etc/ssh/catalyze"

    /// The customer's SSH CA public key line (`ssh-ed25519 AAAA… comment`), or empty for none.
    public var sshCA: String
    /// Principals accepted in certificates.
    public var principals: [String]

    /// Validates the inputs: one line of CA key, principals of `[A-Za-z0-9._@-]`.
    public init(sshCA: String, principals: [String], address: ResourceAddress) throws {
        let ca = sshCA.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !ca.contains(where: \.isNewline), !ca.contains("'"),
              ca.isEmpty || ca.hasPrefix("ssh-") || ca.hasPrefix("ecdsa-")
        else { throw DriverError.invalidSpec(address: address, reason: "ssh_ca must be one OpenSSH public key line") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
        for principal in principals where principal.isEmpty || !principal.allSatisfy(allowed.contains) {
            throw DriverError.invalidSpec(address: address, reason: "principal '\(principal)' has characters outside [A-Za-z0-9._@-]")
        }
        self.sshCA = ca
        self.principals = principals
    }

    /// The `sshd_config` lines this configuration installs.
    public var sshdConfig: String {
        var lines = [
            "AuthorizedPrincipalsFile \(Self.directory)/principals",
            "RevokedKeys \(Self.directory)/revoked_keys",
            "PasswordAuthentication no",
        ]
        if !sshCA.isEmpty { lines.insert("TrustedUserCAKeys \(Self.directory)/trusted_user_ca_keys.pub", at: 0) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The POSIX shell script run at first boot.
    public var script: String {
        let dir = Self.directory
        return """
            #!/bin/sh
            # catalyze boot configuration: certificate-only SSH access
            set -eu
            umask 022
            install -d -m 0755 \(dir)
            printf '%s\\n' '\(sshCA)' > \(dir)/trusted_user_ca_keys.pub
            : > \(dir)/principals
            \(principals.map { "printf '%s\\n' '\($0)' >> \(dir)/principals" }.joined(separator: "\n"))
            [ -f \(dir)/revoked_keys ] || : > \(dir)/revoked_keys
            install -d -m 0755 /etc/ssh/sshd_config.d
            cat > /etc/ssh/sshd_config.d/10-catalyze.conf <<'CATALYZE_EOF'
            \(sshdConfig)CATALYZE_EOF
            grep -q '^Include /etc/ssh/sshd_config.d/' /etc/ssh/sshd_config || sed -i '1i Include /etc/ssh/sshd_config.d/*.conf' /etc/ssh/sshd_config
            systemctl restart sshd 2>/dev/null || service ssh restart 2>/dev/null || true

            """
    }
}
