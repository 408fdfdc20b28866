import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeState
import Foundation

/// Makes the `StateStore` a backend URL names: the entry point the CLI calls.
public enum StateBackends {
    /// What a store needs besides its URL.
    public struct Context: Sendable {
        /// The pod whose state it is (network stores keep each pod under `PREFIX/<pod>/`).
        public var pod: String
        /// The environment (AWS credential chain, `AWS_ENDPOINT_URL`, `AWS_REGION`); read, never stored.
        public var environment: [String: String]
        /// Per-request timeouts: an unreachable backend fails within them.
        public var timeouts: NetworkTimeouts
        /// S3: refuse a bucket without versioning and KMS encryption, or warn (a `dev` manifest).
        public var bucketPolicy: S3StateStore.BucketPolicy
        /// Lock leases.
        public var lease: LeasePolicy
        /// Headers added to every S3 request (tests: moto's `x-moto-account-id`).
        public var extraHeaders: [String: String]

        /// Creates a context.
        public init(
            pod: String, environment: [String: String], timeouts: NetworkTimeouts = .standard,
            bucketPolicy: S3StateStore.BucketPolicy = .refuse, lease: LeasePolicy = .standard,
            extraHeaders: [String: String] = [:]
        ) {
            self.pod = pod
            self.environment = environment
            self.timeouts = timeouts
            self.bucketPolicy = bucketPolicy
            self.lease = lease
            self.extraHeaders = extraHeaders
        }
    }

    /// The store for `url`. No request is made here: S3's bucket check runs at the first use.
    public static func store(_ url: StateBackendURL, _ context: Context) throws -> any StateStore {
        switch url {
        case .file(let path):
            return FileStateStore(path: path)
        case let .s3(bucket, prefix):
            let transport = CurlTransport(timeouts: context.timeouts)
            let configuration = try AWSConfiguration.fromEnvironment(context.environment)
            let env = context.environment
            let region = [env["AWS_REGION"], env["AWS_DEFAULT_REGION"]].compactMap { $0 }.first { !$0.isEmpty } ?? "us-east-1"
            return S3StateStore(
                bucket: bucket, prefix: prefix, pod: context.pod, region: region, endpoint: configuration.endpoint,
                credentials: .chain(AWSCredentialProvider(configuration: configuration, transport: transport)),
                transport: transport, extraHeaders: context.extraHeaders, lease: context.lease,
                bucketPolicy: context.bucketPolicy)
        case let .etcd(endpoints, prefix, tls):
            if tls {
                throw StateBackendError.unsupported(
                    url: url.description,
                    detail: "etcds:// (TLS with client certificates) is not supported by this release yet; use etcd:// on a trusted network")
            }
            let urls = endpoints.map { URL(string: "http://\($0.host):\($0.port)")! }
            return EtcdStateStore(
                endpoints: urls, prefix: prefix, pod: context.pod, transport: CurlTransport(timeouts: context.timeouts),
                lease: context.lease, displayURL: url.description)
        }
    }

    /// The reservation ledger of `scope` in the backend `url` names, beside the pods' states: a
    /// file beside the lockfile, an S3 object or an etcd key under the URL's prefix (`_fleet/`).
    public static func ledger(_ url: StateBackendURL, _ context: Context, scope: LedgerScope) throws -> any ReservationLedgerStore {
        switch url {
        case .file(let path):
            return FileReservationLedgerStore(lockfilePath: path, scope: scope)
        case let .s3(bucket, prefix):
            let transport = CurlTransport(timeouts: context.timeouts)
            let configuration = try AWSConfiguration.fromEnvironment(context.environment)
            let env = context.environment
            let region = [env["AWS_REGION"], env["AWS_DEFAULT_REGION"]].compactMap { $0 }.first { !$0.isEmpty } ?? "us-east-1"
            let client = S3Client(
                bucket: bucket, region: region, endpoint: configuration.endpoint, extraHeaders: context.extraHeaders,
                credentials: .chain(AWSCredentialProvider(configuration: configuration, transport: transport)),
                transport: transport, clock: SystemClock())
            return S3ReservationLedgerStore(client: client, prefix: prefix, scope: scope)
        case let .etcd(endpoints, prefix, tls):
            if tls {
                throw StateBackendError.unsupported(
                    url: url.description,
                    detail: "etcds:// (TLS with client certificates) is not supported by this release yet; use etcd:// on a trusted network")
            }
            let urls = endpoints.map { URL(string: "http://\($0.host):\($0.port)")! }
            let client = EtcdClient(endpoints: urls, transport: CurlTransport(timeouts: context.timeouts), location: url.description)
            return EtcdReservationLedgerStore(client: client, prefix: prefix, displayURL: url.description, scope: scope)
        }
    }
}
