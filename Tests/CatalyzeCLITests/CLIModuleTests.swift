import Testing
@testable import CatalyzeCLI

@Suite struct CLIModuleTests {
    @Test func moduleLoads() { #expect("\(CatalyzeCommand.self)".!isEmpty) }
}
