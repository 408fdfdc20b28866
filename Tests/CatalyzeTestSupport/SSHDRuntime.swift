import Foundation

/// What sshd needs on this machine before it starts or checks a configuration (`sshd -t`).
public enum SSHDRuntime {
    /// sshd's privilege-separation directory (Debian's `UsePrivilegeSeparation` chroot). sshd
    /// refuses to start, and `sshd -t` to pass, without it; a fresh machine has none until the
    /// service first runs (systemd's `RuntimeDirectory=sshd` creates it), and it lives on a tmpfs,
    /// so a reboot removes it again.
    public static let privilegeSeparationDirectory = "/run/sshd"

    /// Creates the privilege-separation directory when it is missing (mode 0755, as the service
    /// unit makes it). Every test that runs sshd calls this itself, so none depends on another
    /// having run first.
    public static func prepare() throws {
        try FileManager.default.createDirectory(
            atPath: privilegeSeparationDirectory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755])
    }
}
