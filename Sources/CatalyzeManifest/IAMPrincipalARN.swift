/// An IAM principal a KMS key policy can name as a key administrator: an account root, a user or
/// a role, by ARN (IAM User Guide, "IAM identifiers", ARNs; key policies name principals by ARN).
enum IAMPrincipalARN {
    /// What a valid value looks like, for messages.
    static let expected = "an IAM ARN: arn:aws:iam::ACCOUNT:root, arn:aws:iam::ACCOUNT:user/NAME or arn:aws:iam::ACCOUNT:role/NAME"

    /// True for `arn:PARTITION:iam::ACCOUNT:root|user/…|role/…`, ACCOUNT 12 digits, PARTITION one of
    /// `aws`, `aws-cn`, `aws-us-gov`; a name of letters, digits and `+=,.@_-` (paths allowed).
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", ["aws", "aws-cn", "aws-us-gov"].contains(String(parts[1])),
              parts[2] == "iam", parts[3].isEmpty, parts[4].count == 12, parts[4].allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        let resource = parts[5]
        if resource == "root" { return true }
        for prefix in ["user/", "role/"] where resource.hasPrefix(prefix) {
            let name = resource.dropFirst(prefix.count)
            let allowed = Set("+=,.@_-/")
            return !name.isEmpty && !name.hasSuffix("/") && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || allowed.contains($0) }
        }
        return false
    }
}
