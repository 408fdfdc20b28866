import CatalyzeCore

extension PlacementTrace {
    /// The human `--explain` view: the formula, then one table per container, best bid first.
    ///
    /// Every number a reader needs to recompute a bid by hand is on the row: the metrics, what is
    /// left after placing, each weighted term, the penalty and the total (3 decimals; compared exactly).
    public func renderTable() -> String {
        let w = policy.weights
        var lines: [String] = []
        var formula = "bid = \(Fixed.trimmed(w.cpuHeadroom))×(1 − cpu%/100) + \(Fixed.trimmed(w.memoryHeadroom))×(1 − mem%/100)"
        formula += " + \(Fixed.trimmed(w.freeVCPU))×(vCPU left/vCPU) + \(Fixed.trimmed(w.freeMemory))×(mem left/mem)"
        if case .preferred(let penalty) = policy.antiAffinity { formula += " − \(Fixed.trimmed(penalty))×siblings" }
        lines.append(formula)
        let m = policy.minimums
        var rules = "anti-affinity \(policy.antiAffinity); minimums: cpu headroom ≥ \(Fixed.trimmed(m.cpuHeadroomPercent))%, "
        rules += "mem headroom ≥ \(Fixed.trimmed(m.memoryHeadroomPercent))%, "
        rules += "vCPU left ≥ \(Fixed.trimmed(m.freeVCPUPercent))%, mem left ≥ \(Fixed.trimmed(m.freeMemoryPercent))%; "
        rules += "max metric age \(policy.maxMetricAge); ties go to the lower host id"
        lines.append(rules)
        for step in steps {
            lines.append("")
            var title = "\(step.demandID) (group \(step.group); needs \(step.size.vCPU) vCPU, \(step.size.memory) mem, "
            title += "\(step.size.disk) disk) → \(step.hostID) [\(step.decision)]"
            lines.append(title)
            if step.candidates.isEmpty {
                lines.append("  kept where the lockfile has it; no bids taken")
                continue
            }
            var header = ["HOST", "CPU%", "MEM%", "AGE", "vCPU LEFT", "MEM LEFT"]
            header.append(Fixed.trimmed(w.cpuHeadroom) + "×CPUH")
            header.append(Fixed.trimmed(w.memoryHeadroom) + "×MEMH")
            header.append(Fixed.trimmed(w.freeVCPU) + "×vCPU")
            header.append(Fixed.trimmed(w.freeMemory) + "×MEM")
            header += ["PENALTY", "BID", "OUTCOME"]
            lines += Self.align([header] + step.candidates.map(Self.row)).map { "  " + $0 }
        }
        let derived = Set(steps.flatMap(\.candidates).flatMap { [$0.cpuSource, $0.memorySource] }.compactMap { $0 })
            .subtracting([HostMetrics.agent])
        if !derived.isEmpty {
            lines.append("")
            lines.append("CPU% and MEM% marked with a letter were derived, not reported by an agent on the host: "
                + derived.sorted().map { "\(Self.mark($0)) = from \($0)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The letter after a derived figure (`i` instances, `a` allocation); nothing for an agent's.
    private static func mark(_ source: String?) -> String {
        guard let source, source != HostMetrics.agent else { return "" }
        return String(source.prefix(1))
    }

    private static func row(_ c: Candidate) -> [String] {
        let dash = "-"
        var cells: [String] = [c.hostID]
        cells.append(c.cpuPercent.map { Fixed.format($0, decimals: 1) + mark(c.cpuSource) } ?? dash)
        cells.append(c.memoryPercent.map { Fixed.format($0, decimals: 1) + mark(c.memorySource) } ?? dash)
        cells.append(c.metricAge?.description ?? dash)
        if let left = c.freeAfter {
            cells.append("\(left.vCPU)/\(c.capacity.vCPU)")
            cells.append("\(left.memory)/\(c.capacity.memory)")
        } else {
            cells += [dash, dash]
        }
        if let bid = c.bid {
            cells += bid.weighted.map { Fixed.format($0) }
            cells += [Fixed.format(bid.penalty), Fixed.format(bid.total)]
        } else {
            cells += Array(repeating: "-", count: 6)
        }
        cells.append(c.outcome.description)
        return cells
    }

    /// Pads every column but the last to its widest cell; numbers right-aligned, text left-aligned.
    private static func align(_ rows: [[String]]) -> [String] {
        guard let columns = rows.first?.count else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) } }
        return rows.map { row in
            row.enumerated().map { k, cell in
                if k == columns - 1 { return cell }
                let pad = String(repeating: " ", count: widths[k] - cell.count)
                let leftAligned = k == 0 || k == 4 || k == 5
                return leftAligned ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
    }
}
