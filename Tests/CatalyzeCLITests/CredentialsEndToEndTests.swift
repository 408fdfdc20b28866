import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// Role credentials through moto's STS, from the binary: a profile with `role_arn` +
/// `source_profile` (AssumeRole, signed with the source keys) and a CI pipeline's web identity
/// (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, AssumeRoleWithWebIdentity, unsigned). The fault
/// proxy in front of moto records which access key signed each call (the key id only, which AWS
/// sends in clear), so the test sees the role's temporary key sign the fleet calls; the session
/// credentials appear in no output. moto assumes any ARN; our extension (Tests/Peers/run_moto.py)
/// refuses a role that is not in IAM, as AWS does, so each test makes its role first.
@Suite struct CredentialsEndToEndTests {
    static let role = "arn:aws:iam::123456789012:role/catalyze-ci"

    struct Setup {
        let moto: PrivateMoto
        let proxy: FaultProxy
        let folder: TemporaryDirectory
        var environment: [String: String]

        /// Makes the role in moto's IAM (what an administrator does once per account).
        func createRole() async throws {
            let admin = AWSConfiguration(
                credentials: AWSCredentials(accessKeyID: "AKIDADMIN", secretAccessKey: Secret("admin-secret")), endpoint: moto.url)
            let client = AWSDriver(configuration: admin, transport: CurlTransport(), jitter: JitterSource { 0.5 }).client
            let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"token.actions.githubusercontent.com"},"Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity"]}]}"#
            _ = try await client.query(.iam, "CreateRole", region: "us-east-1", ["RoleName": "catalyze-ci", "AssumeRolePolicyDocument": trust])
        }

        func stop() {
            proxy.stop()
            moto.stop()
            folder.remove()
        }
    }

    static func setup() async throws -> Setup {
        let moto = try await PrivateMoto.start()
        let seed = try await runCommand(PrivateMoto.python, [
            repositoryRoot.appendingPathComponent("scripts/seed-aws-fleet.py").path, moto.url.absoluteString,
            "us-east-1", "us-west-2", "--hosts", "2",
        ])
        if seed.status != 0 { moto.stop() }
        try #require(seed.status == 0, "seeding failed: \(seed.stderr)")
        let proxy = try await FaultProxy.start(upstream: moto.url)
        let folder = try TemporaryDirectory(prefix: "catalyze-credentials")
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("examples/hipaa-aws.yaml").path, toPath: folder.path("pod.yaml"))
        // Nothing of the test runner's own AWS settings may leak in.
        let environment = [
            "AWS_ENDPOINT_URL": proxy.url.absoluteString, "HOME": folder.url.path, "NO_COLOR": "1",
            "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
            "AWS_ROLE_ARN": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_SESSION_NAME": "",
            "AWS_CONFIG_FILE": folder.path("aws-config"), "AWS_SHARED_CREDENTIALS_FILE": folder.path("aws-credentials"),
        ]
        return Setup(moto: moto, proxy: proxy, folder: folder, environment: environment)
    }

    /// The fleet calls were signed by one key that is neither the source key nor absent: the role's.
    static func expectSignedByTheRole(_ stats: FaultProxy.Stats, notBy sourceKey: String?) {
        let signers = stats.signers["DescribeHosts"] ?? [:]
        #expect(signers.count == 1, "one key signed DescribeHosts: \(signers)")
        let key = signers.keys.first ?? ""
        #expect(key != "unsigned" && key != sourceKey && key.hasPrefix("ASIA"), "signed with the role's temporary key: \(key)")
        #expect(stats.signers["GetMetricData"].map { Set($0.keys) == [key] } ?? true)
    }

    @Test func aProfileRoleIsAssumedWithItsSourceProfile() async throws {
        var setup = try await Self.setup()
        defer { setup.stop() }
        try """
            [profile deploy]
            role_arn = \(Self.role)
            source_profile = base
            """.write(toFile: setup.folder.path("aws-config"), atomically: true, encoding: .utf8)
        try """
            [base]
            aws_access_key_id = AKIDSOURCEBASE
            aws_secret_access_key = source-secret-value
            """.write(toFile: setup.folder.path("aws-credentials"), atomically: true, encoding: .utf8)
        setup.environment["AWS_PROFILE"] = "deploy"
        // No such role yet: STS refuses it, and catalyze says so (and stops before any other call).
        let refused = try await runCommand(catalyzeBinary, ["hosts"], in: setup.folder.url, environment: setup.environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("STS AssumeRole for \(Self.role) refused: AccessDenied"), "\(refused.stderr)")
        #expect(try await setup.proxy.stats().requests("DescribeHosts") == 0)
        try await setup.proxy.reset()
        try await setup.createRole()
        let hosts = try await runCommand(catalyzeBinary, ["hosts", "--json"], in: setup.folder.url, environment: setup.environment)
        try #require(hosts.status == 0, "\(hosts.stderr)")
        try JSONSchemaTests.expectConforms(hosts.stdout, to: "hosts", "hosts --json")
        let stats = try await setup.proxy.stats()
        #expect(stats.signers["AssumeRole"] == ["AKIDSOURCEBASE": 1], "one AssumeRole, signed with the source keys: \(stats.signers)")
        Self.expectSignedByTheRole(stats, notBy: "AKIDSOURCEBASE")
        for text in [hosts.stdout, hosts.stderr] {
            #expect(!text.contains("source-secret-value") && !text.contains("FQoGZXIvYXdzE"), "no secret, no session token")
        }
    }

    @Test func aCIWebIdentityIsExchangedForTheRole() async throws {
        var setup = try await Self.setup()
        defer { setup.stop() }
        let token = "eyJhbGciOiJSUzI1NiJ9.ci-pipeline-oidc-token.signature"
        try token.write(toFile: setup.folder.path("oidc-token"), atomically: true, encoding: .utf8)
        setup.environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = setup.folder.path("oidc-token")
        setup.environment["AWS_ROLE_ARN"] = Self.role
        try await setup.createRole()
        let hosts = try await runCommand(catalyzeBinary, ["hosts"], in: setup.folder.url, environment: setup.environment)
        try #require(hosts.status == 0, "\(hosts.stderr)")
        let stats = try await setup.proxy.stats()
        #expect(stats.signers["AssumeRoleWithWebIdentity"] == ["unsigned": 1], "the token is the proof: \(stats.signers)")
        Self.expectSignedByTheRole(stats, notBy: nil)
        for text in [hosts.stdout, hosts.stderr] {
            #expect(!text.contains(token) && !text.contains("FQoGZXIvYXdzE"), "neither the token nor the session credentials")
        }

        // A token file that is not there: a plain error naming the variable's file, no call made.
        setup.environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = setup.folder.path("missing-token")
        let missing = try await runCommand(catalyzeBinary, ["hosts"], in: setup.folder.url, environment: setup.environment)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read a web identity token from \(setup.folder.path("missing-token"))"), "\(missing.stderr)")
    }
}
