import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// Reading values: unknown keys with suggestions, wrong YAML types, and malformed CIDRs, ports,
/// sizes, durations and names, each positioned at the offending value.
@Suite struct NodeReaderTests {
    typealias T = ManifestTesting

    /// Appends `extra` to the valid manifest and returns the only diagnostic, or records an issue.
    private func single(_ extra: String) -> (ManifestDiagnostic, String)? {
        let text = T.validHipaa + extra
        let result = T.load(text)
        guard result.diagnostics.count == 1 else {
            Issue.record("expected one diagnostic, got \(result.diagnostics.map(\.diagnostic))")
            return nil
        }
        return (result.diagnostics[0], text)
    }

    @Test func unknownTopLevelKeySuggestsTheRightSpelling() throws {
        let (d, text) = try #require(single("backups:\n  enabled: true\n"))
        #expect(d.issue == .unknownKey(path: "", key: "backups", suggestion: "backup"))
        #expect(d.issue.message == "unknown key 'backups' in the manifest")
        #expect(d.issue.hint == "did you mean 'backup'?")
        #expect(d.location == T.position(of: "backups", in: text))
    }

    @Test func unknownKeySuggestionIgnoresCase() throws {
        let (d, _) = try #require(single("api:\n  Replicas: 1\n"))
        #expect(d.issue == .unknownKey(path: "api", key: "Replicas", suggestion: "replicas"))
        #expect(d.location == SourceLocation(file: "pod.yaml", line: 19, column: 3))
    }

    @Test func unknownKeyFarFromEveryKnownKeyHasNoHint() throws {
        let (d, _) = try #require(single("api:\n  colour: blue\n"))
        #expect(d.issue == .unknownKey(path: "api", key: "colour", suggestion: nil))
        #expect(d.issue.hint == nil)
    }

    @Test func misspelledChoiceSuggestsTheNearestWord() throws {
        let (d, text) = try #require(single("scheduling:\n  antiAffinity: requird\n"))
        #expect(d.issue == .invalidValue(path: "scheduling.antiAffinity", value: "requird", expected: "required | preferred"))
        #expect(d.issue.hint == "did you mean 'required'?")
        #expect(d.location == T.position(of: "requird", in: text))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let extra: String
        let issue: ManifestIssue
        let anchor: String
        var testDescription: String { issue.code + " " + anchor }
    }

    static let wrongTypes: [Case] = [
        Case(extra: "api:\n  replicas: two\n",
             issue: .wrongType(path: "api.replicas", expected: "a whole number", found: "the text 'two'"), anchor: "two"),
        Case(extra: "api:\n  replicas: 1.5\n",
             issue: .wrongType(path: "api.replicas", expected: "a whole number", found: "the number 1.5"), anchor: "1.5"),
        Case(extra: "encryption:\n  enabled: \"true\"\n",
             issue: .wrongType(path: "encryption.enabled", expected: "true or false", found: "the text 'true'"), anchor: "\"true\""),
        Case(extra: "network: 10.0.0.0/16\n",
             issue: .wrongType(path: "network", expected: "a mapping", found: "the text '10.0.0.0/16'"), anchor: "10.0.0.0/16"),
        Case(extra: "databases:\n  name: db\n",
             issue: .wrongType(path: "databases", expected: "a list", found: "a mapping"), anchor: "name: db"),
        Case(extra: "scheduling:\n  preferredPenalty: high\n",
             issue: .wrongType(path: "scheduling.preferredPenalty", expected: "a number", found: "the text 'high'"), anchor: "high"),
        Case(extra: "backup:\n  region: 7\n",
             issue: .wrongType(path: "backup.region", expected: "text", found: "the number 7"), anchor: "7"),
        Case(extra: "logging:\n  customerAccess: { enabled: ~ }\n",
             issue: .wrongType(path: "logging.customerAccess.enabled", expected: "true or false", found: "null"), anchor: "~"),
    ]

    @Test(arguments: wrongTypes)
    func wrongTypeIsPositionedAtTheValue(c: Case) throws {
        let (d, _) = try #require(single(c.extra))
        #expect(d.issue == c.issue)
        #expect(d.severity == .error)
        #expect(d.location == T.appendedPosition(of: c.anchor, in: c.extra))
    }

