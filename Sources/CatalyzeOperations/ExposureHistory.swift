import CatalyzeAccess
import Foundation

/// The exposure history of a pod, the billing record of its paid customer access: every
/// `expose` and `conceal` of its audit log, in order, with who, when, which endpoint and which
/// networks, whether every rule change went through, and whether the entry is signed. Read from
/// the hash-chained audit log itself (`catalyze access audit --verify` proves it untouched), so
/// the record billed from is the one auditors check.
public struct ExposureHistory: Sendable, Hashable {
    /// One switch.
    public struct Event: Sendable, Hashable, Codable {
        /// The audit entry's sequence number.
        public var sequence: Int
        /// When, ISO 8601 UTC to the second.
        public var time: String
        /// `expose` or `conceal`.
        public var action: String
        /// `logging` or `monitoring`.
        public var service: String
        /// The networks it was opened to (empty for a conceal).
        public var cidrs: [String]
        /// Who: the OS account, or `catalyze serve token NAME` for the HTTP API.
        public var actor: String
        /// The firewall-rule changes made (empty when it already was so).
        public var ruleChanges: [String]
        /// Every rule change succeeded.
        public var complete: Bool
        /// The audit entry is signed (by the operator key).
        public var signed: Bool

        enum CodingKeys: String, CodingKey {
            case sequence, time, action, service, cidrs, actor, complete, signed
            case ruleChanges = "rule_changes"
        }
    }

    /// Every switch, in the log's order.
    public var events: [Event]

    /// The switches among `entries` (other kinds are left out).
    public init(entries: [AuditEntry]) {
        events = entries.compactMap { entry in
            guard entry.kind == .expose || entry.kind == .conceal else { return nil }
            let cidrs = (entry.details["cidrs"] ?? "").split(separator: ",").map(String.init)
            let rules = (entry.details["rules"] ?? "").components(separatedBy: "; ").filter { !$0.isEmpty }
            return Event(
                sequence: entry.sequence, time: entry.time, action: entry.kind.rawValue, service: entry.details["service"] ?? "",
                cidrs: cidrs, actor: entry.actor, ruleChanges: rules, complete: entry.details["complete"] != "false",
                signed: entry.signature != nil)
        }
    }
}
