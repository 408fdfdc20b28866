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
            }
        case .dev:
            return relaxed.map { path, what in
                ManifestDiagnostic(.profileRelaxes(what: "without \(what); not allowed under hipaa"),
                                   at: context.location(path), severity: .warning)
            }
        }
    }
}
