/// The cloud regions each provider has, as data in one place: the manifest checks `regions[].region`
/// against them and suggests the closest name for a typo.
///
/// AWS: the commercial, GovCloud and China partitions' regions as listed in the AWS General
/// Reference, "Regional endpoints" (https://docs.aws.amazon.com/general/latest/gr/rande.html).
/// Rackspace: the public cloud regions of the Rackspace Cloud API "Service access endpoints"
/// (https://docs.rackspace.com/docs/cloud-servers/v2/general-api-info/service-access).
/// A region launched after this release is refused until the list learns it: a typo that sends a
/// pod's resources to the wrong place is the worse failure.
public enum CloudRegions {
    /// AWS region codes.
    public static let aws: [String] = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
        "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
        "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
    ]

    /// Rackspace public cloud region codes.
    public static let rackspace: [String] = ["DFW", "ORD", "IAD", "LON", "SYD", "HKG"]
}
