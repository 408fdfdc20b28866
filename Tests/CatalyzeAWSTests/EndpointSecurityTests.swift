import CatalyzeAWS
import CatalyzeDrivers
import CatalyzeRackspace
import Foundation
import Testing

/// Credentials never travel in clear: plain `http://` endpoints are refused unless they are on this
/// machine or the user opts in with `CATALYZE_ALLOW_INSECURE_HTTP=1`.
@Suite struct EndpointSecurityTests {
    static let aws = ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret-endpoint-test", "AWS_PROFILE": ""]
    static let rax = ["OS_USERNAME": "acme", "OS_API_KEY": "rax-key-endpoint-test", "OS_REGION_NAME": "ORD"]

    func aws(_ endpoint: String, _ extra: [String: String] = [:]) throws -> AWSConfiguration {
        try AWSConfiguration.fromEnvironment(Self.aws.merging(["AWS_ENDPOINT_URL": endpoint].merging(extra) { $1 }) { $1 }, readFile: { _ in nil })
    }

    func rax(_ auth: String, _ extra: [String: String] = [:]) throws -> RackspaceConfiguration {
        try RackspaceConfiguration.fromEnvironment(Self.rax.merging(["OS_AUTH_URL": auth].merging(extra) { $1 }) { $1 })
    }

    @Test func plainHTTPToAnotherMachineIsRefusedNamingTheVariableAndNoSecret() {
        for (make, variable) in [({ try aws("http://proxy.example.com:8080") } as () throws -> Any, "AWS_ENDPOINT_URL"),
                                 ({ try rax("http://identity.example.com/v2.0") }, "OS_AUTH_URL")] {
            do {
                _ = try make()
                Issue.record("\(variable) over plain http must be refused")
            } catch {
                let text = "\(error)"
                #expect(text.contains(variable) && text.contains("plain http://") && text.contains("CATALYZE_ALLOW_INSECURE_HTTP=1"), "\(text)")
                #expect(!text.contains("secret-endpoint-test") && !text.contains("rax-key-endpoint-test"))
            }
        }
    }

    @Test func loopbackHTTPSAndTheOptInAreAccepted() throws {
        for endpoint in ["http://127.0.0.1:5000", "http://localhost:5000", "http://[::1]:5000", "http://127.9.9.9", "https://proxy.example.com"] {
            #expect(try aws(endpoint).endpoint?.absoluteString == endpoint)
            #expect(try rax(endpoint + "/v2.0").authURL.absoluteString == endpoint + "/v2.0")
        }
        #expect(try aws("http://proxy.example.com", ["CATALYZE_ALLOW_INSECURE_HTTP": "1"]).endpoint?.host == "proxy.example.com")
        #expect(try rax("http://identity.example.com/v2.0", ["CATALYZE_ALLOW_INSECURE_HTTP": "1"]).allowInsecureHTTP)
    }

    @Test func lookalikesOfLoopbackAreNotLoopback() {
        for host in ["127.0.0.1.evil.example", "localhost.example.com", "128.0.0.1", "127.0.0", "0x7f.0.0.1"] {
            #expect(!EndpointSecurity.isLoopback(host), "\(host)")
        }
        #expect(throws: DriverError.self) { try EndpointSecurity.check(URL(string: "ftp://127.0.0.1/")!, source: "X", allowInsecure: true) }
    }
}
