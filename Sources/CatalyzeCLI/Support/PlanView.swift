import CatalyzeCore
import CatalyzeExecutor
import CatalyzePlanner
import CatalyzeScheduler

/// The human view of a plan: Terraform's symbols and summary line, which users already read fluently.
struct PlanView {
    let terminal: Terminal

    /// - Parameter explain: also say why each rolled member gets its strategy (`plan --explain`).
    func render(_ plan: Plan, traces: [String: PlacementTrace] = [:], explain: Bool = false) -> String {
        var lines: [String] = []
        for region in traces.keys.sorted() {
            lines.append(terminal.paint("Placement bids in region \(region):", .bold))
            lines.append(traces[region]!.renderTable())
            lines.append("")
        }
        if !plan.drift.isEmpty {
            lines.append(terminal.paint("Changed outside catalyze (drift):", .bold))
            for drift in plan.drift {
                var line = "  " + terminal.paint("!", .magenta) + " \(drift.address) \(drift.kind)"
                if !drift.changes.isEmpty {
                    line += ": " + drift.changes.map { "\($0.key) \(quote($0.old)) → \(quote($0.new))" }.joined(separator: ", ")
                }
                lines.append(line)
            }
            lines.append("")
        }
        if plan.isEmpty {
            lines.append("No changes. The pod matches the manifest.")
            return lines.joined(separator: "\n")
        }
        lines.append("catalyze will perform the following actions:")
        lines.append("")
        for change in plan.actionable {
            let style: Terminal.Style = switch change.action {
            case .create: .green
            case .update: .yellow
            case .replace: .magenta
            case .delete: .red
            case .noop: .dim
            case .retag, .importResource: .cyan
            }
            let rolling = change.rollout.map { "  " + terminal.paint("[\($0.label), \($0.strategy.rawValue)]", .cyan) } ?? ""
            lines.append("  " + terminal.paint(change.action.symbol, style) + " \(change.address)  "
                + terminal.paint("(\(change.reason))", .dim) + rolling)
            for attribute in change.changes where !(attribute.new ?? attribute.old ?? "").isEmpty {
                var text = "      \(attribute.key): "
                switch change.action {
                case .create: text += quote(attribute.new)
                case .delete: text += quote(attribute.old)
                default: text += "\(quote(attribute.old)) → \(quote(attribute.new))"
                }
                if attribute.forcesReplacement { text += terminal.paint("  # forces replacement", .magenta) }
                lines.append(text)
            }
            if let loss = change.dataLoss {
                lines.append(terminal.paint("      # destroys data: \(loss) (needs --force-destroy-data)", .red))
            }
        }
        lines += rolloutOrder(plan, explain: explain)
        lines.append("")
        lines.append(terminal.paint(plan.summaryLine, .bold))
        let losses = plan.dataLosses.count
        if losses > 0 {
            lines.append(terminal.paint(
                "\(losses) action\(losses == 1 ? "" : "s") destroy\(losses == 1 ? "s" : "") data: apply and destroy need --force-destroy-data.",
                .red))
        }
        return lines.joined(separator: "\n")
    }

    /// One line per rolling group: its members in order, each with its strategy; with `explain`,
    /// one more line per member saying why.
    private func rolloutOrder(_ plan: Plan, explain: Bool) -> [String] {
        var groups: [String: [Rollout]] = [:]
        for rollout in Set(plan.actionable.compactMap(\.rollout)) { groups[rollout.group, default: []].append(rollout) }
        guard !groups.isEmpty else { return [] }
        var lines = [
            "", terminal.paint("Rolling replacement, one member at a time (each new member's target healthy before the next old member goes):", .bold),
            "  create-before-destroy: the new member is made and serves before its old one goes;"
                + " destroy-then-create: the old one goes first (no room for both)",
        ]
        for group in groups.keys.sorted() {
            let members = groups[group]!.sorted { $0.position < $1.position }
            let order = members.map { "\($0.member.name) (\($0.position)/\($0.count), \($0.strategy.rawValue))" }
            lines.append("  \(group): " + order.joined(separator: " → "))
            if explain {
                for member in members where !member.why.isEmpty { lines.append("    \(member.member.name): \(member.why)") }
            }
        }
        return lines
    }

    private func quote(_ value: String?) -> String {
        guard let value else { return "(none)" }
        let short = value.count > 64 ? String(value.prefix(61)) + "..." : value
        return "\"\(short)\""
    }
}

