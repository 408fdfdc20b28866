import Testing
@testable import CatalyzePlanner

@Suite struct PlannerModuleTests {
    @Test func moduleLoads() { #expect("\(CatalyzePlannerModule.self)".hasSuffix("Module")) }
}
