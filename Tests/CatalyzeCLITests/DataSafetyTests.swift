import CatalyzeAWS
import CatalyzeCore
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// Nothing that holds a customer's data goes by accident, through the binary against moto:
/// `apply` and `destroy` refuse a plan that deletes or replaces an encrypted volume without
/// `--force-destroy-data` (a database instance replaced with its volume kept is not refused);
/// destroying a hipaa pod on a terminal takes the pod's name; and the pod's KMS key is kept while AWS Backup recovery points encrypted with it remain
/// (recovery points are catalyze's extension of moto, see Tests/Peers/run_moto.py), then deleted by
/// a later destroy once they are gone.
@Suite(.serialized) struct DataSafetyTests {
    /// Runs the binary on a pseudo-terminal (stdin and stdout are a tty), typing `answer` once
    /// `prompt` appears; returns the exit status and everything it printed. Bounded: 300 s.
    static func onTerminal(
        _ arguments: [String], answer: String, prompt: String, folder: URL, environment: [String: String]
    ) async throws -> CommandResult {
        let script = """
            import os, pty, select, signal, sys, time
            signal.alarm(300)
            answer, prompt, argv = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(argv[0], argv)
            out, sent = b"", False
            while True:
                ready, _, _ = select.select([fd], [], [], 1.0)
                if not ready:
                    continue
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                if not sent and prompt in out:
                    os.write(fd, answer + b"\\n")
                    sent = True
            _, status = os.waitpid(pid, 0)
            sys.stdout.write(out.decode("utf-8", "replace"))
            sys.exit(os.waitstatus_to_exitcode(status))
            """
        return try await runCommand(
            PrivateMoto.python, ["-c", script, answer, prompt, catalyzeBinary] + arguments, in: folder,
            environment: environment)
    }

    @Test func dataIsDestroyedOnlyOnPurposeAndKeysOutliveTheirBackups() async throws {
        let ws = try await EndToEndAWSTests.workspace()
        defer { ws.moto.stop(); ws.folder.remove() }
        let steps = PlanSteps(folder: ws.folder.url, environment: ws.environment)
        try await steps.converge("first apply")
        let lockPath = ws.folder.path("catalyze.lock.json")
        let store = FileStateStore(path: lockPath)
        let applied = try #require(try store.load())
        func unchanged(_ step: String) throws {
            #expect(try store.load() == applied, "\(step): the lockfile did not change")
        }

        // A new database engine version replaces the database instances one at a time, each keeping
        // its encrypted volume (re-attached): no data is destroyed, so the plan marks nothing and
        // apply would need no --force-destroy-data (RollingReplacementAWSTests applies such a rollout).
        let manifestPath = ws.folder.path("pod.yaml")
        let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
        let newEngine = manifest.replacingOccurrences(of: "version: \"16\"", with: "version: \"17\"")
        try #require(newEngine != manifest, "the example's databases run version 16")
        try newEngine.write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let rolled = try await ws.catalyze("plan", "--json")
        #expect(rolled.status == 0, "\(rolled.stderr)")
        #expect(rolled.stdout.contains("\"address\" : \"primary/instance.db01\"") && rolled.stdout.contains("\"action\" : \"replace\""),
                "the database instances are replaced: \(rolled.stdout)")
        #expect(!rolled.stdout.contains("destroys_data"), "\(rolled.stdout)")
        let rolledText = try await ws.catalyze("plan")
        #expect(!rolledText.stdout.contains("destroys data") && !rolledText.stdout.contains("destroy data"), "\(rolledText.stdout)")
        try unchanged("plans of a rolling database replacement")

        // One database replica fewer deletes db02 and its encrypted volume in each region: apply refuses it.
        let fewer = manifest.replacingOccurrences(of: "    replicas: 2\n    size: large\n", with: "    replicas: 1\n    size: large\n")
        try #require(fewer != manifest, "the example has two database replicas")
        try fewer.write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let shown = try await ws.catalyze("plan")
        #expect(shown.stdout.contains("# destroys data: encrypted volume (needs --force-destroy-data)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("destroy data: apply and destroy need --force-destroy-data."), "\(shown.stdout)")
        let json = try await ws.catalyze("plan", "--json")
        #expect(json.stdout.contains("\"destroys_data\" : \"encrypted_volume\""), "\(json.stdout)")
        let refused = try await ws.catalyze("apply", "--auto-approve")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refuses it without --force-destroy-data"), "\(refused.stderr)")
        #expect(refused.stderr.contains("primary/volume.db02 (encrypted volume, delete"), "\(refused.stderr)")
        #expect(refused.stderr.contains("dr/volume.db02 (encrypted volume, delete"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("instance.db"), "instances are not what is guarded: \(refused.stderr)")
        #expect(refused.stderr.contains("Nothing was changed."))
        try unchanged("refused apply")
        try manifest.write(toFile: manifestPath, atomically: true, encoding: .utf8)