/// The JSON view of a plan: what `plan --json` and `show PLANFILE --json` print, and what a saved
/// plan file holds with `written_by` and `execution` added (`docs/json.md`, `plan`): one shape, so
/// a script reads a saved plan as it reads `plan --json`.
struct PlanJSON: Encodable {
    var format_version = JSONFormat.version
    /// Only in a saved plan file: the release that made it (only that release applies it).
    var written_by: String? = nil
    let pod: String
    let lineage: String?
    let serial: Int
    let summary: [String: Int]
    let changes: [Change]
    let drift: [Drift]
    let placement: [String: PlacementJSON]?
    /// Only in a saved plan file: every action with the full desired spec, for `apply PLANFILE`.
    /// Its shape belongs to the release that wrote it and is not documented for scripts.
    var execution: Plan? = nil

    struct Change: Encodable {
        let address: String
        let kind: String
        let provider: String
        let region: String
        let action: String
        let reason: String
        let attributes: [AttributeChange]
        /// `encrypted_volume` when the change destroys data (omitted otherwise).
        let destroys_data: DataLoss?
        /// The member's place in its group's rolling replacement, when it is part of one.
        let rollout: RolloutJSON?
    }

    struct RolloutJSON: Encodable {
        let group: String
        let member: String
        let position: Int
        let count: Int
        let label: String
        /// `create-before-destroy` or `destroy-then-create`.
        let strategy: String
        /// Why that strategy.
        let why: String
    }

    init(_ plan: Plan, traces: [String: PlacementTrace]) {
        self.init(plan, placement: traces.isEmpty ? nil : traces.mapValues(PlacementJSON.init))
    }

    init(_ plan: Plan, placement: [String: PlacementJSON]?) {
        pod = plan.pod
        lineage = plan.lineage
        serial = plan.serial
        let s = plan.summary
        summary = ["add": s.add, "change": s.change, "destroy": s.destroy, "retag": s.retag, "import": s.imported]
        changes = plan.actionable.map {
            Change(address: $0.address.description, kind: $0.spec.kind.rawValue, provider: $0.spec.provider.rawValue,
                   region: $0.spec.cloudRegion, action: $0.action.rawValue, reason: $0.reason, attributes: $0.changes,
                   destroys_data: $0.dataLoss,
                   rollout: $0.rollout.map { RolloutJSON(
                       group: $0.group, member: $0.member.description, position: $0.position, count: $0.count, label: $0.label,
                       strategy: $0.strategy.rawValue, why: $0.why) })
        }
        drift = plan.drift
        self.placement = placement
    }
}

/// `plan --explain --json`: one region's placement trace, snake_case, numbers as numbers.
struct PlacementJSON: Codable {
    let max_metric_age_seconds: Int
    let steps: [Step]

    struct Step: Codable {
        let container: String
        let group: String
        let host: String
        /// `kept`, `placed`, `moved from HOST (why)`.
        let decision: String
        let candidates: [Candidate]
    }

    struct Candidate: Codable {
        let host: String
        let cpu_percent: Double?
        let memory_percent: Double?
        let metric_age_seconds: Int?
        /// `agent` (reported on the host), `instances` or `allocation` (derived); null without a figure.
        let cpu_source: String?
        let memory_source: String?
        /// The bid's total, null for a host filtered out.
        let bid: Double?
        /// `won`, `lost` or `filtered`.
        let outcome: String
        /// The outcome as `--explain` prints it (`lost by 0.042`, `filtered: metrics: 20m old, …`).
        let detail: String
    }

    init(_ trace: PlacementTrace) {
        max_metric_age_seconds = trace.policy.maxMetricAge.seconds
        steps = trace.steps.map { step in
            Step(
                container: step.demandID, group: step.group, host: step.hostID, decision: step.decision.description,
                candidates: step.candidates.map { candidate in
                    let outcome = switch candidate.outcome {
                    case .won: "won"
                    case .lost: "lost"
                    case .filtered: "filtered"
                    }
                    return Candidate(
                        host: candidate.hostID, cpu_percent: candidate.cpuPercent, memory_percent: candidate.memoryPercent,
                        metric_age_seconds: candidate.metricAge?.seconds, cpu_source: candidate.cpuSource,
                        memory_source: candidate.memorySource, bid: candidate.bid?.total, outcome: outcome,
                        detail: candidate.outcome.description)
                })
        }
    }
}
