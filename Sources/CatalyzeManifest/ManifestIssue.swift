import CatalyzeCore
import CatalyzeModel

/// Every problem the manifest loader and its rules can find. Tests match on these cases;
/// all message text lives in `message`.
public enum ManifestIssue: Hashable, Sendable {
    /// The file could not be read.
    case unreadable(reason: String)
    /// The path names a directory or `-` (standard input), not a manifest file.
    case notAFile(path: String, kind: ManifestSourceKind)
    /// The file is larger than catalyze reads (`bytes` is nil for a pipe, read only up to the limit).
    case tooLarge(bytes: Int?, limit: Int)
    /// The YAML expands (through aliases, or by sheer number) to more values than catalyze walks.
    case tooManyValues(limit: Int, aliases: Bool)
    /// A YAML alias (`*name`) used as a mapping key.
    case aliasKey
    /// YAML syntax error (from libyaml).
    case syntax(problem: String)
    /// The same key twice in one mapping.
    case duplicateKey(key: String)
    /// The document is empty.
    case emptyDocument
    /// `version` is not one this catalyze reads.
    case unsupportedVersion(found: String)
    /// `version` written as text (`version: "1"`) instead of the number.
    case versionNotANumber(found: String)
    /// A YAML 1.1 spelling (`yes`, `no`, `on`, `off`) where only `true` or `false` is allowed.
    case notABoolean(path: String, value: String)
    /// A cloud region the provider does not have (`suggestion`: the closest one).
    case unknownCloudRegion(path: String, value: String, provider: String, suggestion: String?)
    /// Two listeners on the same load balancer port.
    case duplicatePort(path: String, port: Int, first: SourceLocation)
    /// An `env:` reference whose name is not an environment variable name.
    case malformedEnvironmentReference(path: String)
    /// Customer access (logging or monitoring) open to the whole internet under `hipaa`.
    case openCustomerAccess(path: String)
    /// A key this manifest version does not know.
    case unknownKey(path: String, key: String, suggestion: String?)
    /// A required key is absent.
    case missingKey(path: String, key: String)
    /// A value of the wrong YAML type.
    case wrongType(path: String, expected: String, found: String)
    /// A value outside its allowed set or range.
    case invalidValue(path: String, value: String, expected: String)
    /// Not a CIDR block.
    case invalidCIDR(path: String, value: String)
    /// Not a port or port range in 1–65535.
    case invalidPort(path: String, value: String)
    /// Not a size with a unit.
    case invalidSize(path: String, value: String)
    /// Not a duration with units.
    case invalidDuration(path: String, value: String)
    /// A name that breaks the naming rule.
    case invalidName(path: String, value: String, rule: String)
    /// Two containers (or regions) with the same name.
    case duplicateName(path: String, name: String, first: SourceLocation)
    /// A reference to a region the manifest does not define.
    case undefinedRegion(path: String, name: String, defined: [String])
    /// A secret written inline instead of as a reference.
    case inlineSecret(path: String)
    /// The regions section breaks a structural rule (e.g. no primary).
    case regionLayout(reason: String)
    /// The `hipaa` profile requires something the manifest switches off or omits.
    case profileRequires(requirement: String)
    /// The `dev` profile relaxes a safeguard (a warning).
    case profileRelaxes(what: String)
    /// Backup is on and these Rackspace regions (`name (cloud region)`) run databases, but
    /// `backup.passphrase` names no passphrase: Cloud Backup would keep their backups unencrypted at rest.
    case missingBackupPassphrase(regions: [String])
    /// `encryption.volumeType` on a pod none of whose regions is on a cloud that picks volume types
    /// by name (`CloudCapabilities.namedVolumeTypes`): it would change nothing.
    case unusedVolumeType(type: String, clouds: [String])
    /// `customerAccess` is on for a service the pod does not deploy (`enabled: false`).
    case accessToDisabledService(section: String)
    /// A `tls-passthrough` listener names a certificate: the containers hold the TLS key, the
    /// balancer takes none.
    case certificateOnPassthrough(path: String)
    /// A `tls-passthrough` listener on an application balancer in these AWS regions
    /// (`name (cloud region)`): an ALB always terminates TLS; only a network balancer passes it through.
    case passthroughNeedsNetworkBalancer(path: String, regions: [String])
    /// An `http` health check on the port where the containers behind a `tls-passthrough` listener
    /// terminate TLS: a plaintext request there never gets an HTTP answer.
    case plainCheckOnPassthrough(path: String, port: Int)
    /// A `tls-passthrough` listener beside other listeners while these Rackspace regions
    /// (`name (cloud region)`) serve the pod: a Cloud Load Balancer has one protocol on one port.
    case passthroughNotAlone(path: String, regions: [String])
    /// `access.maxTtl` is longer than the profile allows (`AccessTTLRule`).
    case accessTTLOverCap(path: String, value: TimeSpan, cap: TimeSpan, profile: String)
    /// `access.emergencyMaxTtl` is longer than `access.maxTtl`.
    case emergencyTTLOverMaxTTL(path: String, emergency: TimeSpan, maxTTL: TimeSpan)
    /// `state.backend` is not a backend URL; `part` names what is wrong (`StateBackendURLError`).
    case invalidBackendURL(path: String, part: String, problem: String)

