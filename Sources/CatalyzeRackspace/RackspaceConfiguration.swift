import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// Everything the Rackspace driver needs to know besides its transport.
///
/// Built by the CLI from `OS_*` variables (see `fromEnvironment`) or by tests. The API key is a
/// `Secret`: it is sent to Identity only and never printed, logged, stored or put in an error.
public struct RackspaceConfiguration: Sendable {
    /// Identity v2 base URL, e.g. `https://identity.api.rackspacecloud.com/v2.0` (`/tokens` is appended).
    public var authURL: URL
    /// The Rackspace user name.
    public var username: String
    /// The Rackspace API key.
    public var apiKey: Secret
    /// The tenant (account) id; nil lets Identity choose the user's default tenant.
    public var tenantID: String?
    /// `OS_REGION_NAME` as given (upper-cased), or "" when unset. Not required, and not used to
    /// pick endpoints: every call names the manifest region it is for (`regions[].region`), so one
    /// run can span several Rackspace regions.
    public var region: String
    /// Image used when an instance's `image` attribute is empty: an image id or an exact image name.
    /// When nil, the first image (by name) whose name contains `Ubuntu` is used.
    public var defaultImage: String?
    /// Time between two polls of a resource that is still building.
    public var pollInterval: Duration
    /// Polls before a build counts as failed (`pollInterval × maxPolls` is the build timeout).
    public var maxPolls: Int
    /// How often a server that went to `ERROR` while building is deleted and made again.
    public var maxServerReplacements: Int
    /// The most one change to a Cloud Load Balancer waits, in total, for the balancer to be `ACTIVE`
    /// (a balancer is immutable while `PENDING_UPDATE` after each change, and answers 422 meanwhile;
    /// see `RackspaceDriver.sendChange`). Also bounds the wait for a new or changed balancer to be
    /// `ACTIVE`. `CATALYZE_RAX_LB_WAIT` (seconds) sets it; default 5 minutes.
    public var loadBalancerWait: Duration = .seconds(300)
    /// Retry schedule for transient failures (5xx, throttling, network errors).
    public var retry: RetryPolicy
    /// The source of "now" (token expiry, metric windows).
    public var clock: any WallClock
    /// Plain `http://` endpoints beyond loopback are allowed (`CATALYZE_ALLOW_INSECURE_HTTP=1`);
    /// otherwise a catalog endpoint of that kind is refused before the token is sent to it.
    public var allowInsecureHTTP = false

    /// Creates a configuration.
    public init(
        authURL: URL, username: String, apiKey: Secret, tenantID: String? = nil, region: String,
        defaultImage: String? = nil, pollInterval: Duration = .seconds(5), maxPolls: Int = 360,
        maxServerReplacements: Int = 2, retry: RetryPolicy = .standard, clock: any WallClock = SystemClock()
    ) {
        self.authURL = authURL
        self.username = username
        self.apiKey = apiKey
        self.tenantID = tenantID
        self.region = region
        self.defaultImage = defaultImage
        self.pollInterval = pollInterval
        self.maxPolls = maxPolls
        self.maxServerReplacements = maxServerReplacements
        self.retry = retry
        self.clock = clock
    }

    /// Reads `OS_AUTH_URL`, `OS_USERNAME`, `OS_API_KEY`, `OS_TENANT_ID` (optional), `OS_REGION_NAME`
    /// (optional: regions come from the manifest), `CATALYZE_RAX_IMAGE` (optional) and
    /// `CATALYZE_RAX_LB_WAIT` (optional, seconds > 0; see `loadBalancerWait`) from `env`. When `OS_CLOUD` is set (or `OS_AUTH_URL` is
    /// missing) and `cloudsYAML` holds a `clouds.yaml` text, the named cloud (default `rackspace`)
    /// fills what the variables leave out. Pure: reads only what is passed in.
    ///
    /// Throws `DriverError.authentication` naming every missing setting (never a value).
    public static func fromEnvironment(_ env: [String: String], cloudsYAML: String? = nil) throws -> RackspaceConfiguration {
        var settings: [String: String] = [:]
        if let text = cloudsYAML {
            let cloud = env["OS_CLOUD"].flatMap { $0.isEmpty ? nil : $0 } ?? "rackspace"
            settings = CloudsYAML.settings(text, cloud: cloud)
        }
        func value(_ variable: String, _ yamlKey: String) -> String? {
            if let text = env[variable], !text.isEmpty { return text }
            if let text = settings[yamlKey], !text.isEmpty { return text }
            return nil
        }
        let authText = value("OS_AUTH_URL", "auth_url")
        let username = value("OS_USERNAME", "username")
        let apiKey = value("OS_API_KEY", "api_key")
        let region = value("OS_REGION_NAME", "region_name")
        var missing: [String] = []
        if authText == nil { missing.append("OS_AUTH_URL") }
        if username == nil { missing.append("OS_USERNAME") }
        if apiKey == nil { missing.append("OS_API_KEY") }
        guard missing.isEmpty, let authText, let username, let apiKey else {
            throw DriverError.authentication(
                "Rackspace credentials incomplete: set \(missing.joined(separator: ", ")) (or a clouds.yaml entry)")
        }
        guard let url = URL(string: authText) else { throw DriverError.authentication("OS_AUTH_URL is not an http(s) URL: \(authText)") }
        let allowInsecure = EndpointSecurity.allowsInsecure(env)
        try EndpointSecurity.check(url, source: "OS_AUTH_URL", allowInsecure: allowInsecure)
        var configuration = RackspaceConfiguration(
            authURL: url, username: username, apiKey: Secret(apiKey),
            tenantID: value("OS_TENANT_ID", "project_id") ?? value("OS_PROJECT_ID", "tenant_id"),
            region: region?.uppercased() ?? "", defaultImage: env["CATALYZE_RAX_IMAGE"].flatMap { $0.isEmpty ? nil : $0 })
        configuration.allowInsecureHTTP = allowInsecure
        if let text = env["CATALYZE_RAX_LB_WAIT"], !text.isEmpty {
            guard let seconds = Double(text), seconds > 0, seconds <= 86_400 else {
                throw DriverError.setting(
                    "CATALYZE_RAX_LB_WAIT must be a number of seconds from 0 to 86400 (the most one load balancer change waits), not '\(text)'")
            }
            configuration.loadBalancerWait = .milliseconds(Int64(seconds * 1000))
        }
        return configuration
    }
}
