import CatalyzeCore
import CatalyzeDrivers
import CatalyzeRackspace
import CatalyzeTestSupport
import Foundation
import Testing

/// Identity v2 against mimic: token reuse, one re-authentication on 401, refused credentials.
@Suite struct RackspaceIdentityTests {
    @Test func oneTokenServesManyCalls() async throws {
        let harness = try RackspaceTestHarness("token")
        let counter = CountingTransport(CurlTransport()) { $0.url.path.hasSuffix("/tokens") ? "auth" : "api" }
        let driver = harness.driver(transport: counter)
        for _ in 0..<3 { _ = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")) }
        #expect(counter.perKey["auth"] == 1, "the token is reused across calls")
        #expect((counter.perKey["api"] ?? 0) >= 3)
        #expect(await driver.authentications == 1)
    }

    @Test func a401MakesOneReauthenticationAndTheCallSucceeds() async throws {
        let harness = try RackspaceTestHarness("reauth")
        // Refuse the first Nova call as if the token had been revoked; everything else goes to mimic.
        let refusedOnce = Mutex(false)
        let faulty = RackspaceFaultTransport(CurlTransport()) { request, _ in
            guard request.url.path.contains("/servers/detail") else { return nil }
            return refusedOnce.withLock { done in
                if done { return nil }
                done = true
                return HTTPResponse(status: 401, body: Data(#"{"unauthorized":{"code":401,"message":"token expired"}}"#.utf8))
            }
        }
        let driver = harness.driver(transport: faulty)
        let live = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD"))
        #expect(live.resources.isEmpty)
        #expect(await driver.authentications == 2, "one re-authentication after the 401")
    }

    @Test func aSecond401IsAnAuthenticationError() async throws {
        let harness = try RackspaceTestHarness("reauth2")
        let faulty = RackspaceFaultTransport(CurlTransport()) { request, _ in
            request.url.path.contains("/servers/detail") ? HTTPResponse(status: 401) : nil
        }
        let driver = harness.driver(transport: faulty)
        await #expect(throws: DriverError.self) { _ = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")) }
        #expect(await driver.authentications == 2, "exactly one re-authentication, not a loop")
    }

    /// Calls in flight together, every one refused: one re-authentication in all. (A call sent
    /// with the replacement token and refused made a third one on a loaded CI run.)
    @Test func concurrentCallsRefusedAfterAReauthenticationDoNotAuthenticateAgain() async throws {
        let harness = try RackspaceTestHarness("reauth3")
        let faulty = RackspaceFaultTransport(CurlTransport()) { request, _ in
            request.url.path.contains("/servers/detail") ? HTTPResponse(status: 401) : nil
        }
        let driver = harness.driver(transport: faulty)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<6 {
                group.addTask {
                    try await Task.sleep(for: .milliseconds(40 * round))
                    await #expect(throws: DriverError.self) { _ = try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")) }
                }
            }
            try await group.waitForAll()
        }
        #expect(await driver.authentications == 2, "one authentication, one re-authentication")
    }

    @Test func refusedCredentialsAreAnAuthenticationErrorWithoutTheKey() async throws {
        let harness = try RackspaceTestHarness("authfail")
        let username = RackspaceMimic.user(harness.tenant)
        try await harness.mimic.failAuthentication(username: username)
        do {
            _ = try await harness.driver().fleet(FleetRequest(region: "ORD"))
            Issue.record("refused credentials must fail")
        } catch let error as DriverError {
            guard case .authentication(let detail) = error else {
                Issue.record("wanted .authentication, got \(error)")
                return
            }
            #expect(detail.contains(username))
            #expect(!error.description.contains("key-\(harness.tenant)"), "the API key never appears in an error")
        }
    }

    @Test func unknownRegionNamesTheCatalogsRegions() async throws {
        let harness = try RackspaceTestHarness("region")
        do {
            _ = try await harness.driver().fleet(FleetRequest(region: "SYD"))
            Issue.record("a region outside the catalog must fail")
        } catch let DriverError.unknownRegion(detail) {
            #expect(detail.contains("SYD") && detail.contains("ORD"))
        }
    }
}
