import Testing
@testable import CatalyzeScheduler

@Suite struct SchedulerModuleTests {
    @Test func moduleLoads() { #expect("\(CatalyzeSchedulerModule.self)".hasSuffix("Module")) }
}