    /// Stable code for JSON output and scripts.
    public var code: String {
        switch self {
        case .unreadable: "unreadable"
        case .notAFile: "not-a-file"
        case .tooLarge: "too-large"
        case .tooManyValues: "too-many-values"
        case .aliasKey: "alias-key"
        case .syntax: "yaml-syntax"
        case .duplicateKey: "duplicate-key"
        case .emptyDocument: "empty-document"
        case .unsupportedVersion: "unsupported-version"
        case .versionNotANumber: "version-not-a-number"
        case .notABoolean: "not-a-boolean"
        case .unknownCloudRegion: "unknown-cloud-region"
        case .duplicatePort: "duplicate-port"
        case .malformedEnvironmentReference: "malformed-env-reference"
        case .openCustomerAccess: "open-customer-access"
        case .unknownKey: "unknown-key"
        case .missingKey: "missing-key"
        case .wrongType: "wrong-type"
        case .invalidValue: "invalid-value"
        case .invalidCIDR: "invalid-cidr"
        case .invalidPort: "invalid-port"
        case .invalidSize: "invalid-size"
        case .invalidDuration: "invalid-duration"
        case .invalidName: "invalid-name"
        case .duplicateName: "duplicate-name"
        case .undefinedRegion: "undefined-region"
        case .inlineSecret: "inline-secret"
        case .regionLayout: "region-layout"
        case .profileRequires: "profile-requires"
        case .profileRelaxes: "profile-relaxes"
        case .missingBackupPassphrase: "missing-backup-passphrase"
        case .unusedVolumeType: "unused-volume-type"
        case .accessToDisabledService: "access-to-disabled-service"
        case .certificateOnPassthrough: "passthrough-certificate"
        case .passthroughNeedsNetworkBalancer: "passthrough-balancer-type"
        case .plainCheckOnPassthrough: "passthrough-health-check"
        case .passthroughNotAlone: "passthrough-not-alone"
        case .accessTTLOverCap: "access-ttl-over-cap"
        case .emergencyTTLOverMaxTTL: "emergency-ttl-over-max-ttl"
        case .invalidBackendURL: "invalid-backend-url"
        }
    }

