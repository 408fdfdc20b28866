import ArgumentParser
import Foundation
import Testing
@testable import CatalyzeCLI

/// `apply --health-timeout`: a duration, the default when absent.
@Suite struct ApplyCommandTests {
    static func healthWait(_ arguments: [String]) throws -> Duration {
        let command = try #require(try CatalyzeCommand.parseAsRoot(["apply"] + arguments) as? ApplyCommand)
        return try command.healthWait()
    }

    @Test func healthTimeoutIsADuration() throws {
        #expect(try Self.healthWait(["--health-timeout", "90s"]) == .seconds(90))
        #expect(try Self.healthWait(["--health-timeout", "1m30s"]) == .seconds(90))
        if ProcessInfo.processInfo.environment["CATALYZE_HEALTH_TIMEOUT"] == nil {
            #expect(try Self.healthWait([]) == .seconds(300), "five minutes by default")
        }
    }

    @Test(arguments: ["5x", "0s", "1.5m", ""])
    func aHealthTimeoutThatIsNoDurationIsRefusedNamingTheFlag(_ text: String) {
        #expect {
            _ = try CatalyzeCommand.parseAsRoot(["apply", "--health-timeout", text])
        } throws: { error in
            CatalyzeCommand.message(for: error).contains("--health-timeout '\(text)' is not a duration")
        }
    }
}
