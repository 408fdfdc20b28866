import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace
import CatalyzeTestSupport
import Foundation
import Testing

/// Cloud Servers against mimic: placement verification, idempotency without a Nova token, faults.
@Suite struct RackspaceServerTests {
    @Test func serverLandsOnTheRequestedHostAndReportsIt() async throws {
        let harness = try RackspaceTestHarness("place")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        let driver = harness.driver()
        let spec = harness.instance("app01", host: host)
        let server = try #require(try await harness.create(driver, spec, token: "tok-place"))
        #expect(server.attributes["host"] == host)
        #expect(server.attributes["role"] == "app")
        #expect(server.outputs["flavor"] == "4", "2 vCPU / 2048 MiB is the 2GB standard flavor in mimic")
        let again = try #require(try await harness.create(driver, spec, token: "tok-place"))
        #expect(again.cloudID == server.cloudID)
        #expect(try await harness.servers(token: "tok-place").count == 1)
    }

    /// Nova's scheduler may still put a server elsewhere than the requested host (a filter refuses
    /// it, or the fleet record names the wrong compute host): here the request is rewritten on the
    /// way to name another fleet host, and mimic's Nova honours what it received. The driver reads
    /// the server's `hostId`, refuses it and deletes the server.
    @Test func serverOnAnotherHostIsAMismatchAndIsRemoved() async throws {
        let harness = try RackspaceTestHarness("mismatch")
        let wanted = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        let actual = RackspaceTestHarness.hostID("other-\(harness.tenant)")
        try await harness.mimic.addFleetHost(tenant: harness.tenant, hostID: actual)
        let elsewhere = RackspaceMimic.computeHost(of: actual)
        let driver = harness.driver(transport: HostRewritingTransport(CurlTransport(), to: elsewhere))
        do {
            _ = try await harness.create(driver, harness.instance("app02", host: wanted), token: "tok-mis")
            Issue.record("a misplaced server must not be accepted")
        } catch let error as DriverError {
            #expect(error == .placementMismatch(
                address: ResourceAddress(region: "primary", kind: .instance, name: "app02"), wanted: wanted, actual: actual))
        }
        #expect(try await harness.servers(token: "tok-mis").isEmpty, "the misplaced server is deleted")
    }

    /// Compute API microversion 2.74's `host` is the documented way to ask for a host, and the only
    /// one the mimic extension honours (catalyze_nova_placement.py): below 2.74 it is refused as
    /// Nova's schema refuses it, an unknown compute host is refused, and the scheduler hint an
    /// earlier release invented (`catalyze:host`) is ignored as Nova ignores hints it has no filter for.
    @Test func onlyTheDocumentedHostRequestPlacesAServer() async throws {
        let harness = try RackspaceTestHarness("mv274")
        let hostID = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        let name = RackspaceMimic.computeHost(of: hostID)
        let nova = try await harness.mimic.endpoint("cloudServersOpenStack", tenant: harness.tenant)
        func create(_ server: [String: Any], hints: [String: Any]? = nil, version: String?) async throws -> HTTPResponse {
            var body: [String: Any] = ["server": ["name": "probe", "flavorRef": "2", "imageRef": "probe-image"].merging(server) { $1 }]
            if let hints { body["os:scheduler_hints"] = hints }
            var headers = ["content-type": "application/json", "x-auth-token": "t"]
            if let version { headers["OpenStack-API-Version"] = "compute \(version)" }
            return try await CurlTransport().send(HTTPRequest(
                method: "POST", url: nova.appendingPathComponent("servers"), headers: headers,
                body: try JSONSerialization.data(withJSONObject: body)))
        }
        let old = try await create(["host": name], version: nil)
        #expect(old.status == 400 && old.text.contains("Additional properties are not allowed ('host' was unexpected)"), "\(old.status) \(old.text)")
        let below = try await create(["host": name], version: "2.73")
        #expect(below.status == 400, "\(below.text)")
        let unknown = try await create(["host": "compute-nowhere"], version: "2.74")
        #expect(unknown.status == 400 && unknown.text.contains("Compute host compute-nowhere could not be found."), "\(unknown.text)")
        let hinted = try await create([:], hints: ["catalyze:host": hostID], version: nil)
        #expect(hinted.status == 202)
        let placed = try await create(["host": name], version: "2.74")
        #expect(placed.status == 202, "\(placed.text)")
        let hosts = try await harness.mimic.servers(tenant: harness.tenant).map { $0["hostId"] as? String ?? "" }
        #expect(hosts.count == 2 && hosts.filter { $0 == hostID }.count == 1, "only the 2.74 request lands on the host: \(hosts)")
    }

    /// A fleet host whose entity names no compute host cannot be asked for: it is not eligible.
    @Test func aFleetHostWithoutAComputeHostNameIsNotEligible() async throws {
        let harness = try RackspaceTestHarness("nohost")
        let hostID = RackspaceTestHarness.hostID("nohost-\(harness.tenant)")
        try await harness.mimic.addFleetHost(tenant: harness.tenant, hostID: hostID, computeHost: "")
        let driver = harness.driver()
        let found = try #require(try await driver.fleet(FleetRequest(region: "ORD")).hosts.first { $0.id == hostID })
        #expect(!found.healthy)
        do {
            _ = try await harness.create(driver, harness.instance("app01", host: hostID), token: "tok-nohost")
            Issue.record("a server was asked for on a host with no compute host name")
        } catch let error as DriverError {
            #expect("\(error)".contains("has no compute host name"), "\(error)")
        }
        #expect(try await harness.mimic.servers(tenant: harness.tenant).isEmpty, "nothing was created")
    }

    @Test func falseNegativeCreateLeavesExactlyOneServer() async throws {
        let harness = try RackspaceTestHarness("falseneg")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        try await harness.mimic.addCreationBehavior(
            tenant: harness.tenant, nameRegex: ".*-app03$", name: "sequence",
            parameters: ["behaviors": [["name": "false-negative", "parameters": ["code": 500]], ["name": "default", "parameters": [:]]]])
        let server = try #require(try await harness.create(harness.driver(), harness.instance("app03", host: host), token: "tok-fn"))
        let servers = try await harness.servers(token: "tok-fn")
        #expect(servers.count == 1, "Nova said 500 but made the server: the driver must adopt it, not make another")
        #expect(servers.first?["id"] as? String == server.cloudID)
    }

    @Test func serviceUnavailableOnCreateIsRetried() async throws {
        let harness = try RackspaceTestHarness("503")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        try await harness.mimic.addCreationBehavior(
            tenant: harness.tenant, nameRegex: ".*-app04$", name: "sequence",
            parameters: ["behaviors": [["name": "fail", "parameters": ["code": 503]], ["name": "default", "parameters": [:]]]])
        let server = try #require(try await harness.create(harness.driver(), harness.instance("app04", host: host), token: "tok-503"))
        #expect(try await harness.servers(token: "tok-503").map { $0["id"] as? String } == [server.cloudID])
    }

    @Test func failSucceedFailSequenceMakesOneServerPerToken() async throws {
        let harness = try RackspaceTestHarness("seq")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        try await harness.mimic.addCreationBehavior(
            tenant: harness.tenant, nameRegex: ".*-app0[56]$", name: "sequence",
            parameters: ["behaviors": [
                ["name": "fail", "parameters": ["code": 500]], ["name": "default", "parameters": [:]],
                ["name": "fail", "parameters": ["code": 500]],
            ]])
        let driver = harness.driver()
        let first = try #require(try await harness.create(driver, harness.instance("app05", host: host), token: "tok-s5"))
        let second = try #require(try await harness.create(driver, harness.instance("app06", host: host), token: "tok-s6"))
        #expect(first.cloudID != second.cloudID)
        #expect(try await harness.servers(token: "tok-s5").count == 1)
        #expect(try await harness.servers(token: "tok-s6").count == 1)
    }

    @Test func slowBuildIsWaitedThrough() async throws {
        let harness = try RackspaceTestHarness("slow")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        try await harness.mimic.addCreationBehavior(
            tenant: harness.tenant, nameRegex: ".*-app07$", name: "build", parameters: ["duration": 300])
        let driver = harness.driver(maxPolls: 500)
        async let created = harness.create(driver, harness.instance("app07", host: host), token: "tok-slow")
        // mimic's clock is fake: the build ends only when the test moves it past 300 s.
        var status: String?
        for _ in 0..<250 where status != "BUILD" {
            try await Task.sleep(for: .milliseconds(20))
            status = try await harness.servers(token: "tok-slow").first?["status"] as? String
        }
        #expect(status == "BUILD", "mimic's build behaviour keeps the server in BUILD until the clock moves")
        try await harness.mimic.tick(301)
        let server = try #require(try await created)
        #expect(server.outputs["status"] == "ACTIVE")
    }

    @Test func slowBuildPastThePollLimitFails() async throws {
        let harness = try RackspaceTestHarness("timeout")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        try await harness.mimic.addCreationBehavior(
            tenant: harness.tenant, nameRegex: ".*-app08$", name: "build", parameters: ["duration": 3600])
        do {
            _ = try await harness.create(harness.driver(maxPolls: 5), harness.instance("app08", host: host), token: "tok-to")
            Issue.record("a build that never ends must fail")
        } catch let DriverError.failedState(_, state, _) {
            #expect(state == "BUILD")
        }
    }

    @Test func serverInErrorIsReplaced() async throws {
        let harness = try RackspaceTestHarness("error")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        try await harness.mimic.addCreationBehavior(
            tenant: harness.tenant, nameRegex: ".*-app09$", name: "sequence",
            parameters: ["behaviors": [["name": "error", "parameters": [:]], ["name": "default", "parameters": [:]]]])
        let server = try #require(try await harness.create(harness.driver(), harness.instance("app09", host: host), token: "tok-err"))
        let servers = try await harness.servers(token: "tok-err")
        #expect(servers.count == 1, "the ERROR server is deleted, its replacement kept")
        #expect(servers.first?["id"] as? String == server.cloudID)
        #expect(servers.first?["status"] as? String == "ACTIVE")
    }

    @Test func serverAlwaysInErrorFailsAfterTheReplacements() async throws {
        let harness = try RackspaceTestHarness("errors")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        try await harness.mimic.addCreationBehavior(tenant: harness.tenant, nameRegex: ".*-app10$", name: "error", parameters: [:])
        do {
            _ = try await harness.create(harness.driver(), harness.instance("app10", host: host), token: "tok-errs")
            Issue.record("a server that always errors must fail")
        } catch let DriverError.failedState(_, state, _) {
            #expect(state == "ERROR")
        }
        #expect(try await harness.servers(token: "tok-errs").isEmpty, "no ERROR server is left behind")
    }

    @Test func failedDeleteSucceedsOnRetryAndDeletingAgainIsFine() async throws {
        let harness = try RackspaceTestHarness("delete")
        let host = try await harness.mimic.placeableHostID(tenant: harness.tenant)
        // mimic's preset: the first two DELETEs of this server answer 500.
        let spec = harness.instance("app11", host: host, extra: [:])
        let driver = harness.driver()
        let server = try #require(try await harness.create(driver, spec, token: "tok-del"))
        let nova = try await harness.mimic.endpoint("cloudServersOpenStack", tenant: harness.tenant)
        _ = try await harness.mimic.json(
            "PUT", nova.appendingPathComponent("servers/\(server.cloudID)/metadata/delete_server_failure"),
            body: ["meta": ["delete_server_failure": #"{"times": 2}"#]])
        try await harness.delete(driver, spec, prior: server)
        #expect(try await harness.servers(token: "tok-del").isEmpty)
        try await harness.delete(driver, spec, prior: server)
    }
}

/// Rewrites the `host` of every server create to `name` on the way to the peer: the scheduler
/// choosing another host than the one asked for.
final class HostRewritingTransport: HTTPTransport {
    let inner: HTTPTransport
    let name: String

    init(_ inner: HTTPTransport, to name: String) {
        self.inner = inner
        self.name = name
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var request = request
        if request.method == "POST", request.url.path.hasSuffix("/servers"),
           var body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
           var server = body["server"] as? [String: Any], server["host"] != nil
        {
            server["host"] = name
            body["server"] = server
            request.body = try JSONSerialization.data(withJSONObject: body)
        }
        return try await inner.send(request)
    }
}
