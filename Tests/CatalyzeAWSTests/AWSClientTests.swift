import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

@Suite struct AWSClientTests {
    /// A private moto with signature checking on: IAM user made in the first unauthenticated calls,
    /// then the right secret is accepted and a wrong one refused.
    @Test func motoWithSignatureCheckingAcceptsOurSignatureAndRefusesAWrongSecret() async throws {
        let (server, env) = try await MotoFixture.withSignatureChecking()
        defer { server.stop() }
        let secret = try #require(env["AWS_SECRET_ACCESS_KEY"])

        let good = try AWSDriver.fromEnvironment(env, transport: CurlTransport())
        let hosts = try await good.fleet(FleetRequest(region: "us-east-1")).hosts
        #expect(hosts.isEmpty)
        _ = try await good.client.json(.kms, "ListKeys", region: "us-east-1")

        var wrong = env
        wrong["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-\(secret.prefix(4))x"
        let bad = try AWSDriver.fromEnvironment(wrong, transport: CurlTransport())
        do {
            _ = try await bad.fleet(FleetRequest(region: "us-east-1"))
            Issue.record("a wrong secret must be refused")
        } catch let error as DriverError {
            guard case .api(_, _, let status, let code, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(status == 401 || status == 403)
            #expect(["AuthFailure", "SignatureDoesNotMatch", "InvalidClientTokenId"].contains(code))
            #expect("\(error)".contains(code), "the message keeps the AWS code")
            #expect(!"\(error)".contains(secret) && !"\(error)".contains(wrong["AWS_SECRET_ACCESS_KEY"]!))
        }
    }

    @Test func awsErrorsKeepTheirCode() async throws {
        let moto = try MotoFixture()
        do {
            _ = try await moto.driver.client.query(.ec2, "DescribeInstances", region: "us-east-1", ["InstanceId.1": "i-00000000000000000"])
            Issue.record("an unknown instance must fail")
        } catch let error as DriverError {
            #expect("\(error)".contains("InvalidInstanceID.NotFound"))
            #expect("\(error)".hasPrefix("ec2 DescribeInstances failed"))
        }
        do {
            _ = try await moto.driver.client.json(.kms, "DescribeKey", region: "us-east-1", ["KeyId": "alias/none"])
            Issue.record("an unknown key must fail")
        } catch let error as DriverError {
            #expect("\(error)".contains("NotFoundException"))
        }
    }

    @Test func paginationFollowsNextToken() async throws {
        let moto = try MotoFixture()
        for _ in 0..<7 {  // seven reservations: EC2 pages DescribeInstances by reservation
            _ = try await moto.driver.client.query(.ec2, "RunInstances", region: "us-east-1", [
                "ImageId": "ami-12c6146b", "InstanceType": "m5.large", "MinCount": "1", "MaxCount": "1",
            ])
        }
        let pages = try await moto.driver.client.queryAll(.ec2, "DescribeInstances", region: "us-east-1", ["MaxResults": "5"])
        #expect(pages.count == 2)
        #expect(pages.flatMap { $0.list("reservationSet").flatMap { $0.list("instancesSet") } }.count == 7)
    }

    @Test func clientTokensFitAWSLimits() {
        #expect(AWSDriver.clientToken("short-token") == "short-token")
        let long = String(repeating: "lineage-address-generation-", count: 5)
        let hashed = AWSDriver.clientToken(long)
        #expect(hashed.count == 64 && hashed == AWSDriver.clientToken(long) && hashed != AWSDriver.clientToken(long + "x"))
    }
}
