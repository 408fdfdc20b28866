import CatalyzeCore
import CatalyzeModel
import Testing
@testable import CatalyzeManifest

/// What `catalyze init` writes validates as written, for every profile and provider.
@Suite struct StarterManifestTests {
    static let combinations: [(Profile, Provider)] = Profile.allCases.flatMap { p in Provider.allCases.map { (p, $0) } }

    @Test(arguments: combinations)
    func starterValidates(profile: Profile, provider: Provider) throws {
        let text = StarterManifest.render(profile: profile, provider: provider, name: "acme-\(provider.rawValue)")
        let result = ManifestLoader.load(text: text, file: "pod.yaml")
        #expect(result.errors.isEmpty, "\(result.diagnostics.map(\.diagnostic))")
        let manifest = try #require(result.manifest)
        #expect(manifest.pod.name == "acme-\(provider.rawValue)")
        #expect(manifest.profile == profile)
        #expect(manifest.primaryRegion.provider == provider)
        switch profile {
        case .hipaa:
            #expect(result.diagnostics.isEmpty)
            #expect(manifest.regions.map(\.role) == [.primary, .dr])
            #expect(manifest.backup.region == "dr")
            #expect(manifest.loadBalancer.listeners.allSatisfy { $0.isTLS })
        case .dev:
            // Only the relaxations dev is for, each one a warning.
            #expect(result.warnings.count == result.diagnostics.count)
            #expect(result.warnings.allSatisfy { if case .profileRelaxes = $0.issue { true } else { false } })
            #expect(manifest.regions.count == 1)
        }
    }

    @Test(arguments: Provider.allCases)
    func devStarterNamesEachRelaxation(provider: Provider) {
        let result = ManifestLoader.load(text: StarterManifest.render(profile: .dev, provider: provider, name: "p"), file: "pod.yaml")
        #expect(Set(result.issues) == [
            .profileRelaxes(what: "without encrypted storage; not allowed under hipaa"),
            .profileRelaxes(what: "without encrypted storage for database 'db'; not allowed under hipaa"),
            .profileRelaxes(what: "without a TLS listener (https, tls or tls-passthrough) on the load balancer; not allowed under hipaa"),
            .profileRelaxes(what: "without backup enabled; not allowed under hipaa"),
            .profileRelaxes(what: "without at least two replicas of app 'app'; not allowed under hipaa"),
        ])
    }

    @Test func cloudRegionsMatchTheProvider() throws {
        let aws = try #require(ManifestLoader.load(text: StarterManifest.render(profile: .hipaa, provider: .aws, name: "a"), file: "a").manifest)
        let rax = try #require(ManifestLoader.load(text: StarterManifest.render(profile: .hipaa, provider: .rax, name: "r"), file: "r").manifest)
        #expect(aws.regions.map(\.cloudRegion) == ["us-east-1", "us-west-2"])
        #expect(rax.regions.map(\.cloudRegion) == ["ORD", "DFW"])
        #expect(rax.backup.passphrase == .environment("BACKUP_PASSPHRASE"), "Cloud Backup needs the customer's passphrase")
        #expect(aws.backup.passphrase == nil, "AWS Backup uses the pod's KMS key")
    }

    @Test func starterHoldsNoSecretOnlyReferences() throws {
        let text = StarterManifest.render(profile: .hipaa, provider: .aws, name: "acme")
        let manifest = try #require(ManifestLoader.load(text: text, file: "pod.yaml").manifest)
        #expect(manifest.databases.first?.password == .environment("DB_PASSWORD"))
        #expect(manifest.loadBalancer.listeners.first?.certificate == "file:certs/acme.pem")
        #expect(text.hasPrefix("# catalyze pod manifest, version 1. Reference: man 5 catalyze-manifest"))
    }

    /// The commented passthrough listener, put in place of the https one as its comment says, validates.
    @Test(arguments: Provider.allCases)
    func commentedPassthroughListenerValidates(provider: Provider) throws {
        let text = StarterManifest.render(profile: .hipaa, provider: provider, name: "acme")
        let commented = "    #   - { protocol: tls-passthrough, port: 443, targetPort: 8080 }\n"
        #expect(text.contains(commented))
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let https = try #require(lines.firstIndex(of: "    - protocol: https"))
        lines.removeSubrange(https...(https + 3))  // protocol, port, targetPort, certificate
        var edited = lines.joined(separator: "\n").replacingOccurrences(of: commented, with: "    - { protocol: tls-passthrough, port: 443, targetPort: 8080 }\n")
        if provider == .aws { edited = edited.replacingOccurrences(of: "  type: application", with: "  type: network") }
        let result = ManifestLoader.load(text: edited, file: "pod.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.diagnostic))")
        let listeners = try #require(result.manifest?.loadBalancer.listeners)
        #expect(listeners.count == 1 && listeners.allSatisfy(\.isPassthrough) && listeners[0].certificate == nil)
    }
}
