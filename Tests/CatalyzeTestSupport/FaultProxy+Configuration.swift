import Foundation

extension FaultProxy {
    /// A token bucket for one action: `burst` requests at once, refilled at `rate` a second.
    public struct Throttle: Codable, Hashable, Sendable {
        /// Tokens added per second (0: never refilled, so exactly `burst` requests pass).
        public var rate: Double
        /// The bucket's size, and its content at the start.
        public var burst: Double

        /// A bucket of `burst` tokens refilled at `rate` per second.
        public init(rate: Double, burst: Double) {
            self.rate = rate
            self.burst = burst
        }
    }

    /// The proxy's behaviour; a nil field is left as it is when sent with ``FaultProxy/configure(_:)``.
    public struct Configuration: Codable, Hashable, Sendable {
        /// Delay added before forwarding each request, in milliseconds.
        public var latencyMs: Double?
        /// Extra delay, uniform in `[0, latencyJitterMs)`, drawn from the seeded fate.
        public var latencyJitterMs: Double?
        /// Token buckets per action name; the key `"*"` covers every action not named.
        public var throttle: [String: Throttle]?
        /// Fraction of requests answered with a 500 or 503 (from ``errorStatuses``) unforwarded.
        public var errorRate: Double?
        /// The statuses injected errors use: 500 and/or 503.
        public var errorStatuses: [Int]?
        /// Fraction of requests whose connection is reset before they are forwarded.
        public var resetRate: Double?
        /// Fraction of requests forwarded (they take effect) whose connection is then reset.
        public var resetAfterRate: Double?
        /// When not empty, faults (errors and resets, not throttling) hit only these actions.
        public var faultActions: [String]?
        /// HTTP status of throttle replies (400, 429 or 503); nil leaves it, and by default each
        /// protocol answers as AWS does (EC2 503, other Query services and JSON 400).
        public var throttleStatus: Int?
        /// Seeds the fates; setting it clears the per-action request counters.
        public var seed: Int?

        /// A configuration; every field left nil is left unchanged by the proxy.
        public init(
            latencyMs: Double? = nil, latencyJitterMs: Double? = nil, throttle: [String: Throttle]? = nil,
            errorRate: Double? = nil, errorStatuses: [Int]? = nil, resetRate: Double? = nil,
            resetAfterRate: Double? = nil, faultActions: [String]? = nil, throttleStatus: Int? = nil,
            seed: Int? = nil
        ) {
            self.latencyMs = latencyMs
            self.latencyJitterMs = latencyJitterMs
            self.throttle = throttle
            self.errorRate = errorRate
            self.errorStatuses = errorStatuses
            self.resetRate = resetRate
            self.resetAfterRate = resetAfterRate
            self.faultActions = faultActions
            self.throttleStatus = throttleStatus
            self.seed = seed
        }

        enum CodingKeys: String, CodingKey {
            case latencyMs = "latency_ms", latencyJitterMs = "latency_jitter_ms", throttle
            case errorRate = "error_rate", errorStatuses = "error_statuses", resetRate = "reset_rate"
            case resetAfterRate = "reset_after_rate", faultActions = "fault_actions"
            case throttleStatus = "throttle_status", seed
        }
    }

    /// What the proxy counted: requests per action, per outcome.
    public struct Stats: Decodable, Sendable {
        /// Every request that reached the proxy, control calls excluded.
        public let total: Int
        /// Per action: outcome (`forwarded`, `throttled`, `error_500`, `error_503`, `reset`,
        /// `reset_after_forward`, `upstream_failed`) → count.
        public let outcomes: [String: [String: Int]]
        /// Per action: upstream HTTP status (as text) → count, for forwarded requests.
        public let upstreamStatuses: [String: [String: Int]]
        /// Per action: the access key id that signed its requests (`unsigned` for none) → count.
        public let signers: [String: [String: Int]]

        /// How many requests of `action` ended with `outcome` (0 when none).
        public func count(_ action: String, _ outcome: String) -> Int {
            outcomes[action]?[outcome] ?? 0
        }

        /// All requests of `action`, whatever their outcome.
        public func requests(_ action: String) -> Int {
            outcomes[action]?.values.reduce(0, +) ?? 0
        }

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        /// Decodes the proxy's `GET /__proxy/stats` reply.
        public init(from decoder: any Decoder) throws {
            let root = try decoder.container(keyedBy: Key.self)
            total = try root.decode(Int.self, forKey: Key(stringValue: "total"))
            let actions = try root.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "actions"))
            var outcomes: [String: [String: Int]] = [:]
            var statuses: [String: [String: Int]] = [:]
            for action in actions.allKeys {
                let counts = try actions.nestedContainer(keyedBy: Key.self, forKey: action)
                for outcome in counts.allKeys {
                    if outcome.stringValue == "upstream_status" {
                        statuses[action.stringValue] = try counts.decode([String: Int].self, forKey: outcome)
                    } else {
                        outcomes[action.stringValue, default: [:]][outcome.stringValue] =
                            try counts.decode(Int.self, forKey: outcome)
                    }
                }
            }
            self.outcomes = outcomes
            self.upstreamStatuses = statuses
            signers = try root.decodeIfPresent([String: [String: Int]].self, forKey: Key(stringValue: "signers")) ?? [:]
        }
    }
}
