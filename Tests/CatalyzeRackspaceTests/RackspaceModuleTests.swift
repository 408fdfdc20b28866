import Testing
@testable import CatalyzeRackspace

@Suite struct RackspaceModuleTests {
    @Test func moduleLoads() { #expect("\(CatalyzeRackspaceModule.self)".hasSuffix("Module")) }
}
