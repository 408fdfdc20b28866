import ArgumentParser
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeScheduler

/// Runs `body`; prints any library error as `error: …` and turns it into exit 1. With `manifest`,
/// a placement that found no host in a region says so and how to add hosts.
func reportingFailures<T>(manifest: PodManifest? = nil, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as PlacementError {
        printError("error: placement failed: \(error)")
        if let advice = FleetAdvice.hint(for: error, manifest: manifest) { printError("hint: \(advice)") }
        throw ExitCode.failure
    } catch let error as DriverError {
        printError("error: \(error)")
        throw ExitCode.failure
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
}
