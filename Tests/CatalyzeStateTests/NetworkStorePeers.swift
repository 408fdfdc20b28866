import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeState
import CatalyzeStateBackends
import CatalyzeTestSupport
import Foundation

/// The network stores against their real peers: S3 on moto (each test its own account and
/// bucket), etcd from Debian (each test its own key prefix). Endpoints: `CATALYZE_MOTO_URL`,
/// `CATALYZE_ETCD_URL` (scripts/emulators.sh).
enum NetworkStorePeers {
    static let transport = CurlTransport(timeouts: NetworkTimeouts(connect: 5, request: 30))
    static let credentials = AWSCredentials(accessKeyID: "AKIDCATALYZETEST", secretAccessKey: Secret("catalyze-test-secret-never-printed"))
    /// Short leases and fast polls, so expiry tests take seconds.
    static let lease = LeasePolicy(ttl: .seconds(3), poll: .milliseconds(100))

    static func etcdURL() throws -> URL {
        if let value = ProcessInfo.processInfo.environment["CATALYZE_ETCD_URL"], let url = URL(string: value) { return url }
        // Same fallback as the other peers: the env file scripts/emulators.sh writes.
        let text = (try? String(contentsOf: Emulators.environmentFile, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.contains("CATALYZE_ETCD_URL=") {
            if let url = URL(string: String(line.split(separator: "=", maxSplits: 1)[1])) { return url }
        }
        throw EmulatorsError.notStarted(variable: "CATALYZE_ETCD_URL")
    }

    /// A unique name for one test's bucket, prefix or pod.
    static func unique(_ stem: String) -> String { "\(stem)-\(UUID().uuidString.prefix(8).lowercased())" }

    // MARK: - etcd

    /// Two handles on one fresh etcd prefix.
    static func etcdPair(pod: String = "acme", chunkSize: Int = 512 * 1024) throws -> (EtcdStateStore, EtcdStateStore) {
        let url = try etcdURL()
        let prefix = "catalyze-test/" + unique("p")
        let make = { EtcdStateStore(endpoints: [url], prefix: prefix, pod: pod, transport: transport, lease: lease, chunkSize: chunkSize) }
        return (make(), make())
    }

    /// `count` handles on one fresh etcd prefix.
    static func etcdStores(_ count: Int) throws -> [StateStore] {
        let url = try etcdURL()
        let prefix = "catalyze-test/" + unique("p")
        return (0..<count).map { _ in EtcdStateStore(endpoints: [url], prefix: prefix, pod: "acme", transport: transport, lease: lease) }
    }

    /// Raw gateway call (the tests' own view of etcd, not the store's).
    static func etcd(_ path: String, _ body: [String: Any]) throws -> [String: Any] {
        let request = HTTPRequest(
            method: "POST", url: try etcdURL().appendingPathComponent(path), headers: ["content-type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: body))
        let response = try transport.sendBlocking(request)
        return (try JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
    }

    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    // MARK: - S3 on moto

    /// A fresh moto account and bucket (versioning and KMS encryption on unless told otherwise).
    struct Bucket {
        let name: String
        let account: String
        let endpoint: URL

        func store(pod: String = "acme", prefix: String = "teams/a", policy: S3StateStore.BucketPolicy = .refuse) -> S3StateStore {
            S3StateStore(
                bucket: name, prefix: prefix, pod: pod, region: "us-east-1", endpoint: endpoint,
                credentials: .fixed(NetworkStorePeers.credentials), transport: NetworkStorePeers.transport,
                extraHeaders: [Emulators.motoAccountHeader: account], lease: NetworkStorePeers.lease, bucketPolicy: policy)
        }

        /// A signed request to moto's S3 for this bucket (`key` "" is the bucket itself).
        @discardableResult
        func send(_ method: String, key: String = "", query: String? = nil, body: String = "", headers: [String: String] = [:]) throws -> HTTPResponse {
            let url = URL(string: "\(endpoint.absoluteString)/\(name)/\(key)\(query.map { "?\($0)" } ?? "")")!
            var request = HTTPRequest(method: method, url: url, headers: headers, body: Data(body.utf8))
            request = SigV4Signer(credentials: NetworkStorePeers.credentials).sign(
                request, region: "us-east-1", service: "s3", date: Date(), signBodyHash: true)
            request.headers[Emulators.motoAccountHeader] = account
            return try NetworkStorePeers.transport.sendBlocking(request)
        }
    }

    static func bucket(versioning: Bool = true, encryption: Bool = true) throws -> Bucket {
        let bucket = Bucket(name: unique("state"), account: Emulators.uniqueAccountID(), endpoint: try Emulators.motoURL())
        let xml = ["content-type": "application/xml"]
        try bucket.send("PUT")
        if versioning {
            try bucket.send("PUT", query: "versioning", body: """
                <VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>
                """, headers: xml)
        }
        if encryption {
            try bucket.send("PUT", query: "encryption", body: """
                <ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>\
                <ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault>\
                </Rule></ServerSideEncryptionConfiguration>
                """, headers: xml)
        }
        return bucket
    }
}
