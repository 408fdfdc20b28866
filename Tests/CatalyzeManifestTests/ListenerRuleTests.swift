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
            .init(.invalidValue(path: "loadBalancer.listeners[0].protocol", value: "https", expected: "tcp | tls (a network load balancer)"),
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
}
