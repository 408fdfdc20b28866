import CatalyzeCore
import CatalyzeDrivers
import CatalyzePlanner
import CatalyzeState

/// One call to make: a create, update or delete of one resource.
struct Step: Sendable {
    let index: Int
    let change: PlannedChange
    let operation: Operation
    var dependsOn: [Int]

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
                for dependent in dependents[step.change.address] ?? [] { if let j = down[dependent] { deps.insert(j) } }
            }
            deps.remove(i)
            steps[i].dependsOn = deps.sorted()
        }
        orderRollouts(&steps)
        return steps
    }

    /// A rolling replacement (`Rollout`) goes one member at a time: every step of member `p + 1`
    /// (its old target deregistered, its old instance deleted, its new ones made) waits for every
    /// create and update of member `p`, the last of which is its new target passing its health
    /// check. A member that fails stops the rollout there: the executor skips what depends on it,
    /// so the next old member keeps serving.
    static func orderRollouts(_ steps: inout [Step]) {
        var ups: [String: [Int: [Int]]] = [:]  // group → position → create/update steps
        for step in steps where step.operation != .delete {
            guard let rollout = step.change.rollout else { continue }
            ups[rollout.group, default: [:]][rollout.position, default: []].append(step.index)
        }
        for i in steps.indices {
            guard let rollout = steps[i].change.rollout, rollout.position > 1,
                  let previous = ups[rollout.group]?[rollout.position - 1]
            else { continue }
            steps[i].dependsOn = Set(steps[i].dependsOn).union(previous).sorted()
        }
    }
}
