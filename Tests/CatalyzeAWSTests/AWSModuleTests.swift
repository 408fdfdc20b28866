import Testing
@testable import CatalyzeAWS

@Suite struct AWSModuleTests {
    @Test func moduleLoads() { #expect("\(CatalyzeAWSModule.self)".hasSuffix("Module")) }
}
