import Foundation

/// The boot configuration (cloud-init user data, delivered on the config drive) that makes a
/// server trust the customer's SSH certificate authority and nothing else for logins.
///
/// It installs the CA public key as sshd `TrustedUserCAKeys`, the principals that may log in as
/// `ops` in `AuthorizedPrincipalsFile`, and an empty `RevokedKeys` list that `catalyze access
/// revoke` later replaces (sshd refuses every key when that file is unreadable: it fails closed).
enum ServerBoot {
    /// The login user certificates are issued for.
    static let user = "ops"

    /// The `#cloud-config` document for `sshCA` (may be empty: no certificate logins) and `principals`.
    static func userData(sshCA: String, principals: [String]) -> String {
        var files: [(path: String, mode: String, content: String)] = []
        var sshd = [
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PermitRootLogin no",
            "AuthorizedKeysFile none", "RevokedKeys /etc/ssh/catalyze_revoked_keys",
        ]
        let ca = sshCA.trimmingCharacters(in: .whitespacesAndNewlines)
        if !ca.isEmpty {
            files.append(("/etc/ssh/catalyze_user_ca.pub", "0644", ca + "\n"))
            sshd.append("TrustedUserCAKeys /etc/ssh/catalyze_user_ca.pub")
            sshd.append("AuthorizedPrincipalsFile /etc/ssh/auth_principals/%u")
            files.append(("/etc/ssh/auth_principals/\(user)", "0644", principals.joined(separator: "\n") + "\n"))
        }
        files.append(("/etc/ssh/catalyze_revoked_keys", "0644", ""))
        files.append(("/etc/ssh/sshd_config.d/50-catalyze.conf", "0644", sshd.joined(separator: "\n") + "\n"))

        var lines = ["#cloud-config", "users:", "  - name: \(user)", "    shell: /bin/bash", "write_files:"]
        for file in files {
            lines.append("  - path: \(file.path)")
            lines.append("    permissions: '\(file.mode)'")
            lines.append("    encoding: b64")
            lines.append("    content: \(Data(file.content.utf8).base64EncodedString())")
        }
        lines.append("runcmd:")
        lines.append("  - [systemctl, reload, ssh]")
        return lines.joined(separator: "\n") + "\n"
    }
}
