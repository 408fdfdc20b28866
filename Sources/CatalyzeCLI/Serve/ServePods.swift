import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeOperations
import CatalyzeServe
import CatalyzeState
import Foundation

/// The pods `catalyze serve` answers for: pod POD is the manifest `FOLDER/POD/pod.yaml`, read anew
/// for every request (an edited manifest needs no restart), with its state where the CLI finds it
/// (`Session`: the lockfile beside it, its `state.backend`, or `CATALYZE_BACKEND`). A change goes
/// through `ExposureSwitch`, exactly as `catalyze access expose|conceal` run in that folder.
struct ServePods: PodAccessProvider {
    /// The folder of pod folders.
    let folder: String
    /// `--operator-key`, else `$CATALYZE_OPERATOR_KEY` (checked against each pod's manifest).
    let operatorKey: String?
    /// How long a change waits for the pod's lock.
    let lockTimeout: String
    /// `--connect-timeout`/`--request-timeout` as given to serve.
    let networkArguments: [String]

    func current(pod: String) async throws -> PodAccessView {
        let (session, options) = try open(pod)
        let settings = try exposureSwitch(session, options).current()
        func view(_ service: ExposureSwitch.Service) -> ServiceExposure {
            let value = settings[service]
            return ServiceExposure(enabled: value?.enabled ?? false, cidrs: value?.cidrs ?? [])
        }
        return PodAccessView(pod: pod, logging: view(.logging), monitoring: view(.monitoring))
    }

    func change(
        pod: String, service: ExposureSwitch.Service, enabled: Bool, cidrs: [String], actor: String
    ) async throws -> AccessChangeResult {
        let (session, options) = try open(pod)
        let signer: AuditSigner?
        do {
            signer = try OperatorKey.signer(session: session, path: operatorKey)
        } catch {
            // OperatorKey printed why (no secret: paths and fingerprints) to the server's log.
            throw APIFailure(status: 500, message: "cannot sign the audit entry of pod '\(pod)' with the server's operator key (see the server's log)")
        }
        let outcome: ExposureSwitch.Outcome
        do {
            outcome = try await exposureSwitch(session, options).run(
                ExposureSwitch.Change(service: service, expose: enabled, cidrs: cidrs),
                lock: session.lockRequest(command: "serve: access \(enabled ? "expose" : "conceal") \(service.rawValue)"),
                lockWait: options.lockWait, actor: actor, signer: signer)
        } catch let refusal as ExposureSwitch.Refusal {
            switch refusal {
            case .notApplied: throw APIFailure(status: 409, message: "pod '\(pod)' was never applied: \(refusal)")
            case .noNetworks:
                throw APIFailure(status: 400, message: "field 'cidrs' is empty and \(pod)/pod.yaml sets no \(service.rawValue).customerAccess.cidrs", field: "cidrs")
            case .notDeployed:
                throw APIFailure(status: 409, message: "pod '\(pod)' does not deploy \(service.rawValue) (\(service.rawValue).enabled: false in its manifest): there is nothing to open")
            case .otherPod: throw APIFailure(status: 500, message: "\(refusal)")
            case .firewallNotApplied: throw APIFailure(status: 409, message: "pod '\(pod)': \(refusal)")
            }
        } catch let error as StateError {
            switch error {
            case .locked(_, let holder, _):
                throw APIFailure(status: 409, message: "pod '\(pod)' is busy: \(holder?.summary ?? "its lock is held (holder unreadable)"); try again when it ends")
            case .staleLock(_, let holder):
                throw APIFailure(status: 409, message: "pod '\(pod)' has a stale lock (\(holder.summary)); an operator must run catalyze force-unlock \(holder.id)")
            default:
                throw APIFailure(status: 500, message: "\(error)")
            }
        }
        let report = outcome.report
        return AccessChangeResult(
            pod: pod, service: service.rawValue, enabled: outcome.exposed, cidrs: outcome.cidrs,
            ruleChanges: outcome.plan.actionable.map { "\($0.action.rawValue) \($0.address)" }, complete: report.complete,
            failures: report.failed.map { "\($0.address): \($0.message)" }, auditSequence: outcome.audit.sequence)
    }

    /// The pod's session (manifest loaded and validated, state store opened), or a 404/500.
    private func open(_ pod: String) throws -> (Session, PodOptions) {
        let file = (folder as NSString).appendingPathComponent(pod) + "/pod.yaml"
        guard FileManager.default.fileExists(atPath: file) else {
            throw APIFailure(status: 404, message: "no pod named '\(pod)' (no \(pod)/pod.yaml in the server's manifests folder)")
        }
        let options: PodOptions
        let session: Session
        do {
            options = try PodOptions.parse(["-f", file, "--lock-timeout", lockTimeout] + networkArguments)
            session = try Session(options)
        } catch {
            // Session printed the manifest's diagnostics (positioned, no secret values) to the server's log.
            throw APIFailure(status: 500, message: "the manifest of pod '\(pod)' cannot be used (see the server's log)")
        }
        guard session.declaredManifest.pod.name == pod else {
            throw APIFailure(status: 500, message: "\(pod)/pod.yaml names pod '\(session.declaredManifest.pod.name)', not '\(pod)'")
        }
        return (session, options)
    }

    private func exposureSwitch(_ session: Session, _ options: PodOptions) -> ExposureSwitch {
        ExposureSwitch(
            manifest: session.declaredManifest, manifestName: options.file, store: session.store, stateName: session.stateLocation,
            exposures: ExposureFile(besideLockfile: options.statePath),
            access: AccessServiceFactory.service(AccessPaths(besideLockfile: options.statePath)),
            drivers: { try session.drivers() }, secrets: session.secrets)
    }
}
