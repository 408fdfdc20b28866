import Foundation

/// The local account the sshd tests log in as (`catalyze-test`), created on first use.
public enum SSHDTestUser {
    /// The account name.
    public static let name = "catalyze-test"

    private static let setup: Result<Void, SSHDError> = Result { try create(name) }.mapError {
        $0 as? SSHDError ?? .toolFailed("useradd \(name)", "\($0)")
    }

    /// Makes sure `user` exists with a usable shell and an unlocked (password-less) account.
    public static func ensureExists(_ user: String) throws {
        if user == name { return try setup.get() }
        try create(user)
    }

    private static func create(_ user: String) throws {
        if try SSHDCommand.run("/usr/bin/id", ["-u", user]).status != 0 {
            let added = try SSHDCommand.run("/usr/sbin/useradd", ["--create-home", "--shell", "/bin/sh", user])
            // Status 9: another test process created it meanwhile.
            guard added.status == 0 || added.status == 9 else {
                throw SSHDError.toolFailed("useradd \(user) (the sshd tests need root to create it)", added.errors)
            }
        }
        // `*` = no password but not locked; sshd refuses every login to a locked (`!`) account.
        let unlocked = try SSHDCommand.run("/usr/sbin/usermod", ["-p", "*", user])
        guard unlocked.status == 0 else { throw SSHDError.toolFailed("usermod -p '*' \(user)", unlocked.errors) }
    }
}
