import CatalyzeCore
import CatalyzeModel

/// A TLS listener names its certificate by reference; a plain or TLS-passthrough listener names
/// none. Protocols match the load balancer type: an application balancer serves http and https
/// (and, on Rackspace only, tls-passthrough: a Cloud Load Balancer of protocol HTTPS forwards the
/// encrypted stream); a network balancer serves tcp, tls and tls-passthrough. Behind a passthrough
/// listener the health check cannot speak plain HTTP to the TLS port.
struct ListenerRule: ManifestRule {
    func check(_ manifest: PodManifest, _ context: RuleContext) -> [ManifestDiagnostic] {
        guard context.clean("loadBalancer") else { return [] }
        var found: [ManifestDiagnostic] = []
        let check = manifest.loadBalancer.healthCheck
        // One port, one listener: the clouds refuse a second (ELBv2 DuplicateListener; a Cloud
        // Load Balancer serves one protocol on its port).
        var firstOnPort: [Int: SourceLocation] = [:]
        for (index, listener) in manifest.loadBalancer.listeners.enumerated() {
            let path = "loadBalancer.listeners[\(index)].port"
            if let first = firstOnPort[listener.port] {
                found.append(.init(.duplicatePort(path: path, port: listener.port, first: first), at: context.location(path)))
            } else {
                firstOnPort[listener.port] = context.location(path)
            }
        }
        for (index, listener) in manifest.loadBalancer.listeners.enumerated() {
            let path = "loadBalancer.listeners[\(index)]"
            if listener.isTLS && listener.certificate == nil {
                found.append(.init(.missingKey(path: path, key: "certificate"), at: context.location(path)))
            }
            if listener.isPassthrough, listener.certificate != nil {
                found.append(.init(.certificateOnPassthrough(path: "\(path).certificate"), at: context.location("\(path).certificate")))
            } else if !listener.isTLS, let certificate = listener.certificate {
                found.append(.init(.invalidValue(path: "\(path).certificate", value: certificate,
                                                 expected: "no certificate on a \(listener.proto) listener"),
                                   at: context.location("\(path).certificate"), severity: .warning))
            }
            if manifest.loadBalancer.type == "network" && (listener.proto == "http" || listener.proto == "https") {
                found.append(.init(.invalidValue(path: "\(path).protocol", value: listener.proto,
                                                 expected: "tcp | tls | tls-passthrough (a network load balancer)"),
                                   at: context.location("\(path).protocol")))
            }
            if manifest.loadBalancer.type == "application" && (listener.proto == "tcp" || listener.proto == "tls") {
                found.append(.init(.invalidValue(path: "\(path).protocol", value: listener.proto,
                                                 expected: "http | https (an application load balancer)"),
                                   at: context.location("\(path).protocol")))
            }
            // Rackspace passes TLS through on any balancer type (a CLB of protocol HTTPS); an AWS
            // application balancer cannot (`CloudCapabilities.listenerProtocols`).
            if listener.isPassthrough && manifest.loadBalancer.type == "application" && context.clean("regions") {
                let refusing = manifest.regions.filter { !$0.provider.capabilities.serves(listener.proto, on: "application") }
                    .map { "\($0.name) (\($0.cloudRegion))" }
                if !refusing.isEmpty {
                    found.append(.init(.passthroughNeedsNetworkBalancer(path: "\(path).protocol", regions: refusing),
                                       at: context.location("\(path).protocol")))
                }
            }
            // A Cloud Load Balancer has one protocol on one port: passthrough (protocol HTTPS) cannot
            // share it with another listener (`CloudCapabilities.passthroughBesideOtherListeners`).
            if listener.isPassthrough && manifest.loadBalancer.listeners.count > 1 && context.clean("regions") {
                let alone = manifest.regions.filter { !$0.provider.capabilities.passthroughBesideOtherListeners }
                    .map { "\($0.name) (\($0.cloudRegion))" }
                if !alone.isEmpty {
                    found.append(.init(.passthroughNotAlone(path: "\(path).protocol", regions: alone), at: context.location("\(path).protocol")))
                }
            }
            if listener.isPassthrough && check.proto == "http" && check.port == listener.targetPort {
                found.append(.init(.plainCheckOnPassthrough(path: "loadBalancer.healthCheck.protocol", port: check.port),
                                   at: context.location("loadBalancer.healthCheck.protocol")))
            }
        }
        return found
    }
}