    /// One-line summary.
    public var message: String {
        switch self {
        case let .unreadable(reason): "cannot read manifest: \(reason)"
        case let .notAFile(_, kind):
            switch kind {
            case .directory: "cannot read manifest: it is a directory, not a file"
            case .standardInput: "cannot read manifest from standard input ('-'): give the path of a file"
            }
        case let .tooLarge(bytes?, limit): "the manifest is \(bytes) bytes; catalyze reads manifests of at most \(limit) bytes (1 MiB)"
        case let .tooLarge(nil, limit): "the manifest is more than \(limit) bytes (1 MiB), the most catalyze reads"
        case let .tooManyValues(limit, aliases):
            aliases
                ? "the manifest's YAML aliases (*name) expand to more than \(limit) values; refused before reading it further"
                : "the manifest holds more than \(limit) YAML values; refused before reading it further"
        case .aliasKey: "a YAML alias (*name) is used as a mapping key; refused before reading the manifest further"
        case let .syntax(problem): "YAML syntax error: \(problem)"
        case let .duplicateKey(key): "duplicate key '\(key)'"
        case .emptyDocument: "the manifest is empty"
        case let .unsupportedVersion(found): "unsupported manifest version \(found) (this catalyze reads version 1)"
        case let .versionNotANumber(found): "version must be the number 1, found the text '\(found)'"
        case let .notABoolean(path, value): "\(path): '\(value)' is not true or false"
        case let .unknownCloudRegion(path, value, provider, _):
            "\(path): '\(value)' is not a \(Self.cloudName(provider)) region"
        case let .duplicatePort(path, port, first): "\(path): port \(port) already has a listener at \(first)"
        case let .malformedEnvironmentReference(path):
            "\(path): the name after 'env:' is not an environment variable name"
        case let .openCustomerAccess(path):
            "profile hipaa requires customer access from the customer's own networks; \(path) is 0.0.0.0/0, the whole internet"
        case let .unknownKey(path, key, _): "unknown key '\(key)' in \(Self.place(path))"
        case let .missingKey(path, key): "\(Self.place(path)) is missing required key '\(key)'"
        case let .wrongType(path, expected, found): "\(Self.place(path)) must be \(expected), found \(found)"
        case let .invalidValue(path, value, expected): "\(path): '\(value)' is not valid; expected \(expected)"
        case let .invalidCIDR(path, value): "\(path): '\(value)' is not a CIDR block such as 10.0.0.0/16"
        case let .invalidPort(path, value): "\(path): '\(value)' is not a port (1-65535) or range such as 8000-8100"
        case let .invalidSize(path, value):
            "\(path): '\(value)' is not a size with a unit such as 100GiB (units: \(ByteSize.acceptedUnits))"
        case let .invalidDuration(path, value): "\(path): '\(value)' is not a duration such as 90s, 15m, 2h, 7d"
        case let .invalidName(path, value, rule): "\(path): '\(value)' is not a valid name (\(rule))"
        case let .duplicateName(path, name, first): "\(path): name '\(name)' is already used at \(first)"
        case let .undefinedRegion(path, name, defined):
            "\(path): region '\(name)' is not defined (regions: \(defined.joined(separator: ", ")))"
        case let .inlineSecret(path):
            "\(path) holds an inline secret; write a reference instead (env:NAME or file:PATH)"
        case let .regionLayout(reason): "regions: \(reason)"
        case let .profileRequires(requirement): "profile hipaa requires \(requirement)"
        case let .profileRelaxes(what): "profile dev: \(what)"
        case let .accessToDisabledService(section):
            "\(section).customerAccess is enabled, but \(section) is not deployed (\(section).enabled: false): there is nothing to open"
        case let .unusedVolumeType(type, clouds):
            "encryption.volumeType '\(type)' is ignored: no region of this pod is on a cloud that picks volume types by name (\(clouds.joined(separator: ", ")))"
        case let .missingBackupPassphrase(regions):
            "backup is missing 'passphrase': Rackspace Cloud Backup of \(regions.joined(separator: ", ")) would not be encrypted with the customer's key"
        case let .certificateOnPassthrough(path):
            "\(path): a tls-passthrough listener takes no certificate; the containers hold the TLS key and terminate TLS themselves"
        case let .passthroughNeedsNetworkBalancer(path, regions):
            "\(path): an application load balancer cannot pass TLS through (AWS: \(regions.joined(separator: ", "))); it always terminates TLS"
        case let .plainCheckOnPassthrough(path, port):
            "\(path): an http check on port \(port) gets no answer; the containers behind the tls-passthrough listener speak only TLS there"
        case let .passthroughNotAlone(path, regions):
            "\(path): a tls-passthrough listener must be the load balancer's only listener on Rackspace (\(regions.joined(separator: ", "))): a Cloud Load Balancer serves one protocol on one port"
        case let .accessTTLOverCap(path, value, cap, profile):
            "\(path): \(value) is longer than profile \(profile) allows for a support certificate (at most \(cap))"
        case let .emergencyTTLOverMaxTTL(path, emergency, maxTTL):
            "\(path): \(emergency) is longer than access.maxTtl (\(maxTTL)); a break-glass grant may not outlast an ordinary one"
        case let .invalidBackendURL(path, part, problem): "\(path): not a backend URL: \(part): \(problem)"
        }
    }

    /// A path as a message names it: the empty path is the document itself.
    private static func place(_ path: String) -> String { path.isEmpty ? "the manifest" : path }

    /// The cloud's name in messages (`CloudCapabilities.displayName`) for the manifest's spelling of it.
    static func cloudName(_ provider: String) -> String { Provider(rawValue: provider)?.capabilities.displayName ?? provider }