    static let badValues: [Case] = [
        Case(extra: "network:\n  cidr: 10.40.0.1/16\n", issue: .invalidCIDR(path: "network.cidr", value: "10.40.0.1/16"), anchor: "10.40.0.1/16"),
        Case(extra: "network:\n  cidr: 10.40.0/16\n", issue: .invalidCIDR(path: "network.cidr", value: "10.40.0/16"), anchor: "10.40.0/16"),
        Case(extra: "network:\n  cidr: 10.40.0.0/16\n  subnetCidr: 300.1.1.0/24\n",
             issue: .invalidCIDR(path: "network.subnetCidr", value: "300.1.1.0/24"), anchor: "300.1.1.0/24"),
        Case(extra: "firewall:\n  vpn: { peer: 203.0.113.10, remoteCidrs: [192.168.0.0/33] }\n",
             issue: .invalidCIDR(path: "firewall.vpn.remoteCidrs[0]", value: "192.168.0.0/33"), anchor: "192.168.0.0/33"),
        Case(extra: "api:\n  port: 0\n", issue: .invalidPort(path: "api.port", value: "0"), anchor: "0"),
        Case(extra: "api:\n  port: 65536\n", issue: .invalidPort(path: "api.port", value: "65536"), anchor: "65536"),
        Case(extra: "firewall:\n  ingress:\n    - { name: web, ports: 8100-8000, cidrs: [10.0.0.0/8] }\n",
             issue: .invalidPort(path: "firewall.ingress[0].ports", value: "8100-8000"), anchor: "8100-8000"),
        Case(extra: "databases:\n  - { name: db, engine: postgres, storage: { size: 10 parsecs } }\n",
             issue: .invalidSize(path: "databases[0].storage.size", value: "10 parsecs"), anchor: "10 parsecs"),
        Case(extra: "databases:\n  - { name: db, engine: postgres, storage: { size: 0GiB } }\n",
             issue: .invalidSize(path: "databases[0].storage.size", value: "0GiB"), anchor: "0GiB"),
        Case(extra: "api:\n  size: { vcpu: 2, memory: 4 }\n", issue: .invalidSize(path: "api.size.memory", value: "4"), anchor: "4"),
        Case(extra: "backup:\n  interval: 90\n", issue: .invalidDuration(path: "backup.interval", value: "90"), anchor: "90"),
        Case(extra: "backup:\n  retention: 30m1h\n", issue: .invalidDuration(path: "backup.retention", value: "30m1h"), anchor: "30m1h"),
        Case(extra: "access:\n  maxTtl: 0s\n", issue: .invalidDuration(path: "access.maxTtl", value: "0s"), anchor: "0s"),
        Case(extra: "firewall:\n  vpn: { peer: vpn.example.com, remoteCidrs: [192.168.0.0/16] }\n",
             issue: .invalidValue(path: "firewall.vpn.peer", value: "vpn.example.com", expected: "an IPv4 address"), anchor: "vpn.example.com"),
        Case(extra: "api:\n  size: huge\n",
             issue: .invalidValue(path: "api.size", value: "huge", expected: "small | medium | large | xlarge"), anchor: "huge"),
        Case(extra: "api:\n  replicas: 100\n", issue: .invalidValue(path: "api.replicas", value: "100", expected: "1-99"), anchor: "100"),
        Case(extra: "loadBalancer:\n  listeners: []\n  healthCheck: { path: healthz }\n",
             issue: .duplicateKey(key: "loadBalancer"), anchor: "loadBalancer:\n"),
    ]

    @Test(arguments: badValues)
    func badValueIsPositionedAtTheValue(c: Case) throws {
        let text = T.validHipaa + c.extra
        let result = T.load(text)
        if case .duplicateKey = c.issue {
            // A second `loadBalancer:` section is a YAML-level error reported alone, at the repeat.
            #expect(result.diagnostics == [.init(c.issue, at: SourceLocation(file: "pod.yaml", line: 18, column: 1))])
            return
        }
        let (d, _) = try #require(single(c.extra))
        #expect(d.issue == c.issue)
        #expect(d.location == T.appendedPosition(of: c.anchor, in: c.extra))
    }

