import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// The dependency graph of a set of resources, as Graphviz DOT (deterministic: sorted).
public enum DependencyGraph {
    /// `digraph` with one cluster per region and an edge from each resource to what it depends on.
    public static func dot(_ unsorted: [ResourceSpec]) -> String {
        let specs = unsorted.sorted { $0.address < $1.address }
        var lines = ["digraph catalyze {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];"]
        let regions = Set(specs.map(\.address.region)).sorted()
        for (index, region) in regions.enumerated() {
            lines.append("  subgraph cluster_\(index) {")
            lines.append("    label=\"\(region)\";")
            for spec in specs where spec.address.region == region {
                lines.append("    \"\(spec.address)\" [label=\"\(spec.kind.rawValue)\\n\(spec.address.name)\"];")
            }
            lines.append("  }")
        }
        for spec in specs {
            for dependency in spec.dependencies { lines.append("  \"\(spec.address)\" -> \"\(dependency)\";") }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
