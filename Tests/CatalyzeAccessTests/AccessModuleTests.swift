import Testing
@testable import CatalyzeAccess

@Suite struct AccessModuleTests {
    @Test func moduleLoads() { #expect("\(CatalyzeAccessModule.self)".hasSuffix("Module")) }
}
