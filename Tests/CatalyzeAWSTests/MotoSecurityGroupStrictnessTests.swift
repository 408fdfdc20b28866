import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeTestSupport
import Foundation
import Testing

/// catalyze's stricter moto (Tests/Peers/run_moto.py, `install_strict_security_groups`): what EC2
/// refuses about security groups and moto 5.2.1 alone accepts. Each case is refused as the EC2 API
/// reference documents it (cited in run_moto.py and Tests/Peers/README.md); not moto's own behaviour.
@Suite struct MotoSecurityGroupStrictnessTests {
    @Test func moto_refusesWhatEC2RefusesAboutSecurityGroups() async throws {
        let client = try MotoFixture().driver.client
        let region = "us-east-1"
        func ec2(_ action: String, _ parameters: [String: String] = [:]) async throws -> XMLNode {
            try await client.query(.ec2, action, region: region, parameters)
        }
        func code(_ body: () async throws -> Void) async -> String? {
            await MotoVPNRouteExtensionTests.code(body)
        }
        func vpc(_ cidr: String) async throws -> String {
            try #require(try await ec2("CreateVpc", ["CidrBlock": cidr]).string("vpc", "vpcId"))
        }
        func group(_ name: String, in vpc: String) async throws -> String {
            try #require(try await ec2("CreateSecurityGroup", ["GroupName": name, "GroupDescription": name, "VpcId": vpc]).string("groupId"))
        }
        func admit(_ group: String, from source: String, port: Int) -> [String: String] {
            ["GroupId": group, "IpPermissions.1.IpProtocol": "tcp", "IpPermissions.1.FromPort": "\(port)",
             "IpPermissions.1.ToPort": "\(port)", "IpPermissions.1.Groups.1.GroupId": source]
        }
        let home = try await vpc("10.71.0.0/16"), other = try await vpc("10.72.0.0/16")
        let db = try await group("db", in: home), app = try await group("app", in: home), foreign = try await group("foreign", in: other)

        // A rule's source group must be in the same VPC.
        #expect(await code { _ = try await ec2("AuthorizeSecurityGroupIngress", admit(db, from: foreign, port: 5432)) } == "InvalidGroup.NotFound")
        var described = admit(db, from: app, port: 5432)
        described["IpPermissions.1.Groups.1.Description"] = "catalyze:firewall"
        #expect(await code { _ = try await ec2("AuthorizeSecurityGroupIngress", described) } == nil)
        // The same rule twice, with or without its description: the description is not part of a rule.
        #expect(await code { _ = try await ec2("AuthorizeSecurityGroupIngress", described) } == "InvalidPermission.Duplicate")
        #expect(await code { _ = try await ec2("AuthorizeSecurityGroupIngress", admit(db, from: app, port: 5432)) } == "InvalidPermission.Duplicate")
        // A group another group's rule names cannot be deleted; once the rule is revoked it can.
        #expect(await code { _ = try await ec2("DeleteSecurityGroup", ["GroupId": app]) } == "DependencyViolation")
        // Revoked without its description (as EC2 matches a rule), the rule is gone.
        _ = try await ec2("RevokeSecurityGroupIngress", admit(db, from: app, port: 5432))
        let left = try await ec2("DescribeSecurityGroups", ["GroupId.1": db]).list("securityGroupInfo").first?.list("ipPermissions") ?? []
        #expect(left.isEmpty, "the described rule was revoked")
        // A rule naming its own group does not hold the group.
        _ = try await ec2("AuthorizeSecurityGroupIngress", admit(db, from: db, port: 5432))

        // A group an instance uses cannot be deleted; moved off it (ModifyInstanceAttribute, which
        // replaces the groups of the instance's primary interface), it can.
        let subnet = try #require(try await ec2("CreateSubnet", ["VpcId": home, "CidrBlock": "10.71.1.0/24", "AvailabilityZone": "us-east-1a"])
            .string("subnet", "subnetId"))
        let image = try #require(try await ec2("DescribeImages").list("imagesSet").first?.string("imageId"))
        let instance = try #require(try await ec2("RunInstances", [
            "ImageId": image, "InstanceType": "t3.micro", "MinCount": "1", "MaxCount": "1", "SubnetId": subnet, "SecurityGroupId.1": app,
        ]).list("instancesSet").first?.string("instanceId"))
        #expect(await code { _ = try await ec2("DeleteSecurityGroup", ["GroupId": app]) } == "DependencyViolation")
        _ = try await ec2("ModifyInstanceAttribute", ["InstanceId": instance, "GroupId.1": db])
        #expect(await code { _ = try await ec2("DeleteSecurityGroup", ["GroupId": app]) } == nil)
        #expect(await code { _ = try await ec2("DeleteSecurityGroup", ["GroupId": db]) } == "DependencyViolation", "the instance is in it now")
        _ = try await ec2("TerminateInstances", ["InstanceId.1": instance])
        #expect(await code { _ = try await ec2("DeleteSecurityGroup", ["GroupId": db]) } == nil, "a terminated instance holds no group")
        #expect(await code { _ = try await ec2("DeleteSecurityGroup", ["GroupId": foreign]) } == nil)
    }
}
