import CatalyzeCore
import CatalyzeModel
import Testing

/// The typed specs and their one canonical text (what plans diff and lockfiles store).
@Suite struct SpecTextTests {
    @Test func listenersRoundTripInTheirOrder() throws {
        let text = "https/443>8080;http/80>8080;tls-passthrough/8443>8443"
        let listeners = try ListenerSpec.list(canonical: text)
        #expect(listeners.map(\.proto) == ["https", "http", "tls-passthrough"])
        #expect(listeners[2].isPassthrough && listeners[0].needsCertificate && !listeners[1].needsCertificate)
        #expect(ListenerSpec.canonical(listeners) == text)
        #expect(try ListenerSpec.list(canonical: "") == [])
    }

    @Test func aMalformedListenerIsNamedWithTheFormWanted() {
        #expect(throws: MalformedSpecText(what: "listener", text: "https/443", form: "proto/port>targetPort")) {
            try ListenerSpec.list(canonical: "http/80>8080;https/443")
        }
    }

    /// `proto:path:port`: a tcp check has no path, an empty port is the node's own (as Rackspace
    /// reads a monitor back), the path is what lies between the first and the last colon.
    @Test func healthChecksRoundTripAndNameTheirForm() throws {
        for text in ["http:/healthz:8080", "tcp::8443", "https:/ready:", "http:/a:b:80"] {
            #expect(try HealthCheckSpec.optional(canonical: text)?.description == text)
        }
        #expect(HealthCheckSpec(parsing: "http:/a:b:80") == HealthCheckSpec(proto: "http", path: "/a:b", port: 80))
        #expect(HealthCheckSpec(parsing: "tcp::8443")?.connectsOnly == true)
        #expect(try HealthCheckSpec.optional(canonical: "") == nil)
        for bad in ["http:/healthz", "icmp::80", "http:/:eighty"] {
            #expect(throws: MalformedSpecText(what: "health check", text: bad, form: "http|https|tcp:path:port")) {
                try HealthCheckSpec.optional(canonical: bad)
            }
        }
    }

    /// The balancer's `health_check` decodes as a typed check and encodes as the same text; none is empty.
    @Test func aBalancersHealthCheckIsTypedAndItsErrorNamesTheKey() throws {
        var attributes = [
            "network": "primary/network.main", "firewall": "primary/firewall.main", "type": "application", "scheme": "internal",
            "listeners": "http/80>8080", "health_check": "http:/healthz:8080",
        ]
        let spec = try LoadBalancerSpec(attributes: attributes)
        #expect(spec.healthCheck == HealthCheckSpec(proto: "http", path: "/healthz", port: 8080))
        #expect(spec.attributes == attributes)
        attributes["health_check"] = ""
        #expect(try LoadBalancerSpec(attributes: attributes).healthCheck == nil)
        #expect(try LoadBalancerSpec(attributes: attributes).attributes == attributes)
        attributes["health_check"] = "ping::80"
        #expect(throws: MalformedSpecText(what: "attribute 'health_check'", text: "ping::80", form: "http|https|tcp:path:port")) {
            try LoadBalancerSpec(attributes: attributes)
        }
    }

    /// Sorted and unique as a cloud reads a rule set back; a single port has no range.
    @Test func ingressRulesAreSortedUniqueAndCompact() throws {
        let rules = try IngressRuleSpec.list(canonical: "udp/500-4500/10.0.0.0/8; tcp/443/0.0.0.0/0;tcp/443-443/0.0.0.0/0")
        #expect(rules[0] == IngressRuleSpec(proto: "udp", fromPort: 500, toPort: 4500, cidr: "10.0.0.0/8"))
        #expect(IngressRuleSpec.canonical(rules) == "tcp/443/0.0.0.0/0;udp/500-4500/10.0.0.0/8")
        #expect(throws: MalformedSpecText.self) { try IngressRuleSpec.list(canonical: "tcp/443") }
    }

    static let key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKeyMaterialNeverPrinted\n-----END PRIVATE KEY-----\n"
    static let leaf = "-----BEGIN CERTIFICATE-----\nMIIBleaf\n-----END CERTIFICATE-----\n"
    static let intermediate = "-----BEGIN CERTIFICATE-----\nMIIBintermediate\n-----END CERTIFICATE-----\n"

    @Test func aBundleSplitsAndItsKeyNeverPrints() throws {
        let bundle = try PEMBundle(Secret(Self.leaf + Self.intermediate.replacingOccurrences(of: "\n", with: "\r\n") + Self.key))
        #expect(bundle.certificate == Self.leaf && bundle.chain == Self.intermediate)
        #expect(bundle.privateKey.reveal() == Self.key)
        for printed in [bundle.description, "\(bundle)", String(reflecting: bundle), String(reflecting: bundle.privateKey), "\(bundle.privateKey)"] {
            #expect(!printed.contains("KeyMaterial") && !printed.contains("PRIVATE KEY-----"), "\(printed)")
        }
        #expect(bundle.description == "PEM bundle (certificate, 1 chain certificate, private key <redacted>)")
    }

    @Test func aBundleWithoutKeyOrCertificateSaysWhichIsMissing() {
        #expect(throws: PEMBundle.Problem.noPrivateKey) { try PEMBundle(Secret(Self.leaf)) }
        #expect(throws: PEMBundle.Problem.noCertificate) { try PEMBundle(Secret(Self.key)) }
    }
}
