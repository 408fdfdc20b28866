import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// The AWS `CloudDriver`: EC2 dedicated hosts, VPCs, security groups, KMS, EBS, ELBv2, CloudWatch.
///
/// One value serves every region: the region comes from each request. Creates are idempotent per
/// request token: the token is sent as `ClientToken` where AWS takes one (hashed when longer than
/// 64 characters) and is also written as the `catalyze:op` tag, which the driver looks up before
/// creating (unless the request is the token's first use: then nothing can carry it yet) and
/// again after an ambiguous failure — moto ignores `ClientToken`.
///
/// Each resource kind is one `AWSResourceHandler` in `Handlers/` (its create, update, delete,
/// read-back and tags), registered once in `AWSDriver.handlers`; `apply`, `refresh` and `tag` go
/// through that table.
public struct AWSDriver: CloudDriver {
    /// Always `.aws`.
    public var provider: Provider { .aws }
    /// The signed, rate-limited, retrying API client.
    public let client: AWSClient
    /// Facts that never change for the life of this driver (one run): a dedicated host's family and
    /// zone, a region's default image and availability zones. Read once per region, shared by every
    /// apply this driver serves.
    let facts = RegionFacts()

    /// Creates a driver.
    public init(
        configuration: AWSConfiguration, transport: HTTPTransport, jitter: JitterSource = .system,
        clock: WallClock = SystemClock()
    ) {
        client = AWSClient(configuration: configuration, transport: transport, jitter: jitter, clock: clock)
    }

    /// A driver configured from environment variables (see `AWSConfiguration.fromEnvironment`).
    /// Errors name missing variables, never a secret value.
    public static func fromEnvironment(
        _ env: [String: String], transport: HTTPTransport, jitter: JitterSource = .system
    ) throws -> AWSDriver {
        AWSDriver(configuration: try AWSConfiguration.fromEnvironment(env), transport: transport, jitter: jitter)
    }

    /// Carries out one create, update or delete.
    public func apply(_ request: ApplyRequest) async throws -> ApplyResponse {
        let region = request.spec.cloudRegion
        guard !region.isEmpty else { throw DriverError.unknownRegion(region) }
        let handler = try Self.handler(for: request.spec.kind, address: request.spec.address)
        return ApplyResponse(resource: try await handler.apply(request, driver: self))
    }

    // MARK: shared helpers

    /// The `ClientToken` for a request token: itself when ≤ 64 ASCII characters, else its SHA-256 hex.
    public static func clientToken(_ token: String) -> String {
        if token.count <= 64, token.allSatisfy({ $0.isASCII }) { return token }
        return String(SigV4Signer.hexSHA256(Data(token.utf8)).prefix(64))
    }

    /// The catalyze tags of a create, as key/value pairs (sorted by key).
    static func tags(_ request: ApplyRequest, extra: [String: String] = [:]) -> [(String, String)] {
        var tags = [
            CatalyzeTag.pod: request.pod, CatalyzeTag.address: request.spec.address.description,
            CatalyzeTag.operation: request.token, "Name": "\(request.pod)-\(request.spec.address.name)",
        ]
        // The lineage goes in the create call itself: no extra call, and never an untagged moment.
        if let lineage = request.lineage { tags[CatalyzeTag.lineage] = lineage }
        tags.merge(extra) { _, new in new }
        return tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// EC2 `TagSpecification.N` parameters for `resourceType`.
    static func tagSpecification(
        _ request: ApplyRequest, resourceType: String, index: Int = 1, extra: [String: String] = [:]
    ) -> [String: String] {
        var parameters = ["TagSpecification.\(index).ResourceType": resourceType]
        for (n, (key, value)) in tags(request, extra: extra).enumerated() {
            parameters["TagSpecification.\(index).Tag.\(n + 1).Key"] = key
            parameters["TagSpecification.\(index).Tag.\(n + 1).Value"] = value
        }
        return parameters
    }

    /// EC2 `Filter.N` parameters.
    static func filters(_ filters: [(String, [String])]) -> [String: String] {
        var parameters: [String: String] = [:]
        for (n, (name, values)) in filters.enumerated() {
            parameters["Filter.\(n + 1).Name"] = name
            for (m, value) in values.enumerated() { parameters["Filter.\(n + 1).Value.\(m + 1)"] = value }
        }
        return parameters
    }

    /// Looks up first (unless `firstUse`: the token was never sent, so nothing can carry it yet);
    /// creates; after an ambiguous failure looks up again before re-creating.
    func createOnce(
        firstUse: Bool = false, lookup: () async throws -> CloudResource?, create: () async throws -> CloudResource
    ) async throws -> CloudResource {
        if !firstUse, let existing = try await lookup() { return existing }
        var attempt = 0
        while true {
            do {
                return try await create()
            } catch let error as DriverError {
                guard case .ambiguous = error else { throw error }
                attempt += 1
                // The create may have happened: look for it (allowing for eventual consistency).
                for poll in 0..<2 {
                    if let existing = try await lookup() { return existing }
                    if poll == 0 { try await client.pause(attempt: attempt, throttled: false) }
                }
                if attempt >= client.configuration.retry.maxAttempts { throw error }
            }
        }
    }

    /// Runs `body` again while it fails with a NotFound code (eventual consistency after a create).
    func consistent<T>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch let error as DriverError where error.isNotFound {
                attempt += 1
                if attempt >= client.configuration.consistencyAttempts { throw error }
                try await client.pause(attempt: attempt, throttled: false)
            }
        }
    }

    /// Runs a delete, treating "not found" as success.
    func deleteIgnoringMissing(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as DriverError where error.isNotFound {}
    }

    /// Retries `body` while AWS says the resource is not in the right state yet (e.g. pending).
    func retryingIncorrectState<T>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await consistent(body)
            } catch let error as DriverError where error.awsCode == "IncorrectState" || error.awsCode == "IncorrectInstanceState" {
                attempt += 1
                if attempt >= client.configuration.consistencyAttempts { throw error }
                try await client.pause(attempt: attempt, throttled: false)
            }
        }
    }

    /// The id (`idKey`) of the first resource listed by `action` under `setKey` carrying this
    /// request's `catalyze:op` tag and address.
    func findByOperation(
        _ action: String, _ setKey: String, _ idKey: String, _ request: ApplyRequest,
        extraFilters: [(String, [String])] = []
    ) async throws -> String? {
        let filters = [
            ("tag:\(CatalyzeTag.operation)", [request.token]),
            ("tag:\(CatalyzeTag.address)", [request.spec.address.description]),
        ] + extraFilters
        let pages = try await client.queryAll(.ec2, action, region: request.spec.cloudRegion, Self.filters(filters))
        return pages.flatMap { $0.list(setKey) }
            .filter { !["terminated", "shutting-down", "deleted", "deleting"].contains(Self.state(of: $0)) }
            .compactMap { $0.string(idKey) }.first
    }

    /// The lifecycle state of an EC2 item (`instanceState/name`, `state`, or `status`).
    static func state(of item: XMLNode) -> String {
        item.string("instanceState", "name") ?? item.string("state") ?? item.string("status") ?? ""
    }
}
