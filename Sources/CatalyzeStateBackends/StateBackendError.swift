import CatalyzeCore
import Foundation

/// Why a network state store could not be used. Message text lives in `description`; no message
/// ever holds a credential (requests are named by their URL without query, as `DriverError` does).
public enum StateBackendError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The backend did not answer (connection refused, DNS, TLS, timeout): `detail` says which.
    case unreachable(location: String, detail: String)
    /// The backend answered with an error it should not have.
    case unexpected(location: String, operation: String, status: Int, detail: String)
    /// A compare-and-swap failed for a reason other than another writer's newer serial.
    case conflict(location: String, detail: String)
    /// The S3 bucket lacks what shared state needs (versioning, default KMS encryption).
    case insecureBucket(bucket: String, missing: [String])
    /// The backend URL names something this release cannot use yet.
    case unsupported(url: String, detail: String)
    /// The held lock was lost (its lease ran out or it was force-unlocked) while this run held it.
    case lockLost(location: String, detail: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .unreachable(location, detail):
            return "\(location): the state backend cannot be reached: \(detail)"
        case let .unexpected(location, operation, status, detail):
            return "\(location): \(operation) failed (HTTP \(status)): \(detail)"
        case let .conflict(location, detail):
            return "\(location): another writer changed the state: \(detail); nothing was overwritten. Run the command again."
        case let .insecureBucket(bucket, missing):
            return "s3://\(bucket): refusing to keep state in a bucket without \(missing.joined(separator: " and ")): "
                + "shared state needs versioning (old versions to recover from) and default KMS encryption (at rest). "
                + "Turn them on (aws s3api put-bucket-versioning / put-bucket-encryption with aws:kms), "
                + "or use a bucket that has them (a manifest with profile dev only warns)"
        case let .unsupported(url, detail):
            return "backend URL '\(url)': \(detail)"
        case let .lockLost(location, detail):
            return "\(location): the state lock was lost: \(detail)"
        }
    }
}
