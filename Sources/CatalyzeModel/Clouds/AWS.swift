import CatalyzeCore

/// Amazon Web Services: EC2 dedicated hosts, EBS, ELBv2, KMS, CloudWatch, AWS Backup.
/// Its driver is `CatalyzeAWS`, made by the CLI's `DriverRegistry`.
enum AWSCloud: CloudDescription {
    static let provider = Provider(registered: "aws")

    /// Region codes of the commercial, GovCloud and China partitions, as the AWS General Reference
    /// lists them, "Regional endpoints" (https://docs.aws.amazon.com/general/latest/gr/rande.html).
    static let regions: [String] = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
        "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
        "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
    ]

    static let capabilities = CloudCapabilities(
        provider: .aws, displayName: "AWS", regions: regions, starterRegions: ("us-east-1", "us-west-2"),
        kinds: Set(ResourceKind.allCases.filter { $0.isOffered(by: .aws) }),
        // An ALB terminates TLS; only an NLB passes it through.
        listenerProtocols: ["application": ["http", "https"], "network": ["tcp", "tls", ListenerProtocol.tlsPassthrough]],
        passthroughBesideOtherListeners: true, storageEncryption: true, backupEncryption: .podKey, hostPlacement: true,
        existingNetwork: true, secondSubnet: true, hardwareFirewall: false, backupRetentionPeriods: nil,
        backupSelectsByTag: true, backupCopiesAcrossRegions: true, namedVolumeTypes: false,
        fleetJoining: "allocate EC2 dedicated hosts there tagged catalyze:fleet (any value)",
        fleetSeedScript: "scripts/seed-aws-fleet.py", rootVolumeEncryption: true,
        encryptionByDefault: true, keyPolicy: true, tieredFirewalls: true)
}

extension Provider {
    /// Amazon Web Services (`aws` in manifests and lockfiles).
    public static var aws: Provider { AWSCloud.provider }
}

extension CloudCatalog {
    /// What AWS offers.
    public static var aws: CloudCapabilities { AWSCloud.capabilities }
}
