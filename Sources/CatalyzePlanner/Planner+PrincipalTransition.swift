import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// The move from legacy principals (`<pod>-<container>`, before 0.2.0) to scoped ones
/// (`<pod>.<region>.<container>`, `PrincipalForm`) without replacing any instance for it.
///
/// `principals` is a replace trigger (it is written into the host's sshd files at boot), so a
/// lockfile migration that rewrote recorded values would make the lockfile claim a host accepts a
/// principal it refuses, and `access grant` would sign certificates no host accepts. Instead the
/// recorded value stays true to the host: an instance whose recorded principal is the legacy name
/// of the same container keeps it (desired = recorded) as long as nothing else forces its
/// replacement. The first time it is made anew for any reason (a new image or size, rolled one
/// member of its anti-affinity group at a time; a dependency replaced; deleted outside catalyze), the
/// new host gets the scoped principal only. `access grant` reads the recorded value to sign the
/// form each host accepts.
extension Planner {
    /// `spec` with its recorded legacy principal kept, when that is its only replace trigger; nil
    /// when there is nothing to keep.
    static func keepingLegacyPrincipal(_ spec: ResourceSpec, current: [String: String], pod: String) -> ResourceSpec? {
        guard spec.kind == .instance, let recorded = current[principalsKey], let wanted = spec.attributes[principalsKey],
              recorded != wanted,
              PrincipalForm.of(recorded: recorded, pod: pod, region: spec.address.region, container: spec.address.name) == .legacy,
              PrincipalForm.of(recorded: wanted, pod: pod, region: spec.address.region, container: spec.address.name) == .scoped
        else { return nil }
        let forcing = diff(old: current, new: spec.attributes, kind: spec.kind).filter(\.forcesReplacement).map(\.key)
        guard forcing == [principalsKey] else { return nil }  // replaced anyway: the new host gets the scoped form
        var kept = spec
        kept.attributes[principalsKey] = recorded
        return kept
    }

    /// Puts the scoped principal back on a kept instance that a later step decided to replace after
    /// all (its dependency is made anew, or an interrupted delete resumes): a new host never gets
    /// the legacy form.
    static func restoringScopedPrincipal(_ change: inout PlannedChange, wanted: ResourceSpec) {
        guard change.action == .replace, let scoped = wanted.attributes[principalsKey],
              change.spec.attributes[principalsKey] != scoped
        else { return }
        let legacy = change.spec.attributes[principalsKey]
        change.spec.attributes[principalsKey] = scoped
        change.changes.removeAll { $0.key == principalsKey }
        change.changes.append(AttributeChange(key: principalsKey, old: legacy, new: scoped, forcesReplacement: true))
        change.changes.sort { $0.key < $1.key }
    }

    static let principalsKey = "principals"
}
