import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// Where the credentials that sign requests come from: a key pair as it is, or temporary
/// credentials from STS (assumed with a key pair, or with a web identity token).
public enum AWSCredentialSource: Sendable {
    /// Keys from the environment or a profile, used as they are.
    case keys(AWSCredentials)
    /// STS AssumeRole, signed with `source` (a profile's `role_arn` + `source_profile`).
    case assumeRole(roleARN: String, sessionName: String, externalID: String?, source: AWSCredentials)
    /// STS AssumeRoleWithWebIdentity (unsigned) with the token read from `tokenFile` at each call:
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, or a profile's `web_identity_token_file` +
    /// `role_arn` (how CI systems such as GitHub Actions and EKS hand out short-lived identities).
    case webIdentity(roleARN: String, sessionName: String, tokenFile: String)

    /// The session name when none is configured (`AWS_ROLE_SESSION_NAME`, `role_session_name`).
    public static let defaultSessionName = "catalyze"

    /// Resolves the source, in the AWS CLI's order: the key variables; `AWS_WEB_IDENTITY_TOKEN_FILE`
    /// with `AWS_ROLE_ARN`; the profile (`AWS_PROFILE`, default `default`) in the shared config
    /// file (`AWS_CONFIG_FILE`, default `$HOME/.aws/config`) when it names a `role_arn`; else the
    /// profile's keys (`AWSCredentials.resolve`). Errors name variables, files and profiles —
    /// never a value.
    public static func resolve(
        _ env: [String: String], readFile: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }
    ) throws -> AWSCredentialSource {
        func value(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        if value("AWS_ACCESS_KEY_ID") != nil || value("AWS_SECRET_ACCESS_KEY") != nil {
            return .keys(try AWSCredentials.resolve(env, readFile: readFile))
        }
        let sessionName = value("AWS_ROLE_SESSION_NAME") ?? defaultSessionName
        switch (value("AWS_WEB_IDENTITY_TOKEN_FILE"), value("AWS_ROLE_ARN")) {
        case let (tokenFile?, role?):
            return .webIdentity(roleARN: role, sessionName: sessionName, tokenFile: tokenFile)
        case (_?, nil):
            throw DriverError.authentication("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is missing (the role to assume with the token)")
        case (nil, _?):
            throw DriverError.authentication("AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is missing (the token to assume it with)")
        case (nil, nil):
            break
        }
        let profile = value("AWS_PROFILE") ?? "default"
        let configPath = value("AWS_CONFIG_FILE") ?? env["HOME"].map { "\($0)/.aws/config" }
        let config = configPath.flatMap(readFile).map(AWSCredentials.parseINI) ?? [:]
        guard let configPath, let section = config[profile], let role = section["role_arn"] else {
            return .keys(try AWSCredentials.resolve(env, readFile: readFile))
        }
        let name = section["role_session_name"] ?? sessionName
        if let tokenFile = section["web_identity_token_file"] {
            return .webIdentity(roleARN: role, sessionName: name, tokenFile: tokenFile)
        }
        guard let sourceProfile = section["source_profile"] else {
            throw DriverError.authentication(
                "profile '\(profile)' in \(configPath) has role_arn but neither source_profile nor web_identity_token_file (credential_source is not supported)")
        }
        if sourceProfile != profile, config[sourceProfile]?["role_arn"] != nil {
            throw DriverError.authentication(
                "profile '\(profile)' in \(configPath): its source_profile '\(sourceProfile)' assumes a role itself; chains of roles are not supported")
        }
        var sourceEnv = env
        sourceEnv["AWS_PROFILE"] = sourceProfile
        let source: AWSCredentials
        if let id = config[sourceProfile]?["aws_access_key_id"], let secret = config[sourceProfile]?["aws_secret_access_key"] {
            source = AWSCredentials(accessKeyID: id, secretAccessKey: Secret(secret), sessionToken: config[sourceProfile]?["aws_session_token"].map(Secret.init))
        } else {
            do {
                source = try AWSCredentials.resolve(sourceEnv, readFile: readFile)
            } catch DriverError.authentication(let detail) {
                throw DriverError.authentication("profile '\(profile)' in \(configPath): source_profile '\(sourceProfile)': \(detail)")
            }
        }
        return .assumeRole(roleARN: role, sessionName: name, externalID: section["external_id"], source: source)
    }
}
