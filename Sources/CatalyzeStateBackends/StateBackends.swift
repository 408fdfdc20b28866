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
            let (urls, transport) = try etcdConnection(url, endpoints: endpoints, tls: tls, context)
            return EtcdStateStore(
                endpoints: urls, prefix: prefix, pod: context.pod, transport: transport, lease: context.lease, displayURL: url.description)
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
            let (urls, transport) = try etcdConnection(url, endpoints: endpoints, tls: tls, context)
            let client = EtcdClient(endpoints: urls, transport: transport, location: url.description)
            return EtcdReservationLedgerStore(client: client, prefix: prefix, displayURL: url.description, scope: scope)
        }
    }

    /// The variables that name an `etcds://` backend's TLS files, as etcdctl's `ETCDCTL_CACERT`,
    /// `ETCDCTL_CERT` and `ETCDCTL_KEY` do: the certificate authority that signed the members'
    /// certificates, and the client certificate and key etcd's `--client-cert-auth` asks for.
    public static let etcdTLSVariables = (ca: "CATALYZE_ETCD_CACERT", certificate: "CATALYZE_ETCD_CERT", key: "CATALYZE_ETCD_KEY")

    /// The members' URLs and the transport for an etcd backend: plain HTTP for `etcd://`; for
    /// `etcds://`, HTTPS with the members' certificates checked against the named authority and
    /// the client certificate presented. The three files must exist, and the key must not be
    /// readable by group or others (a key others can read is refused, as a loose lockfile is).
    static func etcdConnection(
        _ url: StateBackendURL, endpoints: [StateBackendURL.Endpoint], tls: Bool, _ context: Context
    ) throws -> ([URL], CurlTransport) {
        guard tls else {
            return (endpoints.map { URL(string: "http://\($0.host):\($0.port)")! }, CurlTransport(timeouts: context.timeouts))
        }
        let names = etcdTLSVariables
        let given = [names.ca, names.certificate, names.key].map { (name: $0, path: context.environment[$0] ?? "") }
        let missing = given.filter(\.path.isEmpty).map(\.name)
        guard missing.isEmpty else {
            throw StateBackendError.unsupported(
                url: url.description,
                detail: "etcds:// needs the certificate authority, client certificate and key as PEM files: set \(missing.joined(separator: ", "))")
        }
        for (name, path) in given {
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                throw StateBackendError.unsupported(url: url.description, detail: "\(name)=\(path): no such file")
            }
            if name == names.key, info.st_mode & 0o077 != 0 {
                throw StateBackendError.unsupported(
                    url: url.description,
                    detail: "\(name)=\(path): the private key is readable by group or others (mode \(String(format: "%04o", info.st_mode & 0o777))); chmod 600 it")
            }
        }
        let files = CurlTransport.TLSFiles(certificateAuthorities: given[0].path, certificate: given[1].path, key: given[2].path)
        return (endpoints.map { URL(string: "https://\($0.host):\($0.port)")! }, CurlTransport(timeouts: context.timeouts, tls: files))
    }
}
