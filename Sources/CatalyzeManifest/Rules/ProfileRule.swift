import CatalyzeCore

/// `hipaa` requires encryption, TLS, logging, monitoring, backup and two app replicas;
/// `dev` allows switching them off, with a warning for each one that is.
struct ProfileRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        var relaxed: [(String, String)] = []  // (path, what)
        if context.clean("encryption"), !manifest.encryption.enabled { relaxed.append(("encryption.enabled", "encrypted storage")) }
        for (index, db) in manifest.databases.enumerated() where !db.encrypted && context.clean("databases") {
            relaxed.append(("databases[\(index)].storage.encrypted", "encrypted storage for database '\(db.name)'"))
        }
        let listeners = manifest.loadBalancer.listeners
        // TLS in transit: terminated at the balancer (https, tls) or passed through to the containers.
        if context.clean("loadBalancer"), !listeners.contains(where: \.isEncrypted) {
            relaxed.append(("loadBalancer.listeners", "a TLS listener (https, tls or tls-passthrough) on the load balancer"))
        }
        for (index, listener) in listeners.enumerated()
        where !listener.isEncrypted && listeners.contains(where: \.isEncrypted) && context.clean("loadBalancer") {
            relaxed.append(("loadBalancer.listeners[\(index)].protocol", "TLS on every listener (\(listener.proto)/\(listener.port) is plain)"))
        }
        if context.clean("logging"), !manifest.logging.enabled { relaxed.append(("logging.enabled", "logging enabled")) }
        if context.clean("monitoring"), !manifest.monitoring.enabled { relaxed.append(("monitoring.enabled", "monitoring enabled")) }
        if context.clean("backup"), !manifest.backup.enabled { relaxed.append(("backup.enabled", "backup enabled")) }
        for (index, app) in manifest.apps.enumerated() where app.replicas < 2 && context.clean("apps") {
            relaxed.append(("apps[\(index)].replicas", "at least two replicas of app '\(app.name)'"))
        }
        guard context.clean("profile") else { return [] }
        switch manifest.profile {
        case .hipaa:
            return relaxed.map { path, what in
                ManifestDiagnostic(.profileRequires(requirement: what), at: context.location(path))
            } + openCustomerAccess(manifest, context)
        case .dev:
            return relaxed.map { path, what in
                ManifestDiagnostic(.profileRelaxes(what: "without \(what); not allowed under hipaa"),
                                   at: context.location(path), severity: .warning)
            }
        }
    }

    /// Customer access to logging or monitoring from 0.0.0.0/0 (any /0): the whole internet.
    private func openCustomerAccess(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        var found: [ManifestDiagnostic] = []
        for (section, access) in [("logging", manifest.logging.customerAccess), ("monitoring", manifest.monitoring.customerAccess)]
        where access.enabled && context.clean(section) {
            for (index, cidr) in access.cidrs.enumerated() where cidr.prefix == 0 {
                let path = "\(section).customerAccess.cidrs[\(index)]"
                found.append(ManifestDiagnostic(.openCustomerAccess(path: path), at: context.location(path)))
            }
        }
        return found
    }

    /// How to meet a `hipaa` requirement, by the requirement's text (as `check` words it).
    static func fix(for requirement: String) -> String? {
        let fixes: [(prefix: String, fix: String)] = [
            ("encrypted storage for database", "remove 'encrypted: false' under the database's 'storage:' (encryption is on by default)"),
            ("encrypted storage", "set 'enabled: true' under 'encryption:' (or remove the line; encryption is on by default)"),
            ("a TLS listener", "add a listener such as '{ protocol: https, port: 443, certificate: file:certs/pod.pem }', or tls-passthrough"),
            ("TLS on every listener", "change the listener's protocol to https, tls or tls-passthrough, or remove it"),
            ("logging enabled", "set 'enabled: true' under 'logging:' (or remove the line)"),
            ("monitoring enabled", "set 'enabled: true' under 'monitoring:' (or remove the line)"),
            ("backup enabled", "set 'enabled: true' under 'backup:' (or remove the line)"),
            ("at least two replicas", "set 'replicas: 2' (or more) on the app"),
        ]
        return fixes.first { requirement.hasPrefix($0.prefix) }?.fix ?? "use 'profile: dev' only for a pod that holds no patient data"
    }
}
