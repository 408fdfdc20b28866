import Foundation

/// Which ledger: one per cloud and cloud region, shared by every pod of the backend that places there.
public struct LedgerScope: Hashable, Sendable, CustomStringConvertible {
    /// `aws` or `rax`.
    public var provider: String
    /// The cloud's region, e.g. `us-east-1`.
    public var region: String

    /// Creates a scope.
    public init(provider: String, region: String) {
        self.provider = provider
        self.region = region
    }

    /// The ledger's name in a store: `aws-us-east-1`.
    public var key: String { "\(provider)-\(region)" }

    /// `aws us-east-1`.
    public var description: String { "\(provider) \(region)" }
}

/// The fleet reservations of one cloud region: versioned JSON, written only by compare-and-swap
/// (`ReservationLedgerStore`), garbage-collected on every write.
public struct ReservationLedger: Codable, Hashable, Sendable {
    /// The format this release writes.
    public static let currentFormatVersion = 1

    /// The format of the stored document.
    public var formatVersion: Int
    /// `aws` or `rax`.
    public var provider: String
    /// The cloud region.
    public var region: String
    /// Bumped by every write (what `catalyze hosts` shows; the file store's compare-and-swap tag).
    public var revision: Int
    /// Every live claim, sorted by host then pod then address.
    public var reservations: [Reservation]

    /// An empty ledger for `scope`.
    public init(scope: LedgerScope) {
        formatVersion = Self.currentFormatVersion
        provider = scope.provider
        region = scope.region
        revision = 0
        reservations = []
    }

    enum CodingKeys: String, CodingKey {
        case provider, region, revision, reservations
        case formatVersion = "format_version"
    }

    /// The claims still in force at `now`.
    public func active(now: Date) -> [Reservation] { reservations.filter { $0.expiresAt > now } }

    /// Drops what no longer needs holding: expired claims (their apply died or ended), and committed
    /// claims whose instance the live fleet already shows (`visible`: instance ids on fleet hosts),
    /// since the fleet's own figures count it from then on.
    public mutating func collectGarbage(now: Date, visible: Set<String>) {
        reservations.removeAll { claim in
            claim.expiresAt <= now || (claim.state == .committed && claim.instanceID.map(visible.contains) == true)
        }
    }

    /// Sorts the claims (stable bytes for the same claims).
    mutating func normalise() {
        reservations.sort { ($0.host, $0.pod, $0.address) < ($1.host, $1.pod, $1.address) }
    }

    /// The JSON document (sorted keys, ISO 8601 dates).
    public func encoded() -> Data {
        var copy = self
        copy.normalise()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(copy)) ?? Data()
    }

    /// Decodes a stored ledger; refuses one of a newer format or not catalyze's, naming `location`.
    public static func decode(_ data: Data, location: String) throws -> ReservationLedger {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        struct Header: Decodable {
            var format_version: Int
        }
        guard let header = try? decoder.decode(Header.self, from: data) else {
            throw StateError.corrupt(path: location, line: 1, column: 1, reason: "the reservation ledger is not catalyze's")
        }
        guard header.format_version <= currentFormatVersion else {
            throw StateError.corrupt(
                path: location, line: 1, column: 1,
                reason: "the reservation ledger has format \(header.format_version), newer than this release's \(currentFormatVersion); upgrade catalyze")
        }
        do { return try decoder.decode(ReservationLedger.self, from: data) } catch {
            throw StateError.corrupt(path: location, line: 1, column: 1, reason: "the reservation ledger cannot be read: \(error)")
        }
    }
}

/// Where a region's `ReservationLedger` is kept: beside the pods' states, in the same backend.
/// Every write is a compare-and-swap on the version tag the writer read.
public protocol ReservationLedgerStore: Sendable {
    /// How messages name the ledger (a path, `s3://…`, `etcd://…`).
    var location: String { get }
    /// The stored ledger and its version tag; an empty ledger and nil when none is stored.
    func read() throws -> (ledger: ReservationLedger, tag: String?)
    /// Stores `ledger` if the stored version is still `expected` (nil: only if none is stored);
    /// returns the new tag, or nil when another writer got there first.
    func write(_ ledger: ReservationLedger, expected: String?) throws -> String?
}
