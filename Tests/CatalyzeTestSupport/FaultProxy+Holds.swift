import Foundation

extension FaultProxy {
    /// Where a hold keeps its request: before the upstream sees it, or after (the call took
    /// effect, its reply is withheld).
    public enum HoldPoint: String, Codable, Hashable, Sendable {
        /// Never forwarded: the cloud never sees the call.
        case before
        /// Forwarded, the reply kept back: the cloud acted, the client never learns it.
        case after
    }

    /// One hold: the `nth` request (counting from 1) whose action is in `actions` is kept at
    /// `when` until ``FaultProxy/release()``, which resets its connection. A kill test SIGKILLs the
    /// client once ``HoldState/held`` is true: a kill at exactly that request boundary.
    public struct Hold: Codable, Hashable, Sendable {
        /// The actions counted (as the proxy names them: `CreateListener`, `PUT /backup/plans/`, …); an
        /// entry ending in `*` matches every action it starts (`PUT /backup-vaults/*`).
        public var actions: [String]
        /// Which of their requests is held (1 = the first).
        public var nth: Int
        /// Before or after forwarding.
        public var when: HoldPoint

        /// A hold of the `nth` request of `actions`.
        public init(actions: [String], nth: Int, when: HoldPoint = .before) {
            self.actions = actions
            self.nth = nth
            self.when = when
        }
    }

    /// A hold as the proxy reports it: how many of its actions' requests it has seen, and whether
    /// it holds one now.
    public struct HoldState: Codable, Hashable, Sendable {
        /// The actions counted.
        public let actions: [String]
        /// Which request is held.
        public let nth: Int
        /// Requests of `actions` seen so far.
        public let seen: Int
        /// True once the `nth` request is held.
        public let held: Bool
    }

    private struct Holds<Item: Codable>: Codable { var holds: [Item] }

    /// Replaces the proxy's holds (their counters start at 0); returns their state.
    @discardableResult
    public func hold(_ holds: [Hold]) async throws -> [HoldState] {
        let reply = try await control("POST", "holds", body: try JSONEncoder().encode(Holds(holds: holds)))
        return try JSONDecoder().decode(Holds<HoldState>.self, from: reply).holds
    }

    /// The holds' state now.
    public func holds() async throws -> [HoldState] {
        try JSONDecoder().decode(Holds<HoldState>.self, from: try await control("GET", "holds")).holds
    }

    /// Drops every held request (its connection is reset) and clears the holds.
    public func release() async throws {
        _ = try await control("POST", "release")
    }
}

