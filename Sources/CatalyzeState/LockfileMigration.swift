import CatalyzeCore
import CatalyzeModel

/// One step of the lockfile format chain: a decoded document of format `from` becomes one of
/// format `from + 1`.
///
/// Every change to the lockfile's meaning ships as one step here, in the release that makes it:
/// - a new field with a default: one line that sets the default (`$0.updateRecords { $0.field = … }`);
/// - a change to what a replace-trigger attribute holds (`ResourceKind.replaceOnChange`): a step
///   that rewrites the recorded values from the old canonical encoding to the new
///   (`$0.rewriteAttribute("principals", of: .instance) { old in new }`), so that planning an
///   unchanged manifest after the upgrade compares like with like and replaces nothing (no
///   database instance, no encrypted volume). The upgrade test
///   (`Tests/CatalyzeCLITests/UpgradeTests.swift`) proves it release to release.
///
/// Steps run on load (`LockfileCodec.decode`); the file keeps its old bytes until the first save,
/// which keeps them as `<path>.v<N>.backup` (`FileStateStore.save`). `apply` and `destroy` make that
/// save before their first change (`StateStore.saveUpgrade`), whatever their plan holds.
public struct LockfileMigration: Sendable {
    /// The format this step reads; it produces `from + 1`.
    public let from: Int
    /// What it changes, for the CHANGELOG and for tests.
    public let summary: String
    /// The step itself, over the decoded document.
    let step: @Sendable (inout Lockfile) -> Void

    /// Creates a step.
    public init(from: Int, summary: String, step: @escaping @Sendable (inout Lockfile) -> Void) {
        self.from = from
        self.summary = summary
        self.step = step
    }

    /// Every step, oldest first: `chain[i].from == i + 1`, ending at `Lockfile.currentFormatVersion`.
    public static let chain: [LockfileMigration] = [
        // 0.2.0: the writer's release is recorded. Only 0.1.0 wrote format 1.
        LockfileMigration(from: 1, summary: "records the release that last wrote the lockfile (written_by)") {
            $0.writtenBy = Lockfile.formatReleases[1] ?? ""
        },
    ]

    /// Runs the steps from `lockfile.formatVersion` up to the current format; returns those run.
    @discardableResult
    public static func upgrade(_ lockfile: inout Lockfile) -> [LockfileMigration] {
        var applied: [LockfileMigration] = []
        for migration in chain where migration.from == lockfile.formatVersion {
            migration.step(&lockfile)
            lockfile.formatVersion = migration.from + 1
            applied.append(migration)
        }
        return applied
    }
}

extension Lockfile {
    /// Rewrites attribute `key` of every record of `kind`, and of every journal intent of that kind
    /// (an apply killed mid-call resumes with the new encoding too). For migrations: `transform`
    /// maps the old canonical encoding to the new one; an absent attribute is left absent.
    public mutating func rewriteAttribute(_ key: String, of kind: ResourceKind, _ transform: (String) -> String) {
        for (address, record) in resources where record.kind == kind {
            guard let old = record.attributes[key] else { continue }
            resources[address]?.attributes[key] = transform(old)
        }
        for index in journal.indices where journal[index].kind == kind {
            guard let old = journal[index].attributes[key] else { continue }
            journal[index].attributes[key] = transform(old)
        }
    }

    /// Changes every record in place (for migrations: a new per-record field gets its default).
    public mutating func updateRecords(_ transform: (inout ResourceRecord) -> Void) {
        for address in Array(resources.keys) { transform(&resources[address]!) }
    }
}
