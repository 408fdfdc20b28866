import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeRackspace
import CatalyzeTestSupport
import Foundation
import Testing

/// Cloud Load Balancers are immutable while `PENDING_UPDATE` (a change answers 422 "considered
/// immutable"): every change waits for `ACTIVE`, within `loadBalancerWait` (`CATALYZE_RAX_LB_WAIT`).
///
/// The holds come from our mimic extension's test control (catalyze_load_balancers.py), which
/// refuses every PUT/POST/DELETE on a held balancer with the reference's 422 and, with
/// `afterEachChange`, holds it after each accepted change as the real service does: no more
/// lenient than the real cloud (mimic alone lets a health monitor change through a hold).
@Suite struct RackspaceLoadBalancerWaitTests {
    func spec(_ kind: ResourceKind, _ name: String, _ attributes: [String: String]) -> ResourceSpec {
        ResourceSpec(
            address: ResourceAddress(region: "primary", kind: kind, name: name), kind: kind, provider: .rax, cloudRegion: "ORD",
            attributes: attributes)
    }

    func request(
        _ harness: RackspaceTestHarness, _ operation: CatalyzeModel.Operation, _ spec: ResourceSpec, token: String,
        prior: CloudResource? = nil, deps: [ResourceAddress: CloudResource] = [:]
    ) -> ApplyRequest {
        ApplyRequest(operation: operation, pod: harness.pod, spec: spec, prior: prior, token: token, dependencies: deps, secrets: .none)
    }

    func driver(_ harness: RackspaceTestHarness, wait: Duration) -> RackspaceDriver {
        var configuration = harness.configuration()
        configuration.loadBalancerWait = wait
        return RackspaceDriver(configuration: configuration, transport: CurlTransport(), jitter: JitterSource { 0.5 })
    }

    let balancer = [
        "network": "primary/network.main", "firewall": "primary/firewall.main", "type": "application", "scheme": "internet-facing",
        "listeners": "http/80>8080", "certificate": "", "health_check": "",
    ]

    /// A balancer, a server and the `lb_target` spec joining them.
    func setUp(_ harness: RackspaceTestHarness, _ driver: RackspaceDriver) async throws
        -> (lbSpec: ResourceSpec, lb: CloudResource, target: ResourceSpec, deps: [ResourceAddress: CloudResource])
    {
        let lbSpec = spec(.loadBalancer, "web", balancer)
        let lb = try #require(try await driver.apply(request(harness, .create, lbSpec, token: "t-lb")).resource)
        let instance = harness.instance("app01", host: try await harness.mimic.placeableHostID(tenant: harness.tenant))
        let server = try #require(try await harness.create(driver, instance, token: "t-app01"))
        let target = spec(.lbTarget, "app01", [
            "load_balancer": lbSpec.address.description, "instance": instance.address.description, "port": "8080",
        ])
        return (lbSpec, lb, target, [lbSpec.address: lb, instance.address: server])
    }

