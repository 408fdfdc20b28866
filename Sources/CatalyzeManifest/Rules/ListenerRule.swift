import CatalyzeCore

/// A TLS listener names its certificate by reference; a plain listener names none.
struct ListenerRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        guard context.clean("loadBalancer") else { return [] }
        var found: [ManifestDiagnostic] = []
        for (index, listener) in manifest.loadBalancer.listeners.enumerated() {
            let path = "loadBalancer.listeners[\(index)]"
            if listener.isTLS && listener.certificate == nil {
                found.append(.init(.missingKey(path: path, key: "certificate"), at: context.location(path)))
            }
            if !listener.isTLS && listener.certificate != nil {
                found.append(.init(.invalidValue(path: "\(path).certificate", value: listener.certificate!,
                                                 expected: "no certificate on a \(listener.proto) listener"),
                                   at: context.location("\(path).certificate"), severity: .warning))
            }
            if manifest.loadBalancer.type == "network" && (listener.proto == "http" || listener.proto == "https") {
                found.append(.init(.invalidValue(path: "\(path).protocol", value: listener.proto,
                                                 expected: "tcp | tls (a network load balancer)"),
                                   at: context.location("\(path).protocol")))
            }
            if manifest.loadBalancer.type == "application" && (listener.proto == "tcp" || listener.proto == "tls") {
                found.append(.init(.invalidValue(path: "\(path).protocol", value: listener.proto,
                                                 expected: "http | https (an application load balancer)"),
                                   at: context.location("\(path).protocol")))
            }
        }
        return found
    }
}