    /// A hint where one helps.
    public var hint: String? {
        switch self {
        case .versionNotANumber: "write 'version: 1', without quotes"
        case .notABoolean: "write true or false; yes/no/on/off are YAML 1.1 spellings catalyze does not take"
        case let .unknownCloudRegion(_, _, provider, suggestion):
            suggestion.map { "did you mean '\($0)'?" }
                ?? "\(Self.cloudName(provider)) regions: \((Provider(rawValue: provider)?.capabilities.regions ?? []).joined(separator: ", "))"
        case .duplicatePort: "each listener needs its own port; remove one or change its 'port'"
        case .malformedEnvironmentReference:
            "write env:NAME with letters, digits and '_', not starting with a digit, e.g. env:DB_PASSWORD"
        case .openCustomerAccess:
            "list the customer's networks under 'cidrs' (e.g. 192.168.10.0/24), or set 'enabled: false'"
        case let .profileRequires(requirement): ProfileRule.fix(for: requirement)
        case let .unknownKey(_, _, suggestion?): "did you mean '\(suggestion)'?"
        case .duplicateKey: "each key may appear once per mapping"
        case let .notAFile(path, .directory):
            "name the manifest file inside it, e.g. \(path.hasSuffix("/") ? path : path + "/")pod.yaml"
        case .notAFile(_, .standardInput):
            "write it to a file first: the lockfile and file: references are found beside the manifest"
        case .aliasKey: "write the key out; aliases may stand for values only"
        case .tooLarge: "a pod manifest is a few kilobytes: check that this is the right file"
        case .tooManyValues(_, true): "write repeated values out instead of nesting aliases"
        case .tooManyValues(_, false): "a pod manifest holds a few hundred values: check that this is the right file"
        case .inlineSecret: "the secret must never be stored in the manifest, the lockfile or a plan"
        case .accessToDisabledService:
            "set 'customerAccess: { enabled: false }', or deploy the service with 'enabled: true'"
        case .unusedVolumeType:
            "remove 'volumeType' (each region's cloud encrypts volumes with the pod's key), or place a region on a cloud that names its volume types"
        case .missingBackupPassphrase:
            "add 'passphrase: env:NAME' (or file:PATH) under 'backup:'; the passphrase itself is read at apply time only"
        case .certificateOnPassthrough:
            "remove 'certificate', or use protocol https or tls to terminate TLS at the load balancer with this certificate"
        case .passthroughNeedsNetworkBalancer:
            "set 'type: network' under 'loadBalancer:' (a network load balancer forwards the encrypted stream untouched)"
        case .plainCheckOnPassthrough:
            "use 'protocol: tcp' (a connect check) or 'https' under 'healthCheck:'"
        case .passthroughNotAlone:
            "keep only the tls-passthrough listener (redirect plain HTTP in the containers if needed)"
        case let .accessTTLOverCap(_, _, cap, _):
            "set 'maxTtl: \(cap)' or less under 'access:'; an engineer who needs longer asks for a new grant"
        case .emergencyTTLOverMaxTTL:
            "set 'emergencyMaxTtl' to at most 'maxTtl' under 'access:' (default 1h)"
        case .invalidBackendURL:
            "write file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (man catalyze: CATALYZE_BACKEND under ENVIRONMENT)"
        case let .undefinedRegion(_, name, defined):
            suggestion(for: name, among: defined).map { "did you mean '\($0)'?" }
        case let .invalidValue(_, value, expected) where expected.contains("|"):
            suggestion(for: value, among: expected.split(separator: "|").map { $0.trimmingSpaces })
                .map { "did you mean '\($0)'?" }
        default: nil
        }
    }
}

/// One manifest problem with its position and severity.
public struct ManifestDiagnostic: Hashable, Sendable {
    /// What is wrong.
    public var issue: ManifestIssue
    /// Error or warning.
    public var severity: Severity
    /// Where.
    public var location: SourceLocation

    /// Creates a diagnostic.
    public init(_ issue: ManifestIssue, at location: SourceLocation, severity: Severity = .error) {
        self.issue = issue
        self.location = location
        self.severity = severity
    }

    /// The generic, printable form.
    public var diagnostic: Diagnostic {
        Diagnostic(severity: severity, code: issue.code, location: location, message: issue.message, hint: issue.hint)
    }
}
