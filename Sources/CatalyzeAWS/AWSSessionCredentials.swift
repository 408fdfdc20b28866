import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// The credentials requests are signed with now: the source's keys, or STS's temporary ones,
/// fetched before the first call and again five minutes before they expire. One fetch at a time:
/// the calls that arrive meanwhile wait for it (a pod's first calls all start at once).
actor AWSSessionCredentials {
    private let source: AWSCredentialSource
    private let sts: STSClient
    private let clock: WallClock
    private var current: (credentials: AWSCredentials, expires: Date)?
    private var fetching: Task<(credentials: AWSCredentials, expires: Date), Error>?

    init(source: AWSCredentialSource, sts: STSClient, clock: WallClock) {
        self.source = source
        self.sts = sts
        self.clock = clock
    }

    /// The credentials to sign the next request with.
    func credentials() async throws -> AWSCredentials {
        if case .keys(let keys) = source { return keys }
        if let current, current.expires.timeIntervalSince(clock.now()) > 300 { return current.credentials }
        if let fetching { return try await fetching.value.credentials }
        let task = Task { [source, sts] in try await sts.credentials(for: source) }
        fetching = task
        defer { fetching = nil }
        let fresh = try await task.value
        current = fresh
        return fresh.credentials
    }
}
