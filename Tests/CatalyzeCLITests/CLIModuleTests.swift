import Testing
@testable import CatalyzeCLI

@Suite struct CLIModuleTests {
    @Test func rootCommandIsNamed() { #expect(CatalyzeCommand.configuration.commandName == "catalyze") }
}
