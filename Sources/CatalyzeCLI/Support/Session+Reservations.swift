import ArgumentParser
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeExecutor
import CatalyzeState
import CatalyzeStateBackends
import Foundation

extension Session {
    /// The fleet reservation ledgers of the manifest's regions, in the state's backend (one per
    /// cloud and cloud region: two manifest regions on one cloud region share it).
    func ledgers() throws -> [FleetReservations.Ledger] {
        let context = StateBackends.Context(
            pod: manifest.pod.name, environment: environment,
            timeouts: backend.isRemote ? (try? options.network.timeouts(environment: environment)) ?? .standard : .standard)
        do {
            return try manifest.regions.map { region in
                let scope = LedgerScope(provider: region.provider.rawValue, region: region.cloudRegion)
                return FleetReservations.Ledger(
                    region: region.name, scope: scope, store: try StateBackends.ledger(backend, context, scope: scope))
            }
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// This run's reservations, held under the state lock `lock` (its id names the holder).
    func fleetReservations(lock: StateLock) throws -> FleetReservations {
        FleetReservations(
            ledgers: try ledgers(), pod: manifest.pod.name, holder: lock.holder.id,
            lease: (try? BackendOptions.lease(environment))?.ttl ?? LeasePolicy.standard.ttl)
    }

    /// Other pods' fleet reservations in force, by manifest region (read without the lock), or
    /// prints why they cannot be read and fails.
    func otherReservations() throws -> [String: [Reservation]] {
        let reader = FleetReservations(ledgers: try ledgers(), pod: manifest.pod.name, holder: "", lease: LeasePolicy.standard.ttl)
        do { return try reader.others() } catch {
            printError("error: cannot read the fleet reservations: \(error)")
            throw ExitCode.failure
        }
    }
}
