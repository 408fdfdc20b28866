import Foundation

/// The key policy of a KMS key catalyze creates for a pod (CreateKey `Policy`, PutKeyPolicy on
/// later applies): the customer's principals administer the key, and the principal catalyze runs
/// as may use it only through the AWS services that encrypt the pod's data.
///
/// Written against the AWS KMS Developer Guide, "Key policies in AWS KMS" (the default key policy's
/// "Allow access for Key Administrators" actions), "kms:ViaService" (a condition limiting use of the
/// key to requests that an AWS service makes on the principal's behalf, `SERVICE.REGION.amazonaws.com`;
/// EBS requests come from `ec2.REGION.amazonaws.com`) and "kms:GrantIsForAWSResource" (grants only
/// for an integrated AWS service, which is how EBS attaches an encrypted volume to an instance).
///
/// It leaves out the default policy's "Enable IAM User Permissions" statement (the account's root,
/// `kms:*`) whenever the customer names administrators: with it, any IAM policy in the operator's
/// account could grant the key's use directly. Without administrators the key keeps that statement,
/// as AWS's default policy has it, and the README's threat model says what that means.
/// moto does not evaluate key policies: tests read the document back (GetKeyPolicy) and check each
/// statement (`KeyPolicyTests`).
public struct KeyPolicy: Sendable, Equatable {
    /// The key's account (12 digits).
    public var account: String
    /// The ARN partition (`aws`, `aws-cn`, `aws-us-gov`).
    public var partition: String
    /// The key's region.
    public var region: String
    /// The IAM principal catalyze runs as (a role or user ARN; see `principal(callerARN:)`).
    public var catalyze: String
    /// The customer's key administrators (IAM ARNs, `encryption.keyAdministrators`), sorted.
    public var administrators: [String]

    /// Statement ids, which refresh looks for to tell this policy from another.
    public enum Sid {
        /// The customer's administrators.
        public static let administrators = "CustomerKeyAdministrators"
        /// The account root, `kms:*` (only when the customer names no administrators).
        public static let accountRoot = "EnableIAMPoliciesWithoutCustomerAdministrators"
        /// What catalyze needs to manage the key's life (not its use).
        public static let management = "CatalyzeManagesTheKey"
        /// Catalyze's use of the key, only through EBS, AWS Backup and Secrets Manager.
        public static let useThroughServices = "CatalyzeUsesTheKeyOnlyThroughAWSServices"
        /// Grants, only for AWS resources (EBS attaching a volume).
        public static let grantsForResources = "CatalyzeGrantsOnlyForAWSResources"
    }

    /// The key administrators' actions: the default key policy's "Allow access for Key
    /// Administrators" statement (KMS Developer Guide, "Default key policy"), none of which uses the key.
    public static let administratorActions = [
        "kms:CancelKeyDeletion", "kms:Create*", "kms:Delete*", "kms:Describe*", "kms:Disable*", "kms:Enable*", "kms:Get*",
        "kms:List*", "kms:Put*", "kms:Revoke*", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource",
        "kms:UntagResource", "kms:Update*",
    ]
    /// What catalyze calls on the key itself: describe and tag it, keep its alias and policy,
    /// schedule its deletion on `destroy`. PutKeyPolicy stays: KMS refuses a policy that would lock
    /// its caller out of PutKeyPolicy (the policy lockout safety check), and apply updates it.
    public static let managementActions = [
        "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:ListGrants", "kms:ListResourceTags",
        "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias",
    ]
    /// The cryptographic operations EBS, AWS Backup and Secrets Manager make with the key on the
    /// caller's behalf (KMS Developer Guide, "How Amazon EBS uses AWS KMS").
    public static let useActions = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    /// Grant operations, for AWS resources only.
    public static let grantActions = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]

    /// The services catalyze may use the key through, as `kms:ViaService` values of `region`.
    public var services: [String] {
        ["backup", "ec2", "secretsmanager"].map { "\($0).\(region).amazonaws.com" }
    }

    /// Creates the policy; `administrators` are sorted and deduplicated.
    public init(account: String, partition: String = "aws", region: String, catalyze: String, administrators: [String]) {
        self.account = account
        self.partition = partition
        self.region = region
        self.catalyze = catalyze
        self.administrators = Array(Set(administrators)).sorted()
    }

    /// The statements, in a fixed order.
    public var statements: [[String: Any]] {
        var statements: [[String: Any]] = []
        if administrators.isEmpty {
            statements.append([
                "Sid": Sid.accountRoot, "Effect": "Allow", "Principal": ["AWS": "arn:\(partition):iam::\(account):root"],
                "Action": "kms:*", "Resource": "*",
            ])
        } else {
            statements.append([
                "Sid": Sid.administrators, "Effect": "Allow", "Principal": ["AWS": administrators],
                "Action": Self.administratorActions, "Resource": "*",
            ])
        }
        statements.append([
            "Sid": Sid.management, "Effect": "Allow", "Principal": ["AWS": catalyze], "Action": Self.managementActions, "Resource": "*",
        ])
        statements.append([
            "Sid": Sid.useThroughServices, "Effect": "Allow", "Principal": ["AWS": catalyze], "Action": Self.useActions, "Resource": "*",
            "Condition": ["StringEquals": ["kms:ViaService": services, "kms:CallerAccount": account]],
        ])
        statements.append([
            "Sid": Sid.grantsForResources, "Effect": "Allow", "Principal": ["AWS": catalyze], "Action": Self.grantActions, "Resource": "*",
            "Condition": ["Bool": ["kms:GrantIsForAWSResource": "true"]],
        ])
        return statements
    }

    /// The policy document as KMS takes it (JSON, keys sorted: the same policy is the same text).
    public var document: String {
        let object: [String: Any] = ["Version": "2012-10-17", "Id": "catalyze-pod-key", "Statement": statements]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// What refresh reads back from a key's policy document: `explicit` when it is a policy of this
    /// form, `default` otherwise (AWS's default policy, or one changed outside catalyze), and the
    /// administrators it names.
    public static func readBack(_ document: String) -> (form: String, administrators: [String]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any] else { return ("default", []) }
        let statements = object["Statement"] as? [[String: Any]] ?? []
        let sids = Set(statements.compactMap { $0["Sid"] as? String })
        guard sids.contains(Sid.useThroughServices), sids.contains(Sid.management) else { return ("default", []) }
        let admins = statements.first { $0["Sid"] as? String == Sid.administrators }
        let principal = (admins?["Principal"] as? [String: Any])?["AWS"]
        let names = (principal as? [String]) ?? (principal as? String).map { [$0] } ?? []
        return ("explicit", names.sorted())
    }

    /// The IAM principal a key policy names for the caller GetCallerIdentity describes: an assumed
    /// role's session ARN (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) becomes its role's ARN
    /// (`arn:aws:iam::ACCOUNT:role/ROLE`; a key policy cannot name a session), anything else is kept.
    /// A role with a path is named without it (STS does not report the path); such a role must be
    /// reachable by its plain name.
    public static func principal(callerARN: String) -> String {
        let parts = callerARN.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "sts", parts[5].hasPrefix("assumed-role/") else { return callerARN }
        let role = parts[5].dropFirst("assumed-role/".count).split(separator: "/").first.map(String.init) ?? ""
        return "arn:\(parts[1]):iam::\(parts[4]):role/\(role)"
    }
}