    @Test func changesToABalancerHeldPendingUpdateAreWaitedOutNotFailed() async throws {
        let harness = try RackspaceTestHarness("clbhold")
        let driver = driver(harness, wait: .seconds(30))
        let (lbSpec, lb, target, deps) = try await setUp(harness, driver)
        // Held 1.5 s now, and 0.3 s after every change it accepts (the node, its metadata, ...).
        try await harness.mimic.holdLoadBalancer(tenant: harness.tenant, id: lb.cloudID, seconds: 1.5, afterEachChange: 0.3)
        let start = ContinuousClock.now
        let node = try #require(try await driver.apply(request(harness, .create, target, token: "t-node", deps: deps)).resource)
        #expect(ContinuousClock.now - start >= .seconds(1.4), "the node was added only once the hold ended")
        #expect(node.outputs["address"] == deps.values.first { $0.outputs["private_ip"] != nil }?.outputs["private_ip"])

        // An update making several changes in a row (port, health monitor, metadata), each holding it again.
        var changed = balancer
        changed["listeners"] = "http/8080>8080"
        changed["health_check"] = "http:/healthz:8080"
        let updated = try #require(try await driver.apply(request(
            harness, .update, spec(.loadBalancer, "web", changed), token: "t-lb2", prior: lb)).resource)
        #expect(updated.attributes["listeners"] == "http/8080>8080" && updated.attributes["health_check"] == "http:/healthz:8080")

        // Removing the node and the balancer, both while the balancer is held after each change.
        try await harness.mimic.holdLoadBalancer(tenant: harness.tenant, id: lb.cloudID, seconds: 0.5)
        _ = try await driver.apply(request(harness, .delete, target, token: "t-node-del", prior: node, deps: deps))
        try await harness.mimic.holdLoadBalancer(tenant: harness.tenant, id: lb.cloudID, seconds: 0.5)
        _ = try await driver.apply(request(harness, .delete, lbSpec, token: "t-lb-del", prior: lb))
        #expect(try await driver.refresh(RefreshRequest(pod: harness.pod, region: "ORD")).resources.allSatisfy { $0.kind != .loadBalancer })
    }

    @Test func aBalancerStuckPastTheBoundFailsWithinItNamingBalancerAndStatus() async throws {
        let harness = try RackspaceTestHarness("clbstuck")
        let driver = driver(harness, wait: .seconds(1))
        let (_, lb, target, deps) = try await setUp(harness, driver)
        try await harness.mimic.holdLoadBalancer(tenant: harness.tenant, id: lb.cloudID, seconds: nil)
        let start = ContinuousClock.now
        let error = await #expect(throws: DriverError.self) {
            _ = try await driver.apply(request(harness, .create, target, token: "t-node", deps: deps))
        }
        let waited = ContinuousClock.now - start
        #expect(waited >= .seconds(1) && waited < .seconds(6), "failed at the 1 s bound (plus one poll and a busy machine's slack), not after \(waited)")
        guard case let .failedState(address, state, detail)? = error else {
            Issue.record("expected failedState, got \(String(describing: error))")
            return
        }
        #expect(address == target.address && state == "PENDING_UPDATE")
        #expect(detail.contains("load balancer \(lb.cloudID) still PENDING_UPDATE after 1 s") && detail.contains("CATALYZE_RAX_LB_WAIT"))
        // Released, the same change goes through.
        try await harness.mimic.releaseLoadBalancer(tenant: harness.tenant, id: lb.cloudID)
        _ = try #require(try await driver.apply(request(harness, .create, target, token: "t-node", deps: deps)).resource)
    }

    @Test func aBalancerInErrorFailsAtOnceNamingIt() async throws {
        let harness = try RackspaceTestHarness("clberror")
        let driver = driver(harness, wait: .seconds(30))
        let (_, lb, target, deps) = try await setUp(harness, driver)
        try await harness.mimic.setLoadBalancerStatus(tenant: harness.tenant, id: lb.cloudID, status: "ERROR")
        let start = ContinuousClock.now
        let error = await #expect(throws: DriverError.self) {
            _ = try await driver.apply(request(harness, .create, target, token: "t-node", deps: deps))
        }
        #expect(ContinuousClock.now - start < .seconds(5), "ERROR does not end by waiting: no use waiting the bound out")
        guard case let .failedState(_, state, detail)? = error else {
            Issue.record("expected failedState, got \(String(describing: error))")
            return
        }
        #expect(state == "ERROR" && detail.contains("load balancer \(lb.cloudID) is ERROR"))
    }

    @Test func theBoundComesFromCATALYZE_RAX_LB_WAIT() throws {
        let base = ["OS_AUTH_URL": "http://127.0.0.1:1/v2.0", "OS_USERNAME": "u", "OS_API_KEY": "k"]
        #expect(try RackspaceConfiguration.fromEnvironment(base).loadBalancerWait == .seconds(300))
        #expect(try RackspaceConfiguration.fromEnvironment(base.merging(["CATALYZE_RAX_LB_WAIT": "2.5"]) { $1 }).loadBalancerWait
            == .milliseconds(2500))
        for bad in ["0", "-1", "soon", "100000"] {
            #expect(throws: DriverError.self) {
                _ = try RackspaceConfiguration.fromEnvironment(base.merging(["CATALYZE_RAX_LB_WAIT": bad]) { $1 })
            }
        }
    }
}
