import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// `apply`, `plan` and `destroy` of examples/hipaa-aws.yaml on moto with the state in a network
/// backend: S3 on the same private moto (`--backend`), etcd (`CATALYZE_BACKEND`). Nothing is
/// written beside the manifest, the next plan is clean, and no secret reaches the stored state.
@Suite(.serialized) struct EndToEndBackendTests {
    @Test func applyPlanDestroyWithTheStateInS3() async throws {
        let ws = try await EndToEndAWSTests.workspace()
        defer { ws.moto.stop(); ws.folder.remove() }
        let bucket = "acme-state"
        for (query, body) in [
            (nil as String?, ""),
            ("versioning", "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>"),
            ("encryption", "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>"),
        ] {
            let response = try s3(ws, "PUT", "\(bucket)\(query.map { "?\($0)" } ?? "")", body: body)
            try #require(response.status == 200, "\(response.text)")
        }
        let backend = "s3://\(bucket)/teams/platform"
        let applied = try await ws.catalyze("apply", "--auto-approve", "--backend", backend)
        try #require(applied.status == 0, "\(applied.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.folder.path("catalyze.lock.json")), "nothing beside the manifest")
        let stored = try s3(ws, "GET", "\(bucket)/teams/platform/acme-prod/catalyze.lock.json")
        #expect(stored.status == 200)
        #expect(stored.text.contains("acme-prod") && stored.text.contains("\"lineage\""))
        for secret in [EndToEndAWSTests.secretKey, EndToEndAWSTests.dbPassword] {
            #expect(!stored.text.contains(secret) && !applied.stdout.contains(secret) && !applied.stderr.contains(secret))
        }
        let again = try await ws.catalyze("plan", "--detailed-exitcode", "--backend", backend)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        let list = try await ws.catalyze("state", "list", "--backend", backend)
        #expect(list.stdout.contains("primary/instance.app01"), "\(list.stderr)")
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data", "--backend", backend).status == 0)
    }

    @Test func applyPlanDestroyWithTheStateInEtcdAndTwoAppliesAtOnce() async throws {
        let base = try await EndToEndAWSTests.workspace()
        defer { base.moto.stop(); base.folder.remove() }
        let etcd = try etcdURL()
        let prefix = "catalyze-e2e/\(UUID().uuidString.prefix(8).lowercased())"
        var environment = base.environment
        environment["CATALYZE_BACKEND"] = "etcd://\(etcd.host!):\(etcd.port!)/\(prefix)"
        let ws = EndToEndAWSTests.Workspace(moto: base.moto, folder: base.folder, environment: environment)
        async let first = ws.catalyze("apply", "--auto-approve")
        try await Task.sleep(for: .milliseconds(300))
        let second = try await ws.catalyze("apply", "--auto-approve")
        let one = try await first
        #expect([one.status, second.status].sorted() == [0, 1], "exactly one apply may run: \(one.stderr) | \(second.stderr)")
        let loser = one.status == 1 ? one : second
        #expect(loser.stderr.contains("state is locked"), "\(loser.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.folder.path("catalyze.lock.json")))
        let again = try await ws.catalyze("plan", "--detailed-exitcode")
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(try await ws.catalyze("destroy", "--auto-approve", "--force-destroy-data").status == 0)
    }

    /// A signed S3 request to the workspace's private moto (its default account).
    private func s3(_ ws: EndToEndAWSTests.Workspace, _ method: String, _ path: String, body: String = "") throws -> HTTPResponse {
        let url = URL(string: "\(ws.moto.url.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")))/\(path)")!
        var request = HTTPRequest(
            method: method, url: url, headers: body.isEmpty ? [:] : ["content-type": "application/xml"], body: Data(body.utf8))
        let credentials = AWSCredentials(accessKeyID: "AKIDE2ETEST", secretAccessKey: Secret(EndToEndAWSTests.secretKey))
        request = SigV4Signer(credentials: credentials).sign(request, region: "us-east-1", service: "s3", date: Date(), signBodyHash: true)
        return try CurlTransport().sendBlocking(request)
    }

    private func etcdURL() throws -> URL {
        if let value = ProcessInfo.processInfo.environment["CATALYZE_ETCD_URL"], let url = URL(string: value) { return url }
        let text = (try? String(contentsOf: Emulators.environmentFile, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.contains("CATALYZE_ETCD_URL=") {
            if let url = URL(string: String(line.split(separator: "=", maxSplits: 1)[1])) { return url }
        }
        throw EmulatorsError.notStarted(variable: "CATALYZE_ETCD_URL")
    }
}