        // destroy refuses too, naming the encrypted volumes; and off a terminal it still needs --auto-approve.
        let destroyRefused = try await ws.catalyze("destroy", "--auto-approve")
        #expect(destroyRefused.status == 1)
        #expect(destroyRefused.stderr.contains("primary/volume.db01 (encrypted volume, delete"), "\(destroyRefused.stderr)")
        #expect(destroyRefused.stdout.contains("# destroys data: encrypted volume (needs --force-destroy-data)"))
        let unconfirmed = try await ws.catalyze("destroy", "--force-destroy-data")
        #expect(unconfirmed.status == 1 && unconfirmed.stderr.contains("--auto-approve"), "\(unconfirmed.stderr)")
        try unchanged("refused destroys")

        // A backup of the primary database volume, into the primary's vault (under the pod's key).
        let client = try EndToEndAWSTests.backupClient(ws)
        let backup = try #require(applied.resources[ResourceAddress(region: "primary", kind: .backupPlan, name: "main")])
        let volume = try #require(applied.resources[ResourceAddress(region: "primary", kind: .volume, name: "db01")])
        let vault = try #require(backup.outputs["vault_name"])
        let job = try await client.rest(.backup, "StartBackupJob", method: "PUT", path: "/backup-jobs", region: "us-east-1", [
            "BackupVaultName": vault, "ResourceArn": "arn:aws:ec2:us-east-1:123456789012:volume/\(volume.cloudID)",
            "IamRoleArn": "arn:aws:iam::123456789012:role/catalyze-backup", "Lifecycle": ["DeleteAfterDays": 30],
        ])
        let recoveryPoint = try #require(job["RecoveryPointArn"] as? String)

        // On a terminal, destroying a hipaa pod takes its name: "yes" is not enough.
        let prompt = "Type the pod's name to confirm"
        let yes = try await Self.onTerminal(
            ["destroy", "--force-destroy-data"], answer: "yes", prompt: prompt, folder: ws.folder.url, environment: ws.environment)
        #expect(yes.status == 1 && yes.stdout.contains(prompt) && yes.stdout.contains("destroy cancelled."), "\(yes.stdout)")
        try unchanged("cancelled destroy")

        // With the name it goes ahead, but the primary's key is kept: a recovery point needs it.
        let named = try await Self.onTerminal(
            ["destroy", "--force-destroy-data"], answer: "acme-prod", prompt: prompt, folder: ws.folder.url,
            environment: ws.environment)
        #expect(named.status == 1, "destroy reports the kept key:\n\(named.stdout)")
        let primaryKey = try #require(applied.resources[ResourceAddress(region: "primary", kind: .key, name: "storage")])
        #expect(named.stdout.contains("primary/key.storage"), "\(named.stdout)")
        #expect(named.stdout.contains("KMS key \(primaryKey.cloudID) is kept, not scheduled for deletion: it encrypts 1 recovery point in backup vault \(vault)"),
                "\(named.stdout)")
        let kept = try #require(try store.load())
        #expect(Array(kept.resources.keys) == [primaryKey.address], "only the kept key is still recorded")
        func keyState(_ id: String, _ region: String) async throws -> String? {
            let reply = try await client.json(.kms, "DescribeKey", region: region, ["KeyId": id])
            return (reply["KeyMetadata"] as? [String: Any])?["KeyState"] as? String
        }
        #expect(try await keyState(primaryKey.cloudID, "us-east-1") == "Enabled")
        let drKey = try #require(applied.resources[ResourceAddress(region: "dr", kind: .key, name: "storage")])
        #expect(try await keyState(drKey.cloudID, "us-west-2") == "PendingDeletion", "the DR key had no backup under it")
        let planned = try await steps.catalyze("destroy", "--auto-approve", "--force-destroy-data")
        #expect(planned.status == 1 && planned.stderr.contains("is kept"), "still kept while the recovery point remains")

        // The recovery point expires (AWS Backup deletes it): the next destroy deletes the key and its vault.
        _ = try await client.rest(
            .backup, "DeleteRecoveryPoint", method: "DELETE",
            path: "/backup-vaults/\(vault)/recovery-points/\(AWSClient.label(recoveryPoint))", region: "us-east-1")
        let finished = try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data")
        #expect(finished.status == 0, "\(finished.stdout)\n\(finished.stderr)")
        #expect(try store.load()?.resources.isEmpty == true)
        #expect(try await keyState(primaryKey.cloudID, "us-east-1") == "PendingDeletion")
        let vaults = try await client.rest(.backup, "ListBackupVaults", method: "GET", path: "/backup-vaults/", region: "us-east-1")
        #expect((vaults["BackupVaultList"] as? [Any])?.isEmpty == true, "the emptied vault went with its key")
    }
}
