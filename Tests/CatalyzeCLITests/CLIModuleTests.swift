import CatalyzeModel
import Testing
@testable import CatalyzeCLI

@Suite struct CLIModuleTests {
    @Test func rootCommandIsNamed() { #expect(CatalyzeCommand.configuration.commandName == "catalyze") }

    /// Every cloud a manifest may name (its `CloudDescription`) has a driver in this build: the one
    /// line a new cloud adds to `DriverRegistry`.
    @Test func everyCloudHasADriver() {
        #expect(Set(DriverRegistry.makers.keys) == Set(Provider.allCases))
    }
}
