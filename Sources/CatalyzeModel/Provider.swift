/// A cloud that catalyze can place a pod region on.
public enum Provider: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Amazon Web Services (EC2 dedicated hosts, EBS, ELBv2, KMS, CloudWatch).
    case aws
    /// Rackspace (Identity v2, Cloud Servers, Cloud Load Balancers, Cloud Monitoring, Cinder, Neutron).
    case rax

    /// `aws` or `rax`.
    public var description: String { rawValue }
}
