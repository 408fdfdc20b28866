import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Crypto
import CryptoExtras
import Foundation
import Testing
@testable import CatalyzeRackspace

/// Cloud Backup vault encryption with the customer's passphrase, against mimic: catalyze's extension
/// (Tests/Peers/mimic_plugins/catalyze_cloud_backup.py) gives each agent a real RSA-2048 key pair,
/// decrypts what `agent/encrypt` receives with the agent's private key and keeps the passphrase's
/// SHA-256, which a test-only control call shows.
@Suite struct RackspaceBackupEncryptionTests {
    static let passphrase = "correct horse battery staple \u{1F40E}"

    /// Counts how often the driver asks for a secret, and answers from a fixed table.
    final class Secrets: @unchecked Sendable {
        private let lock = NSLock()
        private var asked = 0
        private let values: [SecretReference: String]

        init(_ values: [SecretReference: String]) { self.values = values }

        var count: Int { lock.withLock { asked } }

        var resolver: SecretResolver {
            SecretResolver { reference in
                self.lock.withLock { self.asked += 1 }
                guard let value = self.values[reference] else { throw DriverError.secretUnavailable(reference) }
                return Secret(value)
            }
        }
    }

    struct Pod {
        let harness: RackspaceTestHarness
        let driver: RackspaceDriver
        let deps: [ResourceAddress: CloudResource]

        static func make(_ label: String, databases: [String] = ["db01", "db02"]) async throws -> Pod {
            let harness = try RackspaceTestHarness(label)
            let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
            let driver = harness.driver()
            var deps: [ResourceAddress: CloudResource] = [:]
            for name in databases {
                let spec = harness.instance(name, host: host, extra: ["role": "db", "port": "5432"])
                let server: CloudResource = try #require(try await harness.create(driver, spec, token: "t-\(name)"))
                deps[spec.address] = server
            }
            return Pod(harness: harness, driver: driver, deps: deps)
        }

        func plan(passphrase: String? = "env:ACME_BACKUP_PASSPHRASE") -> ResourceSpec {
            var attributes = [
                "interval": "24", "retention_days": "30", "copy_to": "",
                "instances": deps.keys.map(\.description).sorted().joined(separator: ","),
            ]
            if let passphrase {
                attributes["passphrase"] = passphrase
                attributes["encrypted"] = "true"
            }
            return ResourceSpec(
                address: ResourceAddress(region: "primary", kind: .backupPlan, name: "main"), kind: .backupPlan, provider: .rax,
                cloudRegion: "ORD", attributes: attributes)
        }

        func apply(
            _ operation: CatalyzeModel.Operation, _ spec: ResourceSpec, token: String = "t-backup", prior: CloudResource? = nil,
            secrets: SecretResolver
        ) async throws -> CloudResource? {
            try await driver.apply(ApplyRequest(
                operation: operation, pod: harness.pod, spec: spec, prior: prior, token: token, dependencies: deps,
                secrets: secrets)).resource
        }

        func agentIDs() async throws -> [Int] {
            let base = try await harness.mimic.endpoint("cloudBackup", tenant: harness.tenant)
            let agents = try JSONSerialization.jsonObject(
                with: try await EmulatorHTTP.send("GET", base.appendingPathComponent("user/agents")).body) as? [[String: Any]] ?? []
            return agents.compactMap { $0["MachineAgentId"] as? Int }.sorted()
        }

        /// What the test-only control call says about one agent's encryption.
        func encryption(_ agent: Int) async throws -> (encrypted: Bool, sha256: String?, calls: Int) {
            let control = try await harness.mimic.endpoint("catalyzeCloudBackupControl", tenant: harness.tenant)
            let reply = try await EmulatorHTTP.send("GET", control.appendingPathComponent("agent/\(agent)/encryption"))
            let document = try reply.json()
            return (document["IsEncrypted"] as? Bool ?? false, document["PassphraseSHA256"] as? String, document["EncryptCalls"] as? Int ?? -1)
        }

        /// Unencrypts one agent's vault through the control call (drift Rackspace's cloud cannot make).
        func unencrypt(_ agent: Int) async throws {
            let control = try await harness.mimic.endpoint("catalyzeCloudBackupControl", tenant: harness.tenant)
            let reply = try await EmulatorHTTP.sendJSON("PUT", control.appendingPathComponent("agent/\(agent)/encryption"), ["IsEncrypted": false])
            #expect(reply.status == 204)
        }

