import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// TLS listeners name a certificate; protocols match the load balancer type.
@Suite struct ListenerRuleTests {
    typealias T = ManifestTesting

    @Test func tlsListenerWithoutCertificate() {
        let text = T.validHipaa.replacingOccurrences(of: "      certificate: file:certs/acme.pem\n", with: "")
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.missingKey(path: "loadBalancer.listeners[0]", key: "certificate"), at: SourceLocation(file: "pod.yaml", line: 12, column: 7)),
        ])
    }

    @Test func certificateOnAPlainListenerIsAWarning() {
        let text = T.validHipaa.replacingOccurrences(of: "  certificate: file:certs/acme.pem\n",
                                                     with: "  certificate: file:certs/acme.pem\n    - { protocol: http, port: 80, certificate: file:certs/x.pem }\n")
        let result = T.load(text)
        #expect(result.diagnostics.contains(
            .init(.invalidValue(path: "loadBalancer.listeners[1].certificate", value: "file:certs/x.pem", expected: "no certificate on a http listener"),
                  at: SourceLocation(file: "pod.yaml", line: 15, column: 48), severity: .warning)))
    }

    @Test func networkLoadBalancerRefusesHTTP() {
        let text = T.validHipaa.replacingOccurrences(of: "loadBalancer:\n", with: "loadBalancer:\n  type: network\n")
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.invalidValue(path: "loadBalancer.listeners[0].protocol", value: "https", expected: "tcp | tls | tls-passthrough (a network load balancer)"),
                  at: SourceLocation(file: "pod.yaml", line: 13, column: 17)),
        ])
    }

    @Test func applicationLoadBalancerRefusesTLS() {
        let text = T.validHipaa.replacingOccurrences(of: "protocol: https", with: "protocol: tls")
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.invalidValue(path: "loadBalancer.listeners[0].protocol", value: "tls", expected: "http | https (an application load balancer)"),
                  at: SourceLocation(file: "pod.yaml", line: 12, column: 17)),
        ])
    }

    @Test func networkLoadBalancerWithTLSPasses() throws {
        let text = T.validHipaa.replacingOccurrences(of: "loadBalancer:\n", with: "loadBalancer:\n  type: network\n")
            .replacingOccurrences(of: "protocol: https", with: "protocol: tls")
        let result = T.load(text)
        #expect(result.diagnostics.isEmpty)
        #expect(result.manifest?.loadBalancer.listeners.first?.isTLS == true)
    }

    // MARK: tls-passthrough

    /// The valid hipaa manifest with its https listener turned into a passthrough one (lines 12-14:
    /// `- protocol: tls-passthrough`, `port: 443`, `targetPort: 8443`), on a balancer of `type` (a line
    /// of its own after `loadBalancer:` when given, which moves the listener down one line).
    static func passthrough(type: String? = nil, provider: String = "aws", region: String = "us-east-1") -> String {
        var text = T.validHipaa.replacingOccurrences(
            of: "    - protocol: https\n      port: 443\n      certificate: file:certs/acme.pem\n",
            with: "    - protocol: tls-passthrough\n      port: 443\n      targetPort: 8443\n")
        text = text.replacingOccurrences(of: "provider: aws\n    region: us-east-1\n", with: "provider: \(provider)\n    region: \(region)\n")
        if let type { text = text.replacingOccurrences(of: "loadBalancer:\n", with: "loadBalancer:\n  type: \(type)\n") }
        return text
    }

    @Test func passthroughOnANetworkBalancerSatisfiesHipaa() throws {
        let result = T.load(Self.passthrough(type: "network"))
        #expect(result.diagnostics.isEmpty)
        let manifest = try #require(result.manifest)
        let listener = try #require(manifest.loadBalancer.listeners.first)
        #expect(listener.proto == "tls-passthrough" && listener.port == 443 && listener.targetPort == 8443)
        #expect(listener.isPassthrough && listener.isEncrypted && !listener.isTLS)
        #expect(listener.certificate == nil)
        #expect(manifest.loadBalancer.healthCheck.proto == "tcp", "the containers speak TLS: the default check connects")
    }

    @Test func passthroughRefusesACertificate() {
        let text = Self.passthrough(type: "network").replacingOccurrences(
            of: "      targetPort: 8443\n", with: "      targetPort: 8443\n      certificate: file:certs/acme.pem\n")
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.certificateOnPassthrough(path: "loadBalancer.listeners[0].certificate"), at: SourceLocation(file: "pod.yaml", line: 16, column: 20)),
        ])
        #expect(result.manifest == nil)
        let message = result.diagnostics.first?.diagnostic.message ?? ""
        #expect(message.contains("the containers hold the TLS key"))
    }

    @Test func passthroughOnAnAWSApplicationBalancerNamesTheFix() {
        let result = T.load(Self.passthrough())
        let issue = ManifestIssue.passthroughNeedsNetworkBalancer(path: "loadBalancer.listeners[0].protocol", regions: ["primary (us-east-1)"])
        #expect(result.diagnostics == [.init(issue, at: SourceLocation(file: "pod.yaml", line: 12, column: 17))])
        #expect(issue.hint?.contains("type: network") == true)
    }

    @Test func passthroughOnARackspaceApplicationBalancerIsFine() throws {
        let result = T.load(Self.passthrough(provider: "rax", region: "ORD"))
        #expect(result.diagnostics.isEmpty)
        #expect(result.manifest?.loadBalancer.type == "application")
    }

    /// On Rackspace a passthrough listener is the balancer's only one (a CLB: one protocol, one port).
    @Test func passthroughBesideAnotherListenerIsRefusedOnRackspace() {
        let text = Self.passthrough(provider: "rax", region: "ORD")
            .replacingOccurrences(of: "      targetPort: 8443\n", with: "      targetPort: 8443\n    - { protocol: http, port: 80, targetPort: 8080 }\n")
        let result = T.load(text)
        let issue = ManifestIssue.passthroughNotAlone(path: "loadBalancer.listeners[0].protocol", regions: ["primary (ORD)"])
        #expect(result.diagnostics.map(\.diagnostic.code).contains(issue.code), "\(result.diagnostics)")
        #expect(result.diagnostics.contains(.init(issue, at: SourceLocation(file: "pod.yaml", line: 12, column: 17))), "\(result.diagnostics)")
        #expect(T.load(Self.passthrough(provider: "rax", region: "ORD")).diagnostics.isEmpty, "alone it is fine")
    }

    @Test func plainHTTPCheckOnThePassthroughPortIsRefused() {
        let text = Self.passthrough(type: "network")
            .replacingOccurrences(of: "  type: network\n", with: "  type: network\n  healthCheck: { protocol: http, port: 8443 }\n")
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.plainCheckOnPassthrough(path: "loadBalancer.healthCheck.protocol", port: 8443),
                  at: SourceLocation(file: "pod.yaml", line: 12, column: 28)),
        ])
    }

    @Test func httpsOrTCPCheckOnThePassthroughPortIsFine() {
        for proto in ["https", "tcp"] {
            let text = Self.passthrough(type: "network")
                .replacingOccurrences(of: "  type: network\n", with: "  type: network\n  healthCheck: { protocol: \(proto), port: 8443 }\n")
            #expect(T.load(text).diagnostics.isEmpty, "\(proto)")
        }
    }
}
