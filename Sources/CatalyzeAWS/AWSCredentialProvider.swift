import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// The driver's credential chain for other AWS clients (the S3 state store): the credentials to
/// sign the next request with, from `AWSConfiguration.credentialSource` — keys as they are, or
/// STS's temporary ones, fetched at the first call and renewed five minutes before they expire.
public struct AWSCredentialProvider: Sendable {
    private let session: AWSSessionCredentials
    /// The source, for callers that can avoid the asynchronous path (`.keys` needs no call).
    public let source: AWSCredentialSource

    /// A provider for `configuration`'s source; STS is reached at its endpoint through `transport`.
    public init(configuration: AWSConfiguration, transport: HTTPTransport, clock: WallClock = SystemClock()) {
        let sts = STSClient(
            endpoint: configuration.endpoint, extraHeaders: configuration.extraHeaders, transport: transport, clock: clock,
            readFile: { try? String(contentsOfFile: $0, encoding: .utf8) })
        source = configuration.credentialSource
        session = AWSSessionCredentials(source: configuration.credentialSource, sts: sts, clock: clock)
    }

    /// The credentials to sign the next request with.
    public func credentials() async throws -> AWSCredentials { try await session.credentials() }
}
