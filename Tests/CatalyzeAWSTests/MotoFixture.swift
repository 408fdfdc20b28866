import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// One test's view of the shared moto server: a fresh account (`x-moto-account-id`), a driver
/// pointed at moto (or at a proxy in front of it) and a transport that counts calls per action.
struct MotoFixture {
    /// moto's base URL, from `CATALYZE_MOTO_URL`.
    let moto: URL
    /// This test's 12-digit account.
    let account: String
    /// Counts calls per AWS action.
    let counter: CountingTransport
    /// The driver under test.
    let driver: AWSDriver

    /// The moto URL, from `CATALYZE_MOTO_URL` or `.emulators.env` (a clear failure when neither names it).
    static func motoURL() throws -> URL { try Emulators.motoURL() }

    /// The action a request calls (Query `Action=` or JSON `X-Amz-Target`).
    static func action(_ request: HTTPRequest) -> String {
        if let target = request.headers["x-amz-target"] { return String(target.split(separator: ".").last ?? "") }
        let body = String(decoding: request.body, as: UTF8.self)
        for pair in body.split(separator: "&") where pair.hasPrefix("Action=") { return String(pair.dropFirst(7)) }
        return "\(request.method) \(request.url.path)"
    }

    init(endpoint: URL? = nil, account: String? = nil, timeout: TimeInterval = 30, configure: (inout AWSConfiguration) -> Void = { _ in }) throws {
        moto = try Self.motoURL()
        self.account = account ?? String(UInt64.random(in: 200_000_000_000...999_999_999_999))
        counter = CountingTransport(CurlTransport(timeouts: NetworkTimeouts(connect: 10, request: timeout)), key: Self.action)
        var configuration = AWSConfiguration(
            credentials: AWSCredentials(accessKeyID: "AKIDCATALYZETEST", secretAccessKey: Secret("moto-test-secret")),
            endpoint: endpoint ?? moto, extraHeaders: ["x-moto-account-id": self.account])
        configure(&configuration)
        driver = AWSDriver(configuration: configuration, transport: counter, jitter: JitterSource { 0.5 })
    }

    /// Allocates `count` dedicated hosts of `family` in `zone`, tagged `catalyze:fleet`.
    @discardableResult
    /// `instanceType`: a host for that one type (AllocateHosts `InstanceType`) instead of `family`.
    func allocateHosts(
        region: String, zone: String, family: String = "m5", instanceType: String? = nil, count: Int = 2, fleet: Bool = true
    ) async throws -> [String] {
        var parameters = ["AvailabilityZone": zone, "Quantity": String(count)]
        if let instanceType { parameters["InstanceType"] = instanceType } else { parameters["InstanceFamily"] = family }
        if fleet {
            parameters["TagSpecification.1.ResourceType"] = "dedicated-host"
            parameters["TagSpecification.1.Tag.1.Key"] = CatalyzeTag.fleet
            parameters["TagSpecification.1.Tag.1.Value"] = "test"
        }
        let reply = try await driver.client.query(.ec2, "AllocateHosts", region: region, parameters)
        return reply.list("hostIdSet").map(\.text)
    }

    /// Seeds one CPU and one memory sample for `host` at `time` with PutMetricData.
    func putHostMetrics(region: String, host: String, cpu: Double, memory: Double, at time: Date) async throws {
        let stamp = ISO8601DateFormatter().string(from: time)
        var parameters = ["Namespace": "Catalyze/Hosts"]
        for (n, (name, value)) in [("CPUUtilization", cpu), ("MemoryUtilization", memory)].enumerated() {
            let p = "MetricData.member.\(n + 1)"
            parameters["\(p).MetricName"] = name
            parameters["\(p).Value"] = String(value)
            parameters["\(p).Unit"] = "Percent"
            parameters["\(p).Timestamp"] = stamp
            parameters["\(p).Dimensions.member.1.Name"] = "HostId"
            parameters["\(p).Dimensions.member.1.Value"] = host
        }
        _ = try await driver.client.query(.cloudwatch, "PutMetricData", region: region, parameters)
    }

    /// Publishes an instance's `AWS/EC2 CPUUtilization` as EC2 does for every instance (moto runs
    /// no instances, so the test publishes it: real AWS refuses PutMetricData into an `AWS/`
    /// namespace, and catalyze never calls it).
    func putInstanceCPU(region: String, instance: String, cpu: Double, at time: Date) async throws {
        _ = try await driver.client.query(.cloudwatch, "PutMetricData", region: region, [
            "Namespace": "AWS/EC2", "MetricData.member.1.MetricName": "CPUUtilization",
            "MetricData.member.1.Value": String(cpu), "MetricData.member.1.Unit": "Percent",
            "MetricData.member.1.Timestamp": ISO8601DateFormatter().string(from: time),
            "MetricData.member.1.Dimensions.member.1.Name": "InstanceId",
            "MetricData.member.1.Dimensions.member.1.Value": instance,
        ])
    }

    /// A spec in manifest region `primary` of `region`.
    func spec(_ kind: ResourceKind, _ name: String, region: String = "us-east-1", manifestRegion: String = "primary", _ attributes: [String: String]) -> ResourceSpec {
        ResourceSpec(
            address: ResourceAddress(region: manifestRegion, kind: kind, name: name), kind: kind, provider: .aws,
            cloudRegion: region, attributes: attributes)
    }

    /// Applies one operation for `pod`.
    /// `firstUse`: the token was never sent before (as the executor says of a token its plan minted).
    func apply(
        _ operation: CatalyzeModel.Operation, _ spec: ResourceSpec, pod: String, token: String, prior: CloudResource? = nil,
        dependencies: [ResourceAddress: CloudResource] = [:], secrets: SecretResolver = .none, firstUse: Bool = false
    ) async throws -> CloudResource? {
        try await driver.apply(ApplyRequest(
            operation: operation, pod: pod, spec: spec, prior: prior, token: token, dependencies: dependencies, secrets: secrets,
            firstUse: firstUse)
        ).resource
    }

    /// A private moto that checks signatures (after the 3 unauthenticated calls that make an IAM
    /// user allowed everything) and the environment of that user: its keys and the endpoint.
    static func withSignatureChecking() async throws -> (server: PrivateMoto, environment: [String: String]) {
        let server = try await PrivateMoto.start(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"])
        do {
            let bootstrap = try MotoFixture(endpoint: server.url, account: "123456789012")
            _ = try await bootstrap.driver.client.query(.iam, "CreateUser", region: "us-east-1", ["UserName": "catalyze"])
            let key = try await bootstrap.driver.client.query(.iam, "CreateAccessKey", region: "us-east-1", ["UserName": "catalyze"])
            let id = try #require(key.descendants("AccessKeyId").first?.text)
            let secret = try #require(key.descendants("SecretAccessKey").first?.text)
            let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
            _ = try await bootstrap.driver.client.query(
                .iam, "PutUserPolicy", region: "us-east-1", ["UserName": "catalyze", "PolicyName": "all", "PolicyDocument": policy])
            return (server, ["AWS_ACCESS_KEY_ID": id, "AWS_SECRET_ACCESS_KEY": secret, "AWS_ENDPOINT_URL": server.url.absoluteString])
        } catch {
            server.stop()
            throw error
        }
    }
}

/// A test set-up failure with a message.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

