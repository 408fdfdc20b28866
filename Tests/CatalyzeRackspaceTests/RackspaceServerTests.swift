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
        let host = try await harness.mimic.defaultHostID(tenant: harness.tenant)
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

    @Test func serverOnAnotherHostIsAMismatchAndIsRemoved() async throws {
        let harness = try RackspaceTestHarness("mismatch")
        let actual = try await harness.mimic.defaultHostID(tenant: harness.tenant)
        let wanted = String(actual.reversed())
        let driver = harness.driver()
        await #expect(throws: DriverError.self) {
            _ = try await harness.create(driver, harness.instance("app02", host: wanted), token: "tok-mis")
        }
        do {
            _ = try await harness.create(driver, harness.instance("app02", host: wanted), token: "tok-mis")
            Issue.record("a misplaced server must not be accepted")
        } catch let error as DriverError {
            #expect(error == .placementMismatch(
                address: ResourceAddress(region: "primary", kind: .instance, name: "app02"), wanted: wanted, actual: actual))
        }
        #expect(try await harness.servers(token: "tok-mis").isEmpty, "the misplaced server is deleted")
    }

    @Test func falseNegativeCreateLeavesExactlyOneServer() async throws {
        let harness = try RackspaceTestHarness("falseneg")
        let host = try await harness.mimic.defaultHostID(tenant: harness.tenant)
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
        let host = try await harness.mimic.defaultHostID(tenant: harness.tenant)
        try await harness.mimic.addCreationBehavior(
            tenant: harness.tenant, nameRegex: ".*-app04$", name: "sequence",
            parameters: ["behaviors": [["name": "fail", "parameters": ["code": 503]], ["name": "default", "parameters": [:]]]])
        let server = try #require(try await harness.create(harness.driver(), harness.instance("app04", host: host), token: "tok-503"))
        #expect(try await harness.servers(token: "tok-503").map { $0["id"] as? String } == [server.cloudID])
    }

    @Test func failSucceedFailSequenceMakesOneServerPerToken() async throws {
        let harness = try RackspaceTestHarness("seq")
        let host = try await harness.mimic.defaultHostID(tenant: harness.tenant)
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
        let host = try await harness.mimic.defaultHostID(tenant: harness.tenant)
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
        let host = try await harness.mimic.defaultHostID(tenant: harness.tenant)
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
        let host = try await harness.mimic.defaultHostID(tenant: harness.tenant)
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
        let host = try await harness.mimic.defaultHostID(tenant: harness.tenant)
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
        let host = try await harness.mimic.defaultHostID(tenant: harness.tenant)
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
