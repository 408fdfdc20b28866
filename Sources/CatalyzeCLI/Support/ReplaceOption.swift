import ArgumentParser
import CatalyzeCore
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState

/// `plan`/`apply --replace ADDRESS`: each address checked against the lockfile before any cloud
/// call (`Planner.replaceableAddress`); a bad one is a usage error (exit 64) naming it.
enum ReplaceOption {
    static func addresses(_ given: [String], lockfile: Lockfile?) throws -> Set<ResourceAddress> {
        var addresses: Set<ResourceAddress> = []
        for text in given {
            do {
                addresses.insert(try Planner.replaceableAddress(text, lockfile: lockfile))
            } catch {
                throw ValidationError(error.description)
            }
        }
        return addresses
    }
}
