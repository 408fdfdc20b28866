import Foundation

/// How every container's host lets people in: by an SSH certificate signed by the customer's CA
/// for that container's principal, and no other way. One definition for every cloud: the AWS
/// driver boots instances with `shellScript`, the Rackspace driver servers with `cloudConfig`, and
/// the access tests run a real sshd on exactly `files` and `sshdConfigLines`.
///
/// sshd settings:
/// - `TrustedUserCAKeys`: the customer's CA *public* key (no CA: no certificate is trusted).
/// - `AuthorizedPrincipalsFile …/principals/%u`: only `loginUser` has a principals file, holding
///   the container's principal (`<pod>.<region>.<container>`, `PrincipalForm`), so a certificate opens that one account on
///   that one container; every other account (root included) has none and takes no certificate.
/// - `AuthorizedKeysFile none`: no plain keys; passwords and keyboard-interactive off; no root.
/// - `RevokedKeys`: the KRL (sshd refuses every key when the file is unreadable: it fails closed).
/// - Sessions end (45 CFR 164.312(a)(2)(iii), automatic logoff): the support principal is listed
///   with `command="sessionPath"`, a wrapper that reads the certificate's `valid_before` through
///   `ExposeAuthInfo` (`$SSH_USER_AUTH`, checked by `ssh-keygen -L`) and runs the shell or command
///   under `timeout`, so no session outlives its certificate by more than `sessionGraceSeconds`
///   (sshd checks validity only at login). Idle sessions close after `idleTimeout`
///   (`ChannelTimeout session:*=…`, OpenSSH 9.2 or later), connections without a session after
///   `UnusedConnectionTimeout`, and dead clients after 3 × 60 s of unanswered keep-alives.
///
/// A newer KRL reaches a running host the same zero-trust way: `catalyze access push-krl` (or
/// `revoke --push`) signs, with the customer's CA, a certificate valid for minutes for the
/// principals `krl@<principal>`, which only the `revocationUser` account accepts, and there only
/// with `restrict,command="installerPath"` (sshd enforces both from the principals file): the one
/// thing it can do is run the installer, which reads a KRL from standard input, checks its magic
/// and swaps it in. No pty, no forwarding, no shell. The push trusts the host only by a host key
/// the host printed on its console at boot (`ConsoleHostKeys`), read through the cloud's API.
///
/// Holds no secret: the CA key is the public half, the KRL lists serials.
public struct HostLogin: Sendable, Hashable {
    /// A file to place on the host.
    public struct File: Sendable, Hashable {
        /// Absolute path on the host.
        public var path: String
        /// The content.
        public var contents: [UInt8]
        /// POSIX permission bits.
        public var mode: UInt16
    }

