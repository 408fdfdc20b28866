import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeState

/// `plan`/`apply --replace ADDRESS` (as Terraform's `-replace`): a recorded instance made anew
/// although nothing about it changed, for example to roll a host made before 0.2.0 onto the scoped
/// principal form now (`Planner+PrincipalTransition`). The planner replaces it with reason
/// "replace requested", and the rollout rolls it as any replaced member (one member of an
/// anti-affinity group at a time, create-before-destroy where the fleet has room). Only instances:
/// a volume holds data and is never replaced on request (a database instance keeps its volume and
/// re-attaches it, as any replacement of it does).
extension Planner {
    /// Why `--replace` refuses an address.
    public struct ReplaceRefusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The message, naming the address.
        public var description: String
    }

    /// The address `text` names, when it is a recorded instance of `lockfile`; else why not.
    /// Checked before any cloud call.
    public static func replaceableAddress(_ text: String, lockfile: Lockfile?) throws(ReplaceRefusal) -> ResourceAddress {
        guard let address = ResourceAddress(parsing: text), address.deposedFrom == nil else {
            throw ReplaceRefusal(description: "--replace '\(text)' is not a resource address (REGION/KIND.NAME, such as primary/instance.app01)")
        }
        guard let record = lockfile?.resources[address] else {
            throw ReplaceRefusal(description: "--replace \(address): the lockfile has no such resource (see `catalyze state list`)")
        }
        switch record.kind {
        case .instance:
            return address
        case .volume:
            throw ReplaceRefusal(description: "--replace \(address): a volume holds data and is never replaced on request; replace its instance instead (the new one re-attaches the volume)")
        default:
            throw ReplaceRefusal(description: "--replace \(address): only instances are replaced on request, not a \(record.kind.rawValue)")
        }
    }
}
