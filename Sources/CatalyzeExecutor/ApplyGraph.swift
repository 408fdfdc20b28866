import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState

/// A record a create-before-destroy moves aside before its member's new instance is made.
struct Depose: Sendable, Hashable {
    /// The member's address (the new resource is made under it).
    let address: ResourceAddress
    /// The old resource's cloud id.
    let cloudID: String
    /// Where its record goes (`ResourceAddress.deposed`).
    var deposedAddress: ResourceAddress { address.deposed(cloudID: cloudID) }
}

/// One call to make: a create, update or delete of one resource.
struct Step: Sendable {
    let index: Int
    let change: PlannedChange
    let operation: Operation
    var dependsOn: [Int]
    /// Records to move aside, in the same save as this step's intent (see `Depose`).
    var deposes: [Depose] = []

    /// The journal token: the plan's token for create/update; a distinct one for the delete half of a replace.
    var token: String {
        switch (operation, change.action) {
        case (.delete, .replace): change.token + "-d"
        case (.delete, _): change.priorToken.map { $0 + "-d" } ?? change.token + "-d"
        default: change.token
        }
    }
}

/// The plan as a dependency graph: network → firewall → keys and volumes → instances →
/// attachments → load-balancer targets for creates, and the reverse for deletes.
enum ApplyGraph {
    static func steps(_ plan: Plan, recorded: [ResourceAddress: ResourceRecord]) -> [Step] {
        var steps: [Step] = []
        var up: [ResourceAddress: Int] = [:]    // create/update step per address
        var down: [ResourceAddress: Int] = [:]  // delete step per address
        for change in plan.actionable {
            switch change.action {
            case .create, .update, .retag, .importResource:
                // A re-tag or an import is one in-place call on the resource (see `Executor`).
                up[change.address] = steps.count
                steps.append(Step(index: steps.count, change: change, operation: change.action == .create ? .create : .update, dependsOn: []))
            case .delete:
                down[change.address] = steps.count
                steps.append(Step(index: steps.count, change: change, operation: .delete, dependsOn: []))
            case .replace where change.rollout?.strategy == .createBeforeDestroy && change.prior != nil:
                // Create-before-destroy: the new one under the address, then the old one deleted
                // under its deposed address (`orderRollouts` puts the delete after the member's creates).
                up[change.address] = steps.count
                steps.append(Step(index: steps.count, change: change, operation: .create, dependsOn: []))
                var old = change
                old.address = change.address.deposed(cloudID: change.prior!.cloudID)
                old.spec.address = old.address
                down[old.address] = steps.count
                steps.append(Step(index: steps.count, change: old, operation: .delete, dependsOn: []))
            case .replace:
                down[change.address] = steps.count
                steps.append(Step(index: steps.count, change: change, operation: .delete, dependsOn: []))
                up[change.address] = steps.count
                steps.append(Step(index: steps.count, change: change, operation: .create, dependsOn: [steps.count - 1]))
            case .noop:
                break
            }
        }
        // What each recorded resource depends on (for deletes, the old graph is the one that matters).
        var dependents: [ResourceAddress: [ResourceAddress]] = [:]
        for record in recorded.values {
            for dependency in record.dependencies { dependents[dependency, default: []].append(record.address) }
        }
        for change in plan.actionable {
            for dependency in change.spec.dependencies where !(recorded[change.address]?.dependencies.contains(dependency) ?? false) {
                dependents[dependency, default: []].append(change.address)
            }
        }
        for i in steps.indices {
            let step = steps[i]
            var deps = Set(step.dependsOn)
            switch step.operation {
            case .create, .update:
                for dependency in step.change.spec.dependencies { if let j = up[dependency] { deps.insert(j) } }
            case .delete:
                for dependent in dependents[step.change.address] ?? [] {
                    if let j = down[dependent] { deps.insert(j) }
                    // A resource no longer wanted goes after what the lockfile says uses it has
                    // moved off it in place (an instance to its tier's firewall before the pod-wide
                    // one is deleted: EC2 refuses to delete a group in use). Not for a replace, whose
                    // new half those updates wait for.
                    if step.change.action == .delete, let j = up[dependent], steps[j].operation == .update { deps.insert(j) }
                }
            }
            deps.remove(i)
            steps[i].dependsOn = deps.sorted()
        }
        orderRollouts(&steps)
        return steps
    }

    /// A rolling replacement (`Rollout`) goes one member at a time: every step of member `p + 1`
    /// waits for every step of member `p`. Destroy-then-create: its old target deregistered, its old
    /// instance deleted, its new ones made, the last of which is its new target passing its health
    /// check. Create-before-destroy: its new instance and target made, the target passing its health
    /// check, and only then its old target and instance deleted (target first) under their deposed
    /// addresses; the member's first create moves the old records there (`Step.deposes`). A member
    /// that fails stops the rollout there: the executor skips what depends on it, so the next old
    /// member (and, create-before-destroy, the failing member's old instance) keeps serving.
    static func orderRollouts(_ steps: inout [Step]) {
        var all: [String: [Int: [Int]]] = [:]   // group → position → steps
        var ups: [String: [Int: [Int]]] = [:]   // group → position → create/update steps
        for step in steps {
            guard let rollout = step.change.rollout else { continue }
            all[rollout.group, default: [:]][rollout.position, default: []].append(step.index)
            if step.operation != .delete { ups[rollout.group, default: [:]][rollout.position, default: []].append(step.index) }
        }
        for i in steps.indices {
            guard let rollout = steps[i].change.rollout else { continue }
            var deps = Set(steps[i].dependsOn)
            if rollout.position > 1, let previous = all[rollout.group]?[rollout.position - 1] { deps.formUnion(previous) }
            let mine = all[rollout.group]?[rollout.position] ?? []
            if rollout.strategy == .createBeforeDestroy {
                switch steps[i].operation {
                case .delete:
                    deps.formUnion(ups[rollout.group]?[rollout.position] ?? [])
                    // The old instance goes after its old target (and attachment).
                    if steps[i].change.spec.kind == .instance {
                        deps.formUnion(mine.filter { steps[$0].operation == .delete && steps[$0].change.spec.kind != .instance })
                    }
                case .create where steps[i].change.action == .replace && steps[i].change.spec.kind == .instance:
                    // The member's first create: every replaced record of the member moves aside.
                    steps[i].deposes = mine.compactMap { j in
                        let change = steps[j].change
                        guard steps[j].operation == .create, change.action == .replace, let prior = change.prior else { return nil }
                        return Depose(address: change.address, cloudID: prior.cloudID)
                    }
                default: break
                }
            }
            deps.remove(i)
            steps[i].dependsOn = deps.sorted()
        }
    }
}
