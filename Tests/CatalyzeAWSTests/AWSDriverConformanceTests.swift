import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

@Suite struct AWSDriverConformanceTests {
    @Test func passesTheSharedConformanceSuiteAgainstMoto() async throws {
        let moto = try MotoFixture()
        try await moto.allocateHosts(region: "us-east-1", zone: "us-east-1a", family: "m5", count: 2)
        let suite = DriverConformance(
            driver: moto.driver, region: "us-east-1", pod: "conf\(moto.account.suffix(6))", counter: moto.counter)
        try await suite.run()
    }
}
