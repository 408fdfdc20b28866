import ArgumentParser
import CatalyzeDrivers
import CatalyzeScheduler

/// Runs `body`; prints any library error as `error: …` and turns it into exit 1.
func reportingFailures<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as PlacementError {
        printError("error: placement failed: \(error)")
        throw ExitCode.failure
    } catch let error as DriverError {
        printError("error: \(error)")
        throw ExitCode.failure
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
}
