import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel

/// One container of the pod in one region: what becomes one instance on one physical host.
public struct ContainerSlot: Hashable, Sendable {
    /// The manifest region's name, e.g. `primary`.
    public var region: String
    /// Container name, e.g. `app01`, `db02`, `api01`, `logging01`.
    public var name: String
    /// `app`, `db`, `api`, `logging` or `monitoring`.
    public var role: String
    /// The anti-affinity group, e.g. `acme-prod/primary/app`: members never share a physical host.
    public var group: String
    /// vCPUs.
    public var vcpu: Int
    /// Memory in MiB.
    public var memoryMiB: Int
    /// The service port.
    public var port: Int
    /// The container image it runs.
    public var image: String
    /// Block storage for database containers.
    public var storageGiB: Int?
    /// Encrypt that storage.
    public var encrypted: Bool

    /// The instance's address.
    public var address: ResourceAddress { ResourceAddress(region: region, kind: .instance, name: name) }
}

/// The containers a manifest asks for, region by region, in a stable order.
public enum PodLayout {
    /// Every container slot of the pod: apps, databases, api, logging and monitoring (each when
    /// enabled), in every region they run in.
    public static func slots(_ manifest: PodManifest) -> [ContainerSlot] {
        var slots: [ContainerSlot] = []
        let pod = manifest.pod.name
        for region in manifest.regions {
            func add(_ group: String, role: String, count: Int, size: ContainerSize, port: Int, image: String,
                     storage: ByteSize? = nil, encrypted: Bool = false) {
                for index in 1...count {
                    slots.append(ContainerSlot(
                        region: region.name, name: group + (index < 10 ? "0\(index)" : "\(index)"), role: role,
                        group: "\(pod)/\(region.name)/\(group)", vcpu: size.vcpu, memoryMiB: size.memory.mebibytes,
                        port: port, image: image, storageGiB: storage?.gibibytesRoundedUp, encrypted: encrypted))
                }
            }
            for app in manifest.apps where app.regions.isEmpty || app.regions.contains(region.name) {
                add(app.name, role: "app", count: app.replicas, size: app.size, port: app.port, image: app.image)
            }
            for db in manifest.databases where db.regions.isEmpty || db.regions.contains(region.name) {
                let port = db.engine == "mysql" ? 3306 : 5432
                add(db.name, role: "db", count: db.replicas, size: db.size, port: port,
                    image: "\(db.engine):\(db.engineVersion)", storage: db.storage,
                    encrypted: db.encrypted && manifest.encryption.enabled)
            }
            add("api", role: "api", count: manifest.api.replicas, size: manifest.api.size, port: manifest.api.port,
                image: "catalyze/consumer-api:1")
            // Logging and monitoring run on every pod that keeps them (always under `hipaa`); a `dev`
            // pod that turns one off does not pay for its container.
            if manifest.logging.enabled {
                add("logging", role: "logging", count: 1, size: manifest.logging.size, port: manifest.logging.port,
                    image: "catalyze/logging:1")
            }
            if manifest.monitoring.enabled {
                add("monitoring", role: "monitoring", count: 1, size: manifest.monitoring.size,
                    port: manifest.monitoring.port, image: "catalyze/monitoring:1")
            }
        }
        return slots
    }
}
