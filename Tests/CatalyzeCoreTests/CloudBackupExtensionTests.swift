import CatalyzeTestSupport
import Foundation
import Testing

/// catalyze's mimic extension for Rackspace Cloud Backup (Tests/Peers/mimic_plugins/catalyze_cloud_backup.py):
/// agents for the tenant's Nova servers, backup configurations checked as the API reference says.
@Suite("mimic extension: Cloud Backup")
struct CloudBackupExtensionTests {
    static func array(_ reply: EmulatorReply) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]] ?? []
    }

    @Test("an agent per Nova server; configurations are created, checked, changed and deleted")
    func agentsAndConfigurations() async throws {
        let session = try await MimicSession.authenticate()
        let backup = try session.endpoint(name: "cloudBackup", type: "rax:backup", region: "ORD")
        #expect(backup.path.hasSuffix("/ORD/v1.0/\(session.tenantID)"))
        #expect(try Self.array(try await session.send("GET", backup.appendingPathComponent("user/agents"))).isEmpty)

        let nova = try session.endpoint(name: "cloudServersOpenStack", region: "ORD")
        let created = try await session.send(
            "POST", nova.appendingPathComponent("servers"), json: ["server": ["name": "db01", "imageRef": "i", "flavorRef": "f"]])
        let server = try #require(try created.json()["server"] as? [String: Any])
        let agents = try Self.array(try await session.send("GET", backup.appendingPathComponent("user/agents")))
        let agent = try #require(agents.first)
        #expect(agents.count == 1 && agent["HostServerId"] as? String == server["id"] as? String)
        #expect(agent["MachineName"] as? String == "db01")
        let agentID = try #require(agent["MachineAgentId"] as? Int)

        let good: [String: Any] = [
            "MachineAgentId": agentID, "ConfigurationName": "nightly", "IsActive": true, "VersionRetention": 30,
            "Frequency": "Daily", "StartTimeHour": 5, "StartTimeMinute": 0, "StartTimeAmPm": "AM",
            "Inclusions": [["FilePath": "/var/lib/postgresql", "FileItemType": "Folder"]],
        ]
        for (change, problem) in [
            (["VersionRetention": 7], "VersionRetention"), (["Frequency": "Hourly"], "HourInterval"),
            (["MachineAgentId": 1], "MachineAgentId"), (["Frequency": "Monthly"], "Frequency"),
        ] as [([String: Any], String)] {
            let refused = try await session.send(
                "POST", backup.appendingPathComponent("backup-configuration"), json: good.merging(change) { $1 })
            #expect(refused.status == 400 && refused.text.contains(problem), "\(change): \(refused.status) \(refused.text)")
        }
        let made = try await session.send("POST", backup.appendingPathComponent("backup-configuration"), json: good)
        #expect(made.status == 200)
        let id = try #require(try made.json()["BackupConfigurationId"] as? Int)
        let listed = try Self.array(try await session.send("GET", backup.appendingPathComponent("backup-configuration/system/\(agentID)")))
        #expect(listed.map { $0["BackupConfigurationId"] as? Int } == [id])

        var weekly = good
        weekly["Frequency"] = "Weekly"
        weekly["DayOfWeekId"] = 0
        #expect(try await session.send("PUT", backup.appendingPathComponent("backup-configuration/\(id)"), json: weekly).status == 200)
        let shown = try await session.send("GET", backup.appendingPathComponent("backup-configuration/\(id)")).json()
        #expect(shown["Frequency"] as? String == "Weekly" && shown["MachineName"] as? String == "db01")
        #expect(try await session.send("DELETE", backup.appendingPathComponent("backup-configuration/\(id)")).status == 200)
        #expect(try await session.send("GET", backup.appendingPathComponent("backup-configuration/\(id)")).status == 404)
        #expect(try await session.send("DELETE", backup.appendingPathComponent("backup-configuration/\(id)")).status == 404)
    }

    @Test("agent details carry an RSA-2048 public key; agent/encrypt refuses what does not decrypt")
    func encryptRefusals() async throws {
        let session = try await MimicSession.authenticate()
        let backup = try session.endpoint(name: "cloudBackup", type: "rax:backup", region: "ORD")
        let control = try session.endpoint(name: "catalyzeCloudBackupControl", type: "rax:backup-control", region: "ORD")
        let nova = try session.endpoint(name: "cloudServersOpenStack", region: "ORD")
        _ = try await session.send(
            "POST", nova.appendingPathComponent("servers"), json: ["server": ["name": "db01", "imageRef": "i", "flavorRef": "f"]])
        let agent = try #require(try Self.array(try await session.send("GET", backup.appendingPathComponent("user/agents"))).first)
        let agentID = try #require(agent["MachineAgentId"] as? Int)
        #expect(agent["IsEncrypted"] as? Bool == false && agent["PublicKey"] == nil, "the listing carries IsEncrypted, not the key")

        let details = try await session.send("GET", backup.appendingPathComponent("agent/\(agentID)")).json()
        let key = try #require(details["PublicKey"] as? [String: Any])
        let modulus = try #require(key["ModulusHex"] as? String)
        #expect(modulus.count == 512 && modulus.allSatisfy(\.isHexDigit))
        #expect(key["ExponentHex"] as? Int == 10001, "the reference's example: the hex digits of 65537, as a number")
        #expect(try await session.send("GET", backup.appendingPathComponent("agent/1")).status == 404)

        let encrypt = backup.appendingPathComponent("agent/encrypt")
        for (body, status, problem) in [
            (["MachineAgentId": agentID, "EncryptedPasswordHex": "abcd"], 400, "512 hex digits"),
            (["MachineAgentId": agentID, "EncryptedPasswordHex": String(repeating: "ab", count: 256)], 400, "does not decrypt"),
            (["MachineAgentId": agentID, "EncryptedPasswordHex": String(repeating: "zz", count: 256)], 400, "512 hex digits"),
            (["EncryptedPasswordHex": String(repeating: "ab", count: 256)], 400, "MachineAgentId"),
            (["MachineAgentId": 1, "EncryptedPasswordHex": String(repeating: "ab", count: 256)], 404, "not found"),
        ] as [([String: Any], Int, String)] {
            let refused = try await session.send("POST", encrypt, json: body)
            #expect(refused.status == status && refused.text.contains(problem), "\(refused.status) \(refused.text)")
        }
        let state = try await session.send("GET", control.appendingPathComponent("agent/\(agentID)/encryption")).json()
        #expect(state["IsEncrypted"] as? Bool == false && state["EncryptCalls"] as? Int == 0 && state["PassphraseSHA256"] is NSNull)
    }
}
