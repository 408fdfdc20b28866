import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// Every optional field gets the default that catalyze-manifest(5) documents.
@Suite struct ManifestLoaderDefaultsTests {
    typealias T = ManifestTesting

    @Test func sectionDefaults() throws {
        let m = try #require(T.load(T.validHipaa).manifest)
        #expect(m.regions == [RegionSpec(name: "primary", provider: .aws, cloudRegion: "us-east-1", role: .primary, zones: [])])
        #expect(m.scheduling.antiAffinity == .required)
        #expect(m.scheduling.preferredPenalty == 0.5)
        #expect(m.scheduling.maxMetricAge == TimeSpan(seconds: 600))
        #expect(m.scheduling.weights == .init(cpu: 0.3, memory: 0.3, freeVcpu: 0.2, freeMemory: 0.2))
        #expect(m.scheduling.minimums == .init(cpuHeadroomPercent: 10, memoryHeadroomPercent: 10, freeVcpuPercent: 0, freeMemoryPercent: 0))
        #expect(m.network.cidr.description == "10.40.0.0/16")
        #expect(m.network.subnetCidr.description == "10.40.0.0/24")
        #expect(m.firewall == Firewall(vpn: nil, ingress: []))
        #expect(m.loadBalancer.type == "application")
        #expect(m.loadBalancer.scheme == "internet-facing")
        #expect(m.loadBalancer.listeners == [Listener(proto: "https", port: 443, targetPort: 8080, certificate: "file:certs/acme.pem")])
        #expect(m.loadBalancer.healthCheck == HealthCheck(proto: "http", path: "/healthz", port: 8080, interval: TimeSpan(seconds: 30)))
        #expect(m.encryption == Encryption(enabled: true, key: nil))
        #expect(m.databases.isEmpty)
        #expect(m.access == AccessPolicy(maxTTL: TimeSpan(seconds: 8 * 3600), emergencyMaxTTL: TimeSpan(seconds: 3600), caPublicKey: nil))
        #expect(m.backup == Backup(enabled: true, interval: TimeSpan(seconds: 86_400), retention: TimeSpan(seconds: 30 * 86_400), region: nil))
    }

    @Test func containerDefaults() throws {
        let m = try #require(T.load(T.validHipaa).manifest)
        let small = ContainerSize(vcpu: 1, memory: ByteSize(bytes: 2 << 30))
        let medium = ContainerSize(vcpu: 2, memory: ByteSize(bytes: 4 << 30))
        #expect(m.apps == [AppGroup(name: "app", replicas: 2, size: medium, image: "registry.example/app:1", port: 8080, regions: [])])
        #expect(m.api == APIContainer(replicas: 1, size: small, port: 8443))
        #expect(m.logging == LoggingContainer(size: small, port: 9200, path: "/logs", retention: TimeSpan(seconds: 90 * 86_400),
                                              customerAccess: CustomerAccess(enabled: false, cidrs: []), enabled: true))
        #expect(m.monitoring == MonitoringContainer(size: small, port: 9090, customerAccess: CustomerAccess(enabled: false, cidrs: []), enabled: true))
    }

    @Test func databaseDefaults() throws {
        let m = try #require(T.load(T.validHipaa + "databases:\n  - { name: db, engine: mysql, storage: { size: 20GiB } }\n").manifest)
        let large = ContainerSize(vcpu: 4, memory: ByteSize(bytes: 16 << 30))
        #expect(m.databases == [DatabaseGroup(name: "db", engine: "mysql", engineVersion: "16", replicas: 1, size: large,
                                              storage: ByteSize(bytes: 20 << 30), encrypted: true, password: nil, regions: [])])
    }

    @Test func listenerTargetAndHealthCheckFollowTheFirstAppPort() throws {
        let text = T.validHipaa.replacingOccurrences(of: "    image: registry.example/app:1\n", with: "    image: registry.example/app:1\n    port: 9000\n")
        let m = try #require(T.load(text).manifest)
        #expect(m.loadBalancer.listeners.first?.targetPort == 9000)
        #expect(m.loadBalancer.healthCheck.port == 9000)
    }

    @Test func ingressProtocolDefaultsToTCP() throws {
        let m = try #require(T.load(T.validHipaa + "firewall:\n  ingress:\n    - { name: https, ports: 443, cidrs: [0.0.0.0/0] }\n").manifest)
        #expect(m.firewall.ingress == [IngressRule(name: "https", proto: "tcp", ports: PortRange(443), cidrs: [CIDR(parsing: "0.0.0.0/0")!])])
    }

    @Test func hipaaAWSExampleValues() throws {
        let m = try #require(ManifestLoader.load(path: T.example("hipaa-aws.yaml")).manifest)
        #expect(m.pod == PodMetadata(name: "acme-prod", customer: "Acme Health, Inc."))
        #expect(m.scheduling.minimums.cpuHeadroomPercent == 15)
        #expect(m.scheduling.minimums.freeVcpuPercent == 0)
        #expect(m.firewall.vpn == VPN(peer: "203.0.113.10", remoteCidrs: [CIDR(parsing: "192.168.0.0/16")!]))
        #expect(m.databases.first?.password == .environment("ACME_DB_PASSWORD"))
        #expect(m.monitoring.customerAccess == CustomerAccess(enabled: true, cidrs: [CIDR(parsing: "192.168.10.0/24")!]))
        #expect(m.primaryRegion.cloudRegion == "us-east-1")
    }
}
