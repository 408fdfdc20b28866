import Testing
@testable import CatalyzeState

@Suite struct StateModuleTests {
    @Test func moduleLoads() { #expect("\(CatalyzeStateModule.self)".hasSuffix("Module")) }
}
