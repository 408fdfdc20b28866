import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// Everything the AWS driver needs besides its transport: credentials, endpoint, limits.
public struct AWSConfiguration: Sendable {
    /// Where the credentials every request is signed with come from (keys, or a role to assume).
    public var credentialSource: AWSCredentialSource
    /// One endpoint for every service (`AWS_ENDPOINT_URL`: an emulator or a proxy); nil = real AWS.
    public var endpoint: URL?
    /// Extra headers sent (unsigned) with every request, e.g. moto's `x-moto-account-id`.
    public var extraHeaders: [String: String]
    /// Retry behaviour (AWS standard mode by default).
    public var retry: RetryPolicy
    /// The image used when an instance spec names none, per region; otherwise the newest Amazon
    /// Linux image the region lists is looked up.
    public var defaultImages: [String: String]
    /// The cloud's request rate per (region, action) in requests per second, and its burst. The
    /// client's own bucket refills at that rate but holds only `burstShare` of the burst: a request
    /// reaches the cloud a little earlier or later than it left, and the reserve absorbs that, so
    /// the client never overdraws the cloud's bucket (a throttled reply costs a backoff).
    public var rateLimit: (rate: Double, burst: Double)
    /// The share of the cloud's burst the client spends (the rest is the jitter reserve).
    public static let burstShare = 0.9
    /// How long to keep polling after a create for eventual consistency (NotFound right after create).
    public var consistencyAttempts: Int

    /// Creates a configuration.
    public init(
        credentials: AWSCredentials, endpoint: URL? = nil, extraHeaders: [String: String] = [:],
        retry: RetryPolicy = .standard, defaultImages: [String: String] = [:],
        rateLimit: (rate: Double, burst: Double) = (20, 100), consistencyAttempts: Int = 6
    ) {
        self.credentialSource = .keys(credentials)
        self.endpoint = endpoint
        self.extraHeaders = extraHeaders
        self.retry = retry
        self.defaultImages = defaultImages
        self.rateLimit = rateLimit
        self.consistencyAttempts = consistencyAttempts
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_PROFILE`
    /// (+ `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, `HOME`), `AWS_WEB_IDENTITY_TOKEN_FILE`,
    /// `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME` (see `AWSCredentialSource.resolve`),
    /// `AWS_ENDPOINT_URL` and `CATALYZE_AWS_IMAGE` (default image for every region) from `env`.
    /// Pure apart from reading the credentials and config files; a role is assumed at the first call.
    public static func fromEnvironment(
        _ env: [String: String], readFile: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }
    ) throws -> AWSConfiguration {
        let source = try AWSCredentialSource.resolve(env, readFile: readFile)
        var endpoint: URL?
        if let text = env["AWS_ENDPOINT_URL"], !text.isEmpty {
            guard let url = URL(string: text) else { throw DriverError.authentication("AWS_ENDPOINT_URL is not an http(s) URL: \(text)") }
            try EndpointSecurity.check(url, source: "AWS_ENDPOINT_URL", allowInsecure: EndpointSecurity.allowsInsecure(env))
            endpoint = url
        }
        var configuration = AWSConfiguration(
            credentials: AWSCredentials(accessKeyID: "", secretAccessKey: Secret("")), endpoint: endpoint)
        configuration.credentialSource = source
        if let image = env["CATALYZE_AWS_IMAGE"], !image.isEmpty {
            for region in AWSRegions.known { configuration.defaultImages[region] = image }
        }
        return configuration
    }

    /// The URL of `service` in `region`.
    func url(service: AWSService, region: String) -> URL {
        if let endpoint { return endpoint }
        return URL(string: "https://\(service.hostPrefix).\(region).amazonaws.com/")!
    }
}

/// The AWS regions catalyze knows by name (used to validate requests).
public enum AWSRegions {
    /// Commercial regions.
    public static let known: [String] = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-central-1", "eu-north-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2",
        "ap-south-1", "sa-east-1",
    ]
}

/// The AWS services the driver calls, with their protocol details.
public enum AWSService: String, Sendable, CaseIterable {
    /// EC2 (Query protocol, 2016-11-15).
    case ec2
    /// Elastic Load Balancing v2 (Query, 2015-12-01).
    case elbv2
    /// CloudWatch (Query, 2010-08-01).
    case cloudwatch
    /// KMS (JSON 1.1, `TrentService`).
    case kms
    /// Certificate Manager (JSON 1.1, `CertificateManager`).
    case acm
    /// IAM (Query, 2010-05-08; global, signed for us-east-1).
    case iam
    /// AWS Backup (REST-JSON, see `AWSClient.rest`).
    case backup
    /// Resource Groups Tagging API (JSON 1.1, `ResourceGroupsTaggingAPI_20170126`): finds the parts
    /// of a balancer that is gone by their tags (see `AWSDriver.taggedBalancerParts`).
    case tagging
    /// CloudWatch Logs (JSON 1.1, `Logs_20140328`): the groups VPC flow logs are delivered to.
    case logs
    /// STS (Query, 2011-06-15; regional endpoint): GetCallerIdentity, the principal a key policy
    /// names as catalyze's (`KeyPolicy`). Role credentials are fetched by `STSClient`.
    case sts

    /// The SigV4 signing name.
    var signingName: String {
        switch self {
        case .ec2: "ec2"
        case .elbv2: "elasticloadbalancing"
        case .cloudwatch: "monitoring"
        case .kms: "kms"
        case .acm: "acm"
        case .iam: "iam"
        case .backup: "backup"
        case .tagging: "tagging"
        case .logs: "logs"
        case .sts: "sts"
        }
    }

    var hostPrefix: String { signingName }

    /// The Query API version.
    var version: String {
        switch self {
        case .ec2: "2016-11-15"
        case .elbv2: "2015-12-01"
        case .cloudwatch: "2010-08-01"
        case .iam: "2010-05-08"
        case .sts: "2011-06-15"
        case .kms, .acm, .backup, .tagging, .logs: ""
        }
    }

    /// The JSON 1.1 target prefix.
    var targetPrefix: String {
        switch self {
        case .kms: "TrentService"
        case .tagging: "ResourceGroupsTaggingAPI_20170126"
        case .logs: "Logs_20140328"
        default: "CertificateManager"
        }
    }
}
