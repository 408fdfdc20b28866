import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import Foundation
import Testing

/// Which credentials catalyze signs with, resolved as the AWS CLI does (pure: files passed in).
@Suite struct AWSCredentialSourceTests {
    let credentials = """
        [base]
        aws_access_key_id = AKIDBASE
        aws_secret_access_key = base-secret-value
        """
    let config = """
        [profile deploy]
        role_arn = arn:aws:iam::123456789012:role/deployer
        source_profile = base
        external_id = acme-4711
        role_session_name = ci-run-7

        [profile oidc]
        role_arn = arn:aws:iam::123456789012:role/oidc
        web_identity_token_file = /var/run/token

        [profile lonely]
        role_arn = arn:aws:iam::123456789012:role/nothing

        [profile chained]
        role_arn = arn:aws:iam::123456789012:role/second
        source_profile = deploy
        """

    func files(_ path: String) -> String? {
        switch path {
        case "/h/.aws/credentials": credentials
        case "/h/.aws/config": config
        default: nil
        }
    }

    @Test func aProfileWithRoleAndSourceProfileAssumesTheRoleWithTheSourceKeys() throws {
        let source = try AWSCredentialSource.resolve(["HOME": "/h", "AWS_PROFILE": "deploy"], readFile: files)
        guard case let .assumeRole(role, session, externalID, keys) = source else {
            Issue.record("expected assumeRole, got \(source)")
            return
        }
        #expect(role == "arn:aws:iam::123456789012:role/deployer")
        #expect(session == "ci-run-7" && externalID == "acme-4711")
        #expect(keys.accessKeyID == "AKIDBASE" && keys.secretAccessKey.reveal() == "base-secret-value")
    }

    @Test func webIdentityComesFromTheEnvironmentOrAProfile() throws {
        let fromEnvironment = try AWSCredentialSource.resolve(
            ["HOME": "/h", "AWS_WEB_IDENTITY_TOKEN_FILE": "/tmp/token", "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci"],
            readFile: files)
        guard case let .webIdentity(role, session, tokenFile) = fromEnvironment else {
            Issue.record("expected webIdentity, got \(fromEnvironment)")
            return
        }
        #expect(role == "arn:aws:iam::123456789012:role/ci" && tokenFile == "/tmp/token")
        #expect(session == AWSCredentialSource.defaultSessionName)
        let fromProfile = try AWSCredentialSource.resolve(["HOME": "/h", "AWS_PROFILE": "oidc"], readFile: files)
        guard case .webIdentity(_, _, "/var/run/token") = fromProfile else {
            Issue.record("expected the profile's token file, got \(fromProfile)")
            return
        }
    }

    @Test func keysInTheEnvironmentWinOverEverything() throws {
        let source = try AWSCredentialSource.resolve(
            ["HOME": "/h", "AWS_PROFILE": "deploy", "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
             "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci", "AWS_WEB_IDENTITY_TOKEN_FILE": "/tmp/token"],
            readFile: files)
        guard case .keys(let keys) = source else {
            Issue.record("expected keys, got \(source)")
            return
        }
        #expect(keys.accessKeyID == "AKIDENV")
    }

    @Test func incompleteSettingsAreNamedWithoutAValue() {
        let cases: [([String: String], String)] = [
            (["HOME": "/h", "AWS_ROLE_ARN": "arn:aws:iam::1:role/x"], "AWS_WEB_IDENTITY_TOKEN_FILE is missing"),
            (["HOME": "/h", "AWS_WEB_IDENTITY_TOKEN_FILE": "/t"], "AWS_ROLE_ARN is missing"),
            (["HOME": "/h", "AWS_PROFILE": "lonely"], "profile 'lonely' in /h/.aws/config has role_arn but neither source_profile"),
            (["HOME": "/h", "AWS_PROFILE": "chained"], "chains of roles are not supported"),
        ]
        for (env, expected) in cases {
            do {
                _ = try AWSCredentialSource.resolve(env, readFile: files)
                Issue.record("\(env) must fail")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
                #expect(!"\(error)".contains("base-secret-value"))
            }
        }
    }

    @Test func aProfileWithoutARoleKeepsItsKeys() throws {
        let source = try AWSCredentialSource.resolve(["HOME": "/h", "AWS_PROFILE": "base"], readFile: files)
        guard case .keys(let keys) = source else {
            Issue.record("expected keys, got \(source)")
            return
        }
        #expect(keys.accessKeyID == "AKIDBASE")
    }
}
