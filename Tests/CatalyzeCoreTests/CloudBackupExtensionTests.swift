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
}
