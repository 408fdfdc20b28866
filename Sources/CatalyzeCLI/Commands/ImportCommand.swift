import ArgumentParser
import CatalyzeCore
import CatalyzeModel
import CatalyzePlanner

/// `catalyze import`: take cloud resources of the pod over into this lockfile, explicitly.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Take the pod's resources of another lockfile (lineage), or one untagged resource, over into this lockfile.",
        discussion: """
            Every resource catalyze makes carries the lineage of its lockfile (tag catalyze:lineage), and a plan \
            never touches a resource of another lineage: it stops and names it. `import --from-lineage L` re-tags \
            every resource of the pod tagged with lineage L in place with this lockfile's lineage and records it; \
            `import <address> <cloud-id>` does so for one resource found by the pod's tags (one without a lineage, \
            made by hand or by a release before 0.2.0, or another lineage's). The plan shows `import` actions only, \
            never `add`; nothing is made or deleted. Refused while an apply of L holds its lease (tag catalyze:lease \
            on each region's firewall, written while it runs). Each import is recorded in the access audit log beside \
            the lockfile, signed with the operator key ($CATALYZE_OPERATOR_KEY) when the manifest names \
            access.operatorPublicKey (then the key is required, and checked before anything changes). This is also how a lost lockfile is rebuilt: `catalyze import --from-lineage L` with the \
            lineage the plan names, then `catalyze plan`.
            """)

    @Argument(help: "The address of one resource to import, e.g. primary/volume.db01.")
    var address: String?

    @Argument(help: "Its cloud id (instance id, volume id, ARN, server UUID, …).")
    var cloudID: String?

    @Option(name: .customLong("from-lineage"), help: "Import every resource of the pod tagged with this lineage.")
    var fromLineage: String?

    @OptionGroup var pod: PodOptions

    @Flag(help: "Do not ask for confirmation.")
    var autoApprove = false

    @Flag(help: "Print progress as JSON lines.")
    var json = false

    func validate() throws {
        switch (fromLineage, address, cloudID) {
        case (.some(let lineage), nil, nil):
            guard !lineage.isEmpty, !lineage.contains(" ") else { throw ValidationError("--from-lineage needs a lineage (a UUID)") }
        case (nil, .some(let address), .some(let cloudID)):
            guard ResourceAddress(parsing: address) != nil else {
                throw ValidationError("'\(address)' is not a resource address such as primary/volume.db01")
            }
            guard !cloudID.isEmpty else { throw ValidationError("<cloud-id> is empty") }
        default:
            throw ValidationError("give either --from-lineage <lineage>, or <address> <cloud-id>")
        }
    }

    /// What to import, from the arguments `validate` accepted.
    var selection: ImportSelection {
        if let fromLineage { return .lineage(fromLineage) }
        return .resource(ResourceAddress(parsing: address ?? "")!, cloudID: cloudID ?? "")
    }

    func run() async throws {
        var runner = ApplyRunner(
            session: try Session(pod), command: "import", destroy: false, autoApprove: autoApprove,
            forceDestroyData: false, parallelism: 10, json: json)  // import makes and deletes nothing
        runner.importing = selection
        try await runner.run(savedPlan: nil)
    }
}