    /// Why a value cannot go into a host's configuration.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong.
        public var reason: String
        public var description: String { reason }
    }

    /// The account support logs in as.
    public static let defaultLoginUser = "support"
    /// The account that only installs a pushed KRL (its one command is `installerPath`).
    public static let defaultRevocationUser = "catalyze-krl"
    /// The folder on the host holding the files.
    public static let defaultDirectory = "/etc/ssh/catalyze"
    /// The sshd drop-in file the boot configurations write.
    public static let dropInPath = "/etc/ssh/sshd_config.d/10-catalyze.conf"
    /// How long a support session may sit idle before sshd closes it.
    public static let idleTimeout = "15m"
    /// How long after its certificate expires a session is killed at the latest: `timeout`'s
    /// TERM arrives at the expiry, its KILL this many seconds later (an interactive shell ignores TERM).
    public static let sessionGraceSeconds = 10

    /// The customer's CA public key line (`ssh-ed25519 AAAA… comment`), or empty for none.
    public let caPublicKey: String
    /// The principals this host accepts (normally one: `<pod>.<region>.<container>`, or the legacy `<pod>-<container>` on hosts made before 0.2.0).
    public let principals: [String]
    /// The local account certificates open.
    public let loginUser: String
    /// The local account a KRL push logs in as.
    public let revocationUser: String
    /// The KRL the host starts with (empty: nothing revoked yet).
    public let revocationList: [UInt8]
    /// The folder on the host holding the files.
    public let directory: String

    /// Checks every value that ends up in a file or a shell line: one OpenSSH public key line,
    /// principals and the user of `[A-Za-z0-9._@-]`, an absolute directory of safe characters.
    public init(
        caPublicKey: String, principals: [String], loginUser: String = HostLogin.defaultLoginUser,
        revocationUser: String = HostLogin.defaultRevocationUser, revocationList: [UInt8] = [],
        directory: String = HostLogin.defaultDirectory
    ) throws(Invalid) {
        let ca = caPublicKey.trimmingCharacters(in: .whitespacesAndNewlines)
        let keyTypes = ["ssh-ed25519 ", "ssh-rsa ", "ecdsa-sha2-", "sk-ssh-ed25519@openssh.com ", "sk-ecdsa-sha2-"]
        guard !ca.contains(where: { $0.isNewline || $0 == "'" || $0 == "\\" }),
              ca.isEmpty || keyTypes.contains(where: ca.hasPrefix)
        else { throw Invalid(reason: "ssh_ca must be one OpenSSH public key line (ssh-ed25519 AAAA… comment)") }
        for name in principals + [loginUser, revocationUser] where name.isEmpty || !name.unicodeScalars.allSatisfy(Self.isNameCharacter) {
            throw Invalid(reason: "'\(name)' is not a principal or user name: use letters, digits and . _ @ -")
        }
        guard loginUser != revocationUser else { throw Invalid(reason: "the login and KRL accounts must differ") }
        guard directory.hasPrefix("/"), directory.unicodeScalars.allSatisfy({ Self.isNameCharacter($0) || $0 == "/" }) else {
            throw Invalid(reason: "'\(directory)' is not an absolute path of letters, digits and . _ @ - /")
        }
        self.caPublicKey = ca
        self.principals = principals
        self.loginUser = loginUser
        self.revocationUser = revocationUser
        self.revocationList = revocationList
        self.directory = directory
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "@", "-": true
        default: false
        }
    }

    /// The CA key file's path.
    public var caPublicKeyPath: String { directory + "/ca.pub" }
    /// The folder holding the KRL, owned by `revocationUser` (so a push can replace it).
    public var revocationListDirectory: String { directory + "/krl" }
    /// The KRL's path.
    public var revocationListPath: String { revocationListDirectory + "/revoked.krl" }
    /// The command a KRL push certificate is forced to run.
    public var installerPath: String { directory + "/install-krl" }
    /// The wrapper every support session runs in (it ends the session when the certificate expires).
    public var sessionPath: String { directory + "/session" }

    /// The principal a KRL push certificate carries for a host accepting `principal` (`@` never
    /// occurs in a container's principal, so the two can never be confused).
    public static func revocationPrincipal(for principal: String) -> String { "krl@" + principal }
    /// The principals folder (one file per local user, `%u`).
    public var principalsDirectory: String { directory + "/principals" }

    /// The `sshd_config` lines: certificates only, from this CA, for these principals, minus the KRL.
    public var sshdConfigLines: [String] {
        var lines: [String] = []
        if !caPublicKey.isEmpty { lines.append("TrustedUserCAKeys \(caPublicKeyPath)") }
        lines += [
            "AuthorizedPrincipalsFile \(principalsDirectory)/%u",
            "RevokedKeys \(revocationListPath)",
            "AuthorizedKeysFile none",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin no",
            "ExposeAuthInfo yes",
            "ClientAliveInterval 60",
            "ClientAliveCountMax 3",
            "ChannelTimeout session:*=\(Self.idleTimeout)",
            "UnusedConnectionTimeout 5m",
        ]
        return lines
    }

    /// The files to write: the CA key (when there is one), each account's principals, the KRL
    /// installer (0755), the KRL; all 0644 but the installer. The KRL's folder belongs to
    /// `revocationUser` (the boot configurations make it so).
    public var files: [File] {
        var files: [File] = []
        if !caPublicKey.isEmpty {
            files.append(File(path: caPublicKeyPath, contents: Array((caPublicKey + "\n").utf8), mode: 0o644))
        }
        let principalLines = principals.map { "command=\"\(sessionPath)\" \($0)\n" }.joined()
        files.append(File(path: principalsDirectory + "/" + loginUser, contents: Array(principalLines.utf8), mode: 0o644))
        let pushLines = principals.map { "restrict,command=\"\(installerPath)\" \(Self.revocationPrincipal(for: $0))\n" }.joined()
        files.append(File(path: principalsDirectory + "/" + revocationUser, contents: Array(pushLines.utf8), mode: 0o644))
        files.append(File(path: installerPath, contents: Array(installer.utf8), mode: 0o755))
        files.append(File(path: sessionPath, contents: Array(sessionWrapper.utf8), mode: 0o755))
        files.append(File(path: revocationListPath, contents: revocationList, mode: 0o644))
        return files
    }

    /// The KRL installer: standard input (at most 16 MiB) → a temp file beside the KRL → checked
    /// to start with the KRL magic (`SSHKRL`) and to carry a version no lower than the installed
    /// list's → renamed over the KRL (sshd reads it at each login, so no reload). Anything else
    /// leaves the KRL as it was and exits 1: a list only moves forward, so pushing an older copy
    /// cannot un-revoke a certificate. The version is PROTOCOL.krl's `krl_version`, a big-endian
    /// uint64 after the 8-byte magic and the 4-byte format version, compared as 16 hex digits
    /// (same width, so text order is number order; `sh` arithmetic stops at 2^63). The same
    /// version again is accepted (a repeated push); catalyze never gives two lists one version.
    public var installer: String {
        """
        #!/bin/sh
        # catalyze: install a pushed OpenSSH KRL (the only command a KRL push certificate can run)
        set -eu
        umask 022
        tmp=$(mktemp \(revocationListDirectory)/.incoming.XXXXXX)
        trap 'rm -f "$tmp"' EXIT
        head -c 16777216 > "$tmp"
        if [ "$(head -c 6 "$tmp")" != SSHKRL ]; then
            echo 'catalyze: not an OpenSSH KRL; the revocation list is unchanged' >&2
            exit 1
        fi
        krl_version() { od -An -v -tx1 -j12 -N8 "$1" | tr -d ' \\n'; }
        new=$(krl_version "$tmp")
        if [ ${#new} -ne 16 ]; then
            echo 'catalyze: truncated KRL; the revocation list is unchanged' >&2
            exit 1
        fi
        if [ "$(head -c 6 \(revocationListPath) 2>/dev/null)" = SSHKRL ]; then
            old=$(krl_version \(revocationListPath))
            if [ "$(printf '%s\\n%s\\n' "$old" "$new" | LC_ALL=C sort | head -n 1)" != "$old" ]; then
                echo "catalyze: refusing KRL version 0x$new, older than the installed 0x$old; the revocation list is unchanged" >&2
                exit 1
            fi
        fi
        chmod 0644 "$tmp"
        mv -f "$tmp" \(revocationListPath)
        trap - EXIT
        echo "catalyze: revocation list version 0x$new installed ($(wc -c < \(revocationListPath)) bytes)"

        """
    }

    /// The session wrapper (the support principal's forced command): finds the certificate the
    /// session logged in with in `$SSH_USER_AUTH` (sshd's `ExposeAuthInfo`), reads its end with
    /// `ssh-keygen -L`, and runs the requested command, or a login shell, under `timeout` until then
    /// (KILL `sessionGraceSeconds` later). No certificate, no end, or already expired: no session.
    public var sessionWrapper: String {
        """
        #!/bin/sh
        # catalyze: end a support session when its certificate expires (the principal's forced command)
        set -eu
        fail() { echo "catalyze: $1; the session is refused" >&2; exit 1; }
        [ -n "${SSH_USER_AUTH:-}" ] && [ -r "$SSH_USER_AUTH" ] || fail 'sshd exposed no authentication (ExposeAuthInfo)'
        key=$(grep -m 1 '^publickey [a-z0-9-]*-cert-v01@openssh.com ' "$SSH_USER_AUTH" | cut -d ' ' -f 2-) || true
        [ -n "$key" ] || fail 'the login used no certificate'
        cert=$(mktemp)
        printf '%s\\n' "$key" > "$cert"
        end=$(ssh-keygen -L -f "$cert" | sed -n 's/^ *Valid: from [^ ]* to \\([0-9T:-]*\\)$/\\1/p')
        rm -f "$cert"
        [ -n "$end" ] || fail 'the certificate has no end of validity'
        left=$(( $(date -d "$(echo "$end" | tr T ' ')" +%s) - $(date +%s) ))
        [ "$left" -gt 0 ] || fail 'the certificate has expired'
        export TMOUT=900
        if [ -n "${SSH_ORIGINAL_COMMAND:-}" ]; then
            exec timeout -k \(Self.sessionGraceSeconds) "$left" /bin/sh -c "$SSH_ORIGINAL_COMMAND"
        fi
        exec timeout --foreground -k \(Self.sessionGraceSeconds) "$left" "${SHELL:-/bin/sh}" -l

        """
    }

    /// Every file including the sshd drop-in.
    private var filesWithDropIn: [File] {
        files + [File(path: Self.dropInPath, contents: Array(sshdConfigLines.map { $0 + "\n" }.joined().utf8), mode: 0o644)]
    }

    /// A POSIX shell script for first boot (EC2 user data): the login user, the files (base64, so
    /// no content is ever parsed by the shell), the drop-in included from `sshd_config`, a reload.
    public var shellScript: String {
        var lines = [
            "#!/bin/sh",
            "# catalyze: certificate-only SSH (see HostLogin)",
            "set -eu",
            "umask 022",
            "id -u \(loginUser) >/dev/null 2>&1 || useradd -m -s /bin/sh \(loginUser)",
            "id -u \(revocationUser) >/dev/null 2>&1 || useradd -M -d \(revocationListDirectory) -s /bin/sh \(revocationUser)",
            // `*`: no password, but not locked (with UsePAM no, sshd refuses a locked account's keys too).
            "usermod -p '*' \(loginUser) && usermod -p '*' \(revocationUser)",
            "install -d -m 0755 \(directory) \(principalsDirectory) /etc/ssh/sshd_config.d",
            "install -d -m 0755 -o \(revocationUser) \(revocationListDirectory)",
        ]
        for file in filesWithDropIn {
            lines.append("echo '\(Data(file.contents).base64EncodedString())' | base64 -d > \(file.path)")
            lines.append("chmod \(String(file.mode, radix: 8)) \(file.path)")
        }
        lines.append("chown \(revocationUser) \(revocationListPath)")
        lines += [
            "grep -q '^Include /etc/ssh/sshd_config.d/' /etc/ssh/sshd_config || sed -i '1i Include /etc/ssh/sshd_config.d/*.conf' /etc/ssh/sshd_config",
            "systemctl reload ssh 2>/dev/null || systemctl reload sshd 2>/dev/null || service ssh reload 2>/dev/null || true",
            // The host keys on the console, as cloud-init's keys_to_console prints them (`ConsoleHostKeys`):
            // `access push-krl` reads them through the cloud's console API and trusts no other key.
            "host_keys() { echo '\(ConsoleHostKeys.begin)'; cat /etc/ssh/ssh_host_*_key.pub 2>/dev/null || true; echo '\(ConsoleHostKeys.end)'; }",
            "if [ -w /dev/console ]; then host_keys > /dev/console; else host_keys; fi",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A `#cloud-config` document (Nova user data on the config drive) with the same effect.
    public var cloudConfig: String {
        var lines = [
            "#cloud-config", "users:", "  - name: \(loginUser)", "    shell: /bin/sh",
            "  - name: \(revocationUser)", "    shell: /bin/sh", "    homedir: \(revocationListDirectory)", "    no_create_home: true",
            "write_files:",
        ]
        for file in filesWithDropIn {
            lines.append("  - path: \(file.path)")
            lines.append("    permissions: '0\(String(file.mode, radix: 8))'")
            lines.append("    encoding: b64")
            lines.append("    content: '\(Data(file.contents).base64EncodedString())'")
        }
        lines += [
            // cloud-init prints the host keys to the console (keys_to_console; on by default, said here
            // so that no image default turns it off): `access push-krl` reads them through Nova's console output.
            "ssh:", "  emit_keys_to_console: true",
            "runcmd:",
            "  - [chown, -R, \(revocationUser), \(revocationListDirectory)]",
            "  - [usermod, -p, '*', \(loginUser)]",
            "  - [usermod, -p, '*', \(revocationUser)]",
            "  - [sh, -c, \"grep -q '^Include /etc/ssh/sshd_config.d/' /etc/ssh/sshd_config || sed -i '1i Include /etc/ssh/sshd_config.d/*.conf' /etc/ssh/sshd_config\"]",
            "  - [sh, -c, 'systemctl reload ssh || systemctl reload sshd || service ssh reload']",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
