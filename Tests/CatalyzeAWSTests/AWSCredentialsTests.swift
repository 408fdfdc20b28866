import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import Foundation
import Testing

@Suite struct AWSCredentialsTests {
    let file = """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret-value

        [profile ci]
        aws_access_key_id=AKIDCI
        aws_secret_access_key=ci-secret-value
        aws_session_token = ci-session-token
        """

    @Test func environmentVariablesWin() throws {
        let credentials = try AWSCredentials.resolve(
            ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "tok", "HOME": "/h"],
            readFile: { _ in file })
        #expect(credentials.accessKeyID == "AKIDENV")
        #expect(credentials.secretAccessKey.reveal() == "env-secret")
        #expect(credentials.sessionToken?.reveal() == "tok")
    }

    @Test func sharedCredentialsFileWithProfile() throws {
        var asked: [String] = []
        let credentials = try AWSCredentials.resolve(["HOME": "/home/op", "AWS_PROFILE": "ci"]) { path in
            asked.append(path)
            return file
        }
        #expect(asked == ["/home/op/.aws/credentials"])
        #expect(credentials.accessKeyID == "AKIDCI")
        #expect(credentials.secretAccessKey.reveal() == "ci-secret-value")
        #expect(credentials.sessionToken?.reveal() == "ci-session-token")
        let fallback = try AWSCredentials.resolve(["HOME": "/home/op"], readFile: { _ in file })
        #expect(fallback.accessKeyID == "AKIDDEFAULT")
    }

    @Test func errorsNameTheProblemButNoSecret() {
        #expect(throws: DriverError.authentication("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is missing")) {
            try AWSCredentials.resolve(["AWS_ACCESS_KEY_ID": "AKID"])
        }
        do {
            _ = try AWSCredentials.resolve(["HOME": "/h", "AWS_PROFILE": "nope"], readFile: { _ in file })
            Issue.record("an unknown profile must fail")
        } catch {
            #expect("\(error)".contains("profile 'nope' not found"))
            #expect(!"\(error)".contains("secret-value"))
        }
        #expect(throws: DriverError.self) { try AWSCredentials.resolve(["HOME": "/h"], readFile: { _ in nil }) }
    }

    @Test func configurationReadsTheEndpointAndRejectsGarbage() throws {
        let env = ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s3cr3t-value", "AWS_ENDPOINT_URL": "http://127.0.0.1:5000"]
        let configuration = try AWSConfiguration.fromEnvironment(env)
        #expect(configuration.endpoint?.absoluteString == "http://127.0.0.1:5000")
        var bad = env
        bad["AWS_ENDPOINT_URL"] = "not a url"
        do {
            _ = try AWSDriver.fromEnvironment(bad, transport: CurlTransport())
            Issue.record("a bad endpoint must fail")
        } catch {
            #expect("\(error)".contains("AWS_ENDPOINT_URL"))
            #expect(!"\(error)".contains("s3cr3t-value"))
        }
    }
}
