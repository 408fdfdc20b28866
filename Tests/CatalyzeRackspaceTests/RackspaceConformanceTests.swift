import CatalyzeCore
import CatalyzeDrivers
import CatalyzeRackspace
import CatalyzeTestSupport
import Foundation
import Testing

/// The shared driver conformance suite against mimic (with catalyze's mimic extension).
@Suite struct RackspaceConformanceTests {
    @Test func rackspaceDriverPassesTheConformanceSuite() async throws {
        let harness = try RackspaceTestHarness("conformance")
        for n in 1...3 {
            try await harness.mimic.addFleetHost(tenant: harness.tenant, hostID: RackspaceTestHarness.hostID("\(n)-\(harness.tenant)"))
        }
        let counter = CountingTransport(CurlTransport())
        let suite = DriverConformance(driver: harness.driver(transport: counter), region: "ORD", pod: harness.pod, counter: counter)
        try await suite.run()
    }
}
