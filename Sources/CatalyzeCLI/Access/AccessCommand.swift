import ArgumentParser

/// `catalyze access …`: zero-trust support access. The customer holds the CA; catalyze signs short-lived
/// certificates with it on the customer's machine, revokes them, and keeps a hash-chained audit log.
struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Delegate, revoke and audit time-limited support access to a pod's containers.",
        discussion: """
            Hosts trust the customer's CA (sshd TrustedUserCAKeys) and accept one principal each, named \
            <pod>.<region>.<container> (e.g. acme.primary.app01); hosts made before 0.2.0 accept <pod>-<container> \
            until they are replaced. The grants registry (catalyze.access.grants.json), the \
            revocation list (catalyze.access.krl) and the audit log (catalyze.access.audit.jsonl) live \
            beside the lockfile.
            """,
        subcommands: [
            AccessCACommand.self, AccessGrantCommand.self, AccessRevokeCommand.self, AccessPushCommand.self, AccessListCommand.self,
            AccessAuditCommand.self, AccessExposeCommand.self, AccessConcealCommand.self, AccessHistoryCommand.self,
        ])
}

/// `catalyze access ca …`.
struct AccessCACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca", abstract: "Manage the customer's certificate authority.", subcommands: [AccessCAInitCommand.self])
}
