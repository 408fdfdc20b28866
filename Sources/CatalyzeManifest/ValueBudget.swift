import Yams

/// A fixed bound on how many YAML values (scalars, mappings, lists, keys included) a manifest may
/// expand to, aliases counted at every use. The walk that counts stops at the bound, so an alias
/// "billion laughs" (a few hundred bytes that expand to 10⁹ values) is refused after `limit` steps.
enum ValueBudget {
    /// 100 000 values: a real pod manifest has a few hundred; a 1 MiB file of plain values has
    /// at most a few hundred thousand and takes seconds to read, so the bound costs no real user.
    static let limit = 100_000

    /// True when `root` expands to at most `limit` values.
    static func fits(_ root: Node, limit: Int = limit) -> Bool {
        var remaining = limit
        // An explicit stack, not recursion: deep nesting cannot overflow the call stack.
        var pending: [Node] = [root]
        while let node = pending.popLast() {
            remaining -= 1
            if remaining < 0 { return false }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            case .sequence(let sequence):
                pending.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
        return true
    }
}
