import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// `import` signs its audit entry with the operator key (`CATALYZE_OPERATOR_KEY`, checked against
/// `access.operatorPublicKey`), on moto: a volume tagged for the pod by hand, without a lineage, is
/// imported by address and cloud id. Without the key, or with another key, nothing is imported and
/// nothing is logged; with it, the entry is signed by the operator and `access audit --verify` holds.
@Suite(.serialized) struct ImportSignatureTests {
    @Test func importSignsItsAuditEntryWithTheOperatorKey() async throws {
        let ws = try await EndToEndAWSTests.workspace(regions: ["us-east-1"])
        defer { ws.moto.stop(); ws.folder.remove() }
        try (ReplaceRequestTests.manifest + "access:\n  operatorPublicKey: file:operator.pub\n")
            .write(toFile: ws.folder.path("pod.yaml"), atomically: true, encoding: .utf8)
        for key in ["operator", "other"] {
            let made = try await ws.catalyze("access", "ca", "init", "--out", key)
            try #require(made.status == 0, "\(made.stderr)")
        }
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        try await steps.converge("first apply")

        let made = try await EndToEndAWSTests.backupClient(ws).query(.ec2, "CreateVolume", region: "us-east-1", [
            "AvailabilityZone": "us-east-1a", "Size": "1", "TagSpecification.1.ResourceType": "volume",
            "TagSpecification.1.Tag.1.Key": CatalyzeTag.pod, "TagSpecification.1.Tag.1.Value": "roll",
            "TagSpecification.1.Tag.2.Key": CatalyzeTag.address, "TagSpecification.1.Tag.2.Value": "primary/volume.by-hand",
        ])
        let volumeID = try #require(made.string("volumeId"))
        let log = ws.folder.path("catalyze.access.audit.jsonl")
        func importing(key: String?) async throws -> CommandResult {
            var environment = ws.environment
            environment["CATALYZE_OPERATOR_KEY"] = key.map { ws.folder.path($0) } ?? ""
            return try await runCommand(
                catalyzeBinary, ["import", "primary/volume.by-hand", volumeID, "--auto-approve"], in: ws.folder.url, environment: environment)
        }

        // No key, or another key: refused before anything changes.
        let unsigned = try await importing(key: nil)
        #expect(unsigned.status == 1 && unsigned.stderr.contains("names access.operatorPublicKey"), "\(unsigned.stdout)\n\(unsigned.stderr)")
        let other = try await importing(key: "other")
        #expect(other.status == 1 && other.stderr.contains("not the manifest's access.operatorPublicKey"), "\(other.stdout)\n\(other.stderr)")
        #expect(!FileManager.default.fileExists(atPath: log), "nothing logged")
        let lockText = try String(contentsOfFile: ws.folder.path("catalyze.lock.json"), encoding: .utf8)
        #expect(!lockText.contains("by-hand"), "nothing imported")

        // The operator's key: imported, and the entry is the operator's, signed.
        let signed = try await importing(key: "operator")
        #expect(signed.status == 0 && signed.stdout.contains("1 to import."), "\(signed.stdout)\n\(signed.stderr)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        try #require(lines.count == 1, "\(lines)")
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(entry["kind"] as? String == "import")
        #expect((entry["signer"] as? [String: Any])?["role"] as? String == "operator", "\(entry)")
        #expect((entry["signature"] as? String)?.isEmpty == false, "\(entry)")
        let fingerprint = try await ws.catalyze("access", "audit", "--verify")
        #expect(fingerprint.status == 0, "\(fingerprint.stdout)\n\(fingerprint.stderr)")
        #expect(fingerprint.stdout.contains("1 signed"), "\(fingerprint.stdout)")
    }
}