    /// `ac.me` too: `.` separates pod, region and container in a host's SSH principal (`PrincipalForm`).
    @Test(arguments: ["Acme", "1pod", "pod_name", "pod-", "ac.me", String(repeating: "a", count: 31)])
    func badPodName(name: String) throws {
        let text = T.validHipaa.replacingOccurrences(of: "name: acme", with: "name: \(name)")
        let result = T.load(text)
        let rule = "lowercase letters, digits and '-', starting with a letter, at most 30 characters"
        #expect(result.diagnostics == [
            .init(.invalidName(path: "pod.name", value: name, rule: rule), at: SourceLocation(file: "pod.yaml", line: 3, column: 9)),
        ])
    }

    /// No `.` in region or container names either: `acme.primary.app01` names one container of one
    /// pod in one region only because no name can hold the separator.
    @Test func dotsInRegionAndContainerNamesArePositioned() throws {
        let text = T.validHipaa.replacingOccurrences(of: "name: primary", with: "name: pri.mary")
            .replacingOccurrences(of: "name: app", with: "name: a.pp")
        let rule = "lowercase letters, digits and '-', starting with a letter, at most 20 characters"
        let found = T.load(text).diagnostics.filter { if case .invalidName = $0.issue { true } else { false } }
        #expect(found == [
            .init(.invalidName(path: "regions[0].name", value: "pri.mary", rule: rule), at: SourceLocation(file: "pod.yaml", line: 7, column: 11)),
            .init(.invalidName(path: "apps[0].name", value: "a.pp", rule: rule), at: SourceLocation(file: "pod.yaml", line: 16, column: 11)),
        ])
    }

    @Test(arguments: ["8000-8100", "443", "1-65535"])
    func goodPortRangesAreAccepted(ports: String) throws {
        let text = T.validHipaa + "firewall:\n  ingress:\n    - { name: web, ports: \(ports), cidrs: [10.0.0.0/8] }\n"
        let result = T.load(text)
        #expect(result.diagnostics.isEmpty)
        let rule = try #require(result.manifest?.firewall.ingress.first)
        #expect(rule.ports.description == ports)
    }

    @Test func goodSizesAndDurationsAreAccepted() throws {
        let text = T.validHipaa + """
            databases:
              - { name: db, engine: mysql, storage: { size: 1TB } }
            backup: { interval: 1h30m, retention: 7d }
            api:
              size: { vcpu: 3, memory: 6GiB }

            """
        let result = T.load(text)
        #expect(result.diagnostics.isEmpty)
        let manifest = try #require(result.manifest)
        #expect(manifest.databases[0].storage == ByteSize(bytes: 1_000_000_000_000))
        #expect(manifest.backup.interval == TimeSpan(seconds: 5_400))
        #expect(manifest.backup.retention == TimeSpan(seconds: 7 * 86_400))
        #expect(manifest.api.size == ContainerSize(vcpu: 3, memory: ByteSize(bytes: 6 << 30)))
    }

    @Test func customerAccessEnabledNeedsCidrs() throws {
        let (d, text) = try #require(single("monitoring:\n  customerAccess: { enabled: true }\n"))
        #expect(d.issue == .missingKey(path: "monitoring.customerAccess", key: "cidrs"))
        #expect(d.location == T.position(of: "{ enabled", in: text))
    }

    @Test func everyProblemInOneSectionIsReported() {
        let text = T.validHipaa + "api:\n  replicas: 0\n  size: tiny\n  port: http\n"
        let result = T.load(text)
        #expect(result.issues == [
            .invalidValue(path: "api.replicas", value: "0", expected: "1-99"),
            .invalidValue(path: "api.size", value: "tiny", expected: "small | medium | large | xlarge"),
            .invalidPort(path: "api.port", value: "http"),
        ])
        #expect(result.diagnostics.map(\.location.line) == [19, 20, 21])
    }
}
