import CatalyzeCore

/// A secret reference (`env:`, `file:`) or a file the manifest names, with where it names it: what
/// `plan` and `apply` check can be read before any change, reporting a missing one at `location`.
public struct ManifestReference: Hashable, Sendable {
    /// What the manifest uses the reference for.
    public enum Use: Hashable, Sendable {
        /// A TLS listener's certificate bundle (the load balancer's).
        case certificate
        /// The password of database group `database` (its containers).
        case databasePassword(database: String)
        /// The Rackspace Cloud Backup passphrase (the backup plans).
        case backupPassphrase
        /// The customer's SSH CA public key (every instance boots trusting it).
        case caPublicKey
        /// The operator's public key (`audit --verify` checks exposure changes with it).
        case operatorPublicKey
    }

    /// The manifest path, e.g. `loadBalancer.listeners[0].certificate`.
    public var path: String
    /// The reference as written.
    public var reference: SecretReference
    /// What it is for.
    public var use: Use
    /// Where the manifest names it (nil for a manifest built in code).
    public var location: SourceLocation?

    /// Creates a reference.
    public init(path: String, reference: SecretReference, use: Use, location: SourceLocation?) {
        self.path = path
        self.reference = reference
        self.use = use
        self.location = location
    }
}

extension PodManifest {
    /// Every `env:` and `file:` reference the manifest names (`kms:` keys stay in the cloud's key
    /// service and are not read), in manifest order; `locations` are the loader's value positions
    /// (`ManifestLoadResult.locations`).
    public func references(locations: [String: SourceLocation] = [:]) -> [ManifestReference] {
        var found: [ManifestReference] = []
        func add(_ path: String, _ text: String?, _ use: ManifestReference.Use) {
            guard let text, let reference = SecretReference(parsing: text) else { return }
            if case .keyService = reference { return }
            found.append(ManifestReference(path: path, reference: reference, use: use, location: locations[path]))
        }
        for (index, listener) in loadBalancer.listeners.enumerated() {
            add("loadBalancer.listeners[\(index)].certificate", listener.certificate, .certificate)
        }
        for (index, database) in databases.enumerated() {
            add("databases[\(index)].password", database.password?.description, .databasePassword(database: database.name))
        }
        add("backup.passphrase", backup.passphrase?.description, .backupPassphrase)
        add("access.caPublicKey", access.caPublicKey, .caPublicKey)
        add("access.operatorPublicKey", access.operatorPublicKey, .operatorPublicKey)
        return found.sorted { ($0.location?.line ?? 0, $0.path) < ($1.location?.line ?? 0, $1.path) }
    }
}
