/// A request the API refuses, with its status and, for a bad body, the field at fault.
public struct APIFailure: Error, Equatable, CustomStringConvertible {
    /// The HTTP status (400, 404, 409, …).
    public var status: Int
    /// What is wrong, and where.
    public var message: String
    /// The body's field at fault (`enabled`, `cidrs[1]`, …), if any.
    public var field: String?

    /// Creates a failure.
    public init(status: Int, message: String, field: String? = nil) {
        self.status = status
        self.message = message
        self.field = field
    }

    public var description: String { message }
}
