import ArgumentParser
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeExecutor
import CatalyzeModel
import CatalyzePlanner
import CatalyzeScheduler
import CatalyzeState
import Foundation

/// How an apply plans again after a capacity conflict (another pipeline's reservation, or the
/// cloud's own refusal): the engine and what the first plan was made with.
struct Replanner {
    let engine: PodEngine
    let sshCA: String
    let newLineage: String
    let replacing: Set<ResourceAddress>
}

extension ApplyRunner {
    /// Reads the live fleet of a manifest region (what a claim is checked against).
    func fleetReader(_ drivers: [Provider: CloudDriver]) -> (String) async throws -> [CatalyzeDrivers.FleetHost] {
        let regions = session.manifest.regions
        return { name in
            guard let region = regions.first(where: { $0.name == name }), let driver = drivers[region.provider] else { return [] }
            return try await driver.fleet(FleetRequest(region: region.cloudRegion)).hosts
        }
    }

    /// Claims `plan`'s placements in the ledgers before anything launches. On a conflict re-reads,
    /// re-checks the hosts chosen and re-places only the containers that no longer fit (a saved
    /// plan cannot be re-placed: it stops), at most `FleetReservations.maxAttempts` times in all
    /// (`attempts` counts across the run) with jittered backoff. A write that only lost the race
    /// for the ledger (the re-check still passes: nothing has to move) is tried again, up to
    /// `FleetReservations.maxRaces` times: with many pipelines renewing their leases, such races
    /// are frequent and cost nothing but a read. Returns the plan to launch.
    /// A fleet with no room left stops here, naming the hosts and what they lack: nothing was made.
    func reserve(
        _ plan: Plan, view: LiveView?, lockfile: Lockfile?, reservations: FleetReservations,
        drivers: [Provider: CloudDriver], replanner: Replanner?, refused: Set<String>, attempts: inout Int
    ) async throws -> Plan {
        var plan = plan
        var view = view
        let fleet = fleetReader(drivers)
        var races = 0
        while true {
            let claims = FleetClaim.of(plan, manifest: session.manifest)
            let outcome: ClaimOutcome
            do { outcome = try await reservations.claim(claims, fleet: fleet) } catch {
                printError("error: cannot reserve the fleet hosts: \(error); nothing was created")
                throw ExitCode.failure
            }
            switch outcome {
            case .held:
                return plan
            case .raced(let region):
                races += 1
                if races > FleetReservations.maxRaces, let replanner {
                    // Out of attempts: a fleet with no room left says so (the fleet-full error), not "try again".
                    let others = (try? reservations.others()) ?? [:]
                    _ = try await replace(
                        lockfile: lockfile, replanner: replanner, reserved: others, refused: refused, pinned: [:], view: view,
                        reservations: reservations)
                }
                if races > FleetReservations.maxRaces {
                    _ = reservations.release()
                    printError("error: could not reserve fleet hosts: the reservation ledger of region '\(region)' changed under \(FleetReservations.maxRaces) writes in a row; nothing more was created. Run apply again")
                    throw ExitCode.failure
                }
                if !json { printError("note: another pipeline reserved hosts in region '\(region)' at the same moment; checking again") }
                // Jittered backoff (50–300 ms, × the race up to 5): the writers spread out.
                try? await Task.sleep(for: .milliseconds(Int.random(in: 50...300) * min(races, 5)))
                continue
            case let .misfit(misfits, reasons, fleets, others):
                attempts += 1
                guard let replanner else {
                    _ = reservations.release()
                    printError("error: the fleet changed since the plan was made: \(reasons.joined(separator: "; ")). Nothing was created; run `catalyze plan` again")
                    throw ExitCode.failure
                }
                if !json {
                    printError("note: placement conflict (another pipeline's reservation): \(reasons.joined(separator: "; ")); re-placing \(misfits.map(\.description).sorted().joined(separator: ", "))")
                }
                // Keep every other new instance where it was placed; the fresh fleets of the regions read.
                var pinned: [ResourceAddress: String] = [:]
                for claim in claims.values.joined() where !misfits.contains(claim.address) { pinned[claim.address] = claim.host }
                if var known = view {
                    for (region, hosts) in fleets { known.fleets[region] = hosts }
                    view = known
                }
                let outcome = try await replace(
                    lockfile: lockfile, replanner: replanner, reserved: others, refused: refused, pinned: pinned, view: view,
                    reservations: reservations)
                plan = outcome.plan
                view = outcome.view
                // Placed again (the fleet had room): out of attempts, stop before launching anyway.
                try giveUpAfterTooMany(attempts, reservations: reservations, why: reasons.joined(separator: "; "))
            }
            // Jittered backoff: pipelines that raced spread out before trying again (0.2–0.8 s, × the attempt).
            try? await Task.sleep(for: .milliseconds(Int.random(in: 200...800) * attempts))
        }
    }

    /// Plans again with other pipelines' reservations (and refused hosts) counted; a placement that
    /// finds no room is the fleet-full error.
    func replace(
        lockfile: Lockfile?, replanner: Replanner, reserved: [String: [Reservation]], refused: Set<String>,
        pinned: [ResourceAddress: String], view: LiveView?, reservations: FleetReservations
    ) async throws -> PlanOutcome {
        do {
            return try await replanner.engine.plan(
                session.manifest, lockfile: lockfile, sshCA: replanner.sshCA, newLineage: replanner.newLineage,
                replacing: replanner.replacing, reserved: reserved, refused: refused, pinned: pinned, view: view)
        } catch let error as PlacementError {
            _ = reservations.release()
            throw fleetFull(error, reserved: reserved, refused: refused)
        } catch {
            _ = reservations.release()
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// The fleet-full error: the placement's verdict on every host (what each lacks), counting the
    /// other pipelines' reservations. Returns the exit to throw (1): the lock is released on the way out.
    func fleetFull(_ error: PlacementError, reserved: [String: [Reservation]], refused: Set<String>) -> ExitCode {
        let claims = reserved.values.joined().count
        var counted = "\(claims) reservation\(claims == 1 ? "" : "s") of other pipelines"
        if !refused.isEmpty { counted += " and host\(refused.count == 1 ? "" : "s") \(refused.sorted().joined(separator: ", ")) the cloud reported full" }
        let stage = refused.isEmpty ? "nothing was created" : "no further instance was launched"
        printError("error: the fleet is full (counting \(counted)); \(stage): \(error)")
        return ExitCode.failure
    }

    private func giveUpAfterTooMany(_ attempts: Int, reservations: FleetReservations, why: String) throws {
        guard attempts > FleetReservations.maxAttempts else { return }
        _ = reservations.release()
        printError("error: could not reserve fleet hosts after \(FleetReservations.maxAttempts) conflicts with other pipelines (last: \(why)); nothing more was created. Run apply again")
        throw ExitCode.failure
    }
}