        func configurationCount() async throws -> Int {
            let base = try await harness.mimic.endpoint("cloudBackup", tenant: harness.tenant)
            var count = 0
            for agent in try await agentIDs() {
                let reply = try await EmulatorHTTP.send("GET", base.appendingPathComponent("backup-configuration/system/\(agent)"))
                count += (try JSONSerialization.jsonObject(with: reply.body) as? [Any] ?? []).count
            }
            return count
        }
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static let reference = SecretReference.environment("ACME_BACKUP_PASSPHRASE")

    @Test func everyAgentEndsEncryptedWithTheCustomersPassphraseOnce() async throws {
        let pod = try await Pod.make("rcbu-encrypt")
        let secrets = Secrets([Self.reference: Self.passphrase + "\n"])  // a trailing line ending is not part of it
        let plan = pod.plan()
        let first = try #require(try await pod.apply(.create, plan, secrets: secrets.resolver))
        #expect(first.attributes["encrypted"] == "true" && first.attributes["passphrase"] == "env:ACME_BACKUP_PASSPHRASE")
        let agents = try await pod.agentIDs()
        #expect(agents.count == 2)
        for agent in agents {
            let state = try await pod.encryption(agent)
            #expect(state.encrypted && state.sha256 == Self.sha256(Self.passphrase) && state.calls == 1, "agent \(agent): \(state)")
        }
        #expect(secrets.count == 1, "the passphrase is read once per apply, not per agent")
        #expect(!first.attributes.values.contains { $0.contains("horse") } && !first.outputs.values.contains { $0.contains("horse") })

        // Re-applied (same token, then an update): the agents are left alone, the secret not even read.
        _ = try await pod.apply(.create, plan, secrets: secrets.resolver)
        let updated = try #require(try await pod.apply(.update, plan, prior: first, secrets: secrets.resolver))
        #expect(updated.cloudID == first.cloudID && updated.attributes["encrypted"] == "true")
        #expect(secrets.count == 1)
        for agent in agents { #expect(try await pod.encryption(agent).calls == 1, "agent \(agent) encrypted once") }

        // Refresh reads encryption back from the agents listing; an unencrypted vault is drift...
        let live = try #require(try await pod.driver.refresh(RefreshRequest(pod: pod.harness.pod, region: "ORD")).resources.first { $0.kind == .backupPlan })
        #expect(live.resource.attributes["encrypted"] == "true")
        try await pod.unencrypt(agents[1])
        let drifted = try #require(try await pod.driver.refresh(RefreshRequest(pod: pod.harness.pod, region: "ORD")).resources.first { $0.kind == .backupPlan })
        #expect(drifted.resource.attributes["encrypted"] == "false")

        // ...which an update repairs: only that agent is encrypted again.
        _ = try await pod.apply(.update, plan, prior: updated, secrets: secrets.resolver)
        #expect(try await pod.encryption(agents[0]).calls == 1)
        let repaired = try await pod.encryption(agents[1])
        #expect(repaired.encrypted && repaired.sha256 == Self.sha256(Self.passphrase) && repaired.calls == 1)
    }

    @Test func anUnreadablePassphraseFailsBeforeAnythingIsMade() async throws {
        let pod = try await Pod.make("rcbu-nosecret", databases: ["db01"])
        do {
            _ = try await pod.apply(.create, pod.plan(), secrets: .none)
            Issue.record("an unreadable passphrase must fail the action")
        } catch let error as DriverError {
            #expect(error == .secretUnavailable(Self.reference))
            #expect(error.description == "cannot read secret env:ACME_BACKUP_PASSPHRASE")
        }
        #expect(try await pod.configurationCount() == 0, "no configuration left behind")
        for agent in try await pod.agentIDs() { #expect(try await pod.encryption(agent).encrypted == false) }
    }

    @Test func aChangedPassphraseIsRefusedUnlessOnlyTheReferenceWasRenamed() async throws {
        let pod = try await Pod.make("rcbu-change", databases: ["db01"])
        let renamed = SecretReference.environment("RENAMED_PASSPHRASE")
        let other = SecretReference.file("other-passphrase.txt")
        let secrets = Secrets([Self.reference: Self.passphrase, renamed: Self.passphrase, other: "a different one"])
        let first = try #require(try await pod.apply(.create, pod.plan(), secrets: secrets.resolver))

        do {
            _ = try await pod.apply(.update, pod.plan(passphrase: "file:other-passphrase.txt"), prior: first, secrets: secrets.resolver)
            Issue.record("a new passphrase cannot be set in place")
        } catch let error as DriverError {
            guard case .invalidSpec(let address, let reason) = error else { throw error }
            #expect(address == pod.plan().address)
            #expect(reason.contains("cannot change a vault passphrase in place") && reason.contains("env:ACME_BACKUP_PASSPHRASE"))
            #expect(!reason.contains("a different one") && !reason.contains("horse"))
        }
        let renamedPlan = pod.plan(passphrase: "env:RENAMED_PASSPHRASE")
        let moved = try #require(try await pod.apply(.update, renamedPlan, prior: first, secrets: secrets.resolver))
        #expect(moved.attributes["passphrase"] == "env:RENAMED_PASSPHRASE")
        for agent in try await pod.agentIDs() {
            let state = try await pod.encryption(agent)
            #expect(state.sha256 == Self.sha256(Self.passphrase) && state.calls == 1)
        }
    }

    @Test func aPassphraseAddedLaterEncryptsTheExistingVaultsAndRefreshReadsItAtNoExtraCall() async throws {
        let pod = try await Pod.make("rcbu-plain", databases: ["db01"])
        let made = try #require(try await pod.apply(.create, pod.plan(passphrase: nil), secrets: .none))
        #expect(made.attributes["encrypted"] == "false" && made.attributes["passphrase"] == nil)
        let counter = CountingTransport(CurlTransport())
        let counted = pod.harness.driver(transport: counter)
        func refreshed() async throws -> (encrypted: String?, calls: Int) {
            counter.reset()
            let live = try await counted.refresh(RefreshRequest(pod: pod.harness.pod, region: "ORD")).resources
            return (live.first { $0.kind == .backupPlan }?.resource.attributes["encrypted"], counter.total)
        }
        _ = try await refreshed()  // authenticates once: not counted below
        let before = try await refreshed()
        #expect(before.encrypted == "false")

        let secrets = Secrets([Self.reference: Self.passphrase])
        let updated = try #require(try await pod.apply(.update, pod.plan(), prior: made, secrets: secrets.resolver))
        #expect(updated.cloudID == made.cloudID && updated.attributes["encrypted"] == "true")
        for agent in try await pod.agentIDs() { #expect(try await pod.encryption(agent).sha256 == Self.sha256(Self.passphrase)) }
        let after = try await refreshed()
        #expect(after.encrypted == "true")
        #expect(after.calls == before.calls, "encryption is read from the agents listing refresh makes anyway")
    }

    // MARK: - Sealing (no emulator)

    static func hex(_ data: Data) -> String { data.map { String(format: "%02X", $0) }.joined() }

    @Test func sealedPassphraseOpensWithTheAgentsPrivateKey() throws {
        let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        let numbers = try key.publicKey.getKeyPrimitives()
        let exponentDigits = String(Self.hex(numbers.publicExponent).drop { $0 == "0" })  // "10001"
        for exponent in [JSONValue.number(Double(exponentDigits) ?? 0), .string(exponentDigits)] {
            let publicKey: JSONValue = ["ModulusHex": .string(Self.hex(numbers.modulus)), "ExponentHex": exponent]
            guard case .success(let sealed) = RackspaceDriver.seal(Secret(Self.passphrase), publicKey: publicKey) else {
                Issue.record("sealing failed")
                return
            }
            #expect(sealed.count == 512 && sealed.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            let bytes = try #require(RackspaceDriver.bytes(hex: sealed))
            let opened = try key.decrypt(bytes, padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
            #expect(String(decoding: opened, as: UTF8.self) == Self.passphrase)
        }
    }

    @Test func sealRefusesUnusableKeysAndOverlongPassphrases() throws {
        let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        let numbers = try key.publicKey.getKeyPrimitives()
        let good: JSONValue = ["ModulusHex": .string(Self.hex(numbers.modulus)), "ExponentHex": 10001]
        #expect(RackspaceDriver.seal(Secret("x"), publicKey: .null) == .failure(.unusableKey))
        #expect(RackspaceDriver.seal(Secret("x"), publicKey: ["ModulusHex": "zz", "ExponentHex": 10001]) == .failure(.unusableKey))
        let short = String(Self.hex(numbers.modulus).prefix(256))  // 1024 bits
        #expect(RackspaceDriver.seal(Secret("x"), publicKey: ["ModulusHex": .string(short), "ExponentHex": 10001]) == .failure(.unusableKey))
        #expect(RackspaceDriver.seal(Secret(String(repeating: "p", count: 246)), publicKey: good) == .failure(.tooLong(maximum: 245)))
        #expect(RackspaceDriver.bytes(hex: "0x10001") == [0x01, 0x00, 0x01])
        #expect(RackspaceDriver.passphrase(Secret("pass\r\n")).reveal() == "pass")
        #expect(RackspaceDriver.passphrase(Secret(" pass ")).reveal() == " pass ", "only line endings go")
    }
}
