/// What an action does.
public enum Operation: String, Hashable, Sendable, Codable {
    /// Make a new resource.
    case create
    /// Change a resource in place.
    case update
    /// Remove a resource.
    case delete
}
