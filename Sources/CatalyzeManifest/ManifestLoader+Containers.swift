import CatalyzeCore
import Yams

extension ManifestLoader {
    static func readSize(_ node: Node, path: String, _ r: NodeReader) -> ContainerSize? {
        if node.scalar != nil {
            let names = ContainerSize.named.map(\.0)
            guard let word = r.word(node, path: path, among: names) else { return nil }
            return ContainerSize.named.first { $0.0 == word }!.1
        }
        guard let f = r.fields(node, path: path, known: ["vcpu", "memory"], required: ["vcpu", "memory"]) else { return nil }
        let vcpu = f["vcpu"].flatMap { r.int($0, path: f.path("vcpu"), range: 1...448) }
        let memory = f["memory"].flatMap { r.byteSize($0, path: f.path("memory")) }
        guard let vcpu, let memory else { return nil }
        return ContainerSize(vcpu: vcpu, memory: memory)
    }

    private static func readRegionNames(_ node: Node?, path: String, _ r: NodeReader) -> [String] {
        guard let node, let items = r.list(node, path: path) else { return [] }
        return items.enumerated().compactMap { index, item in
            r.record("\(path)[\(index)]", item)
            return r.string(item, path: "\(path)[\(index)]")
        }
    }

    static func readApps(_ node: Node, _ r: NodeReader) -> [AppGroup]? {
        guard let items = r.list(node, path: "apps") else { return nil }
        if items.isEmpty { r.report(.invalidValue(path: "apps", value: "[]", expected: "at least one app group"), at: node) }
        return items.enumerated().compactMap { index, item -> AppGroup? in
            let path = "apps[\(index)]"
            guard let f = r.fields(item, path: path, known: ["name", "replicas", "size", "image", "port", "regions"],
                                   required: ["name", "image"]) else { return nil }
            let name = value(f["name"], f["name"]?.scalar?.string ?? "") { r.name($0, path: f.path("name"), maxLength: 20) }
            let replicas = value(f["replicas"], 2) { r.int($0, path: f.path("replicas"), range: 1...99) }
            let size = value(f["size"], ContainerSize.named[1].1) { readSize($0, path: f.path("size"), r) }
            let image = value(f["image"], "") { r.string($0, path: f.path("image")) }
            let port = value(f["port"], 8080) { r.port($0, path: f.path("port")) }
            let regions = readRegionNames(f["regions"], path: f.path("regions"), r)
            return AppGroup(name: name, replicas: replicas, size: size, image: image, port: port, regions: regions)
        }
    }

    static func readDatabases(_ node: Node, _ r: NodeReader) -> [DatabaseGroup]? {
        guard let items = r.list(node, path: "databases") else { return nil }
        let keys = ["name", "engine", "version", "replicas", "size", "storage", "password", "regions"]
        return items.enumerated().compactMap { index, item -> DatabaseGroup? in
            let path = "databases[\(index)]"
            guard let f = r.fields(item, path: path, known: keys, required: ["name", "engine", "storage"]) else { return nil }
            let name = value(f["name"], f["name"]?.scalar?.string ?? "") { r.name($0, path: f.path("name"), maxLength: 20) }
            let engine = value(f["engine"], "postgres") { r.word($0, path: f.path("engine"), among: ["postgres", "mysql"]) }
            let version = value(f["version"], "16") { r.string($0, path: f.path("version"), allowNumbers: true) }
            let replicas = value(f["replicas"], 1) { r.int($0, path: f.path("replicas"), range: 1...9) }
            let size = value(f["size"], ContainerSize.named[2].1) { readSize($0, path: f.path("size"), r) }
            var storage = ByteSize(bytes: 100 << 30)
            var encrypted = true
            if let n = f["storage"], let s = r.fields(n, path: f.path("storage"), known: ["size", "encrypted"], required: ["size"]) {
                storage = value(s["size"], storage) { r.byteSize($0, path: s.path("size")) }
                encrypted = value(s["encrypted"], true) { r.bool($0, path: s.path("encrypted")) }
            }
            // An inline password is reported by InlineSecretScan with its position.
            let password = f["password"].flatMap { r.string($0, path: f.path("password")) }.flatMap(SecretReference.init(parsing:))
            let regions = readRegionNames(f["regions"], path: f.path("regions"), r)
            return DatabaseGroup(
                name: name, engine: engine, engineVersion: version, replicas: replicas, size: size, storage: storage,
                encrypted: encrypted, password: password, regions: regions)
        }
    }

    static func readAPI(_ node: Node, _ r: NodeReader) -> APIContainer? {
        guard let f = r.fields(node, path: "api", known: ["replicas", "size", "port"]) else { return nil }
        let replicas = value(f["replicas"], 1) { r.int($0, path: f.path("replicas"), range: 1...99) }
        let size = value(f["size"], ContainerSize.named[0].1) { readSize($0, path: f.path("size"), r) }
        let port = value(f["port"], 8443) { r.port($0, path: f.path("port")) }
        return APIContainer(replicas: replicas, size: size, port: port)
    }

    static func readCustomerAccess(_ node: Node?, path: String, _ r: NodeReader) -> CustomerAccess? {
        guard let node else { return CustomerAccess(enabled: false, cidrs: []) }
        guard let f = r.fields(node, path: path, known: ["enabled", "cidrs"], required: ["enabled"]) else { return nil }
        let enabled = value(f["enabled"], false) { r.bool($0, path: f.path("enabled")) }
        let cidrs = value(f["cidrs"], []) { r.cidrs($0, path: f.path("cidrs")) }
        if enabled && cidrs.isEmpty {
            r.report(.missingKey(path: path, key: "cidrs"), at: node)
            return nil
        }
        return CustomerAccess(enabled: enabled, cidrs: cidrs)
    }

    static let defaultLogging = LoggingContainer(
        size: ContainerSize.named[0].1, port: 9200, path: "/logs", retention: TimeSpan(seconds: 90 * 86_400),
        customerAccess: CustomerAccess(enabled: false, cidrs: []), enabled: true)

    static func readLogging(_ node: Node, _ r: NodeReader) -> LoggingContainer? {
        let keys = ["enabled", "size", "endpoint", "retention", "customerAccess"]
        guard let f = r.fields(node, path: "logging", known: keys) else { return nil }
        var logging = defaultLogging
        let enabled = value(f["enabled"], true) { r.bool($0, path: f.path("enabled")) }
        let size = value(f["size"], logging.size) { readSize($0, path: f.path("size"), r) }
        let retention = value(f["retention"], logging.retention) { r.timeSpan($0, path: f.path("retention")) }
        let access = readCustomerAccess(f["customerAccess"], path: f.path("customerAccess"), r) ?? logging.customerAccess
        if let n = f["endpoint"] {
            if let e = r.fields(n, path: f.path("endpoint"), known: ["port", "path"]) {
                if let p = e["port"] { if let v = r.port(p, path: e.path("port")) { logging.port = v } }
                if let p = e["path"] { if let v = r.string(p, path: e.path("path")) { logging.path = v } }
            }
        }
        logging.enabled = enabled
        logging.size = size
        logging.retention = retention
        logging.customerAccess = access
        return logging
    }

    static let defaultMonitoring = MonitoringContainer(
        size: ContainerSize.named[0].1, port: 9090, customerAccess: CustomerAccess(enabled: false, cidrs: []), enabled: true)

    static func readMonitoring(_ node: Node, _ r: NodeReader) -> MonitoringContainer? {
        guard let f = r.fields(node, path: "monitoring", known: ["enabled", "size", "port", "customerAccess"]) else { return nil }
        let enabled = value(f["enabled"], true) { r.bool($0, path: f.path("enabled")) }
        let size = value(f["size"], defaultMonitoring.size) { readSize($0, path: f.path("size"), r) }
        let port = value(f["port"], defaultMonitoring.port) { r.port($0, path: f.path("port")) }
        let access = readCustomerAccess(f["customerAccess"], path: f.path("customerAccess"), r) ?? defaultMonitoring.customerAccess
        return MonitoringContainer(size: size, port: port, customerAccess: access, enabled: enabled)
    }

    static let defaultBackup = Backup(
        enabled: true, interval: TimeSpan(seconds: 86_400), retention: TimeSpan(seconds: 30 * 86_400), region: nil)

    static func readBackup(_ node: Node, _ r: NodeReader) -> Backup? {
        let keys = ["enabled", "interval", "retention", "region", "passphrase"]
        guard let f = r.fields(node, path: "backup", known: keys) else { return nil }
        let enabled = value(f["enabled"], true) { r.bool($0, path: f.path("enabled")) }
        let interval = value(f["interval"], defaultBackup.interval) { r.timeSpan($0, path: f.path("interval")) }
        let retention = value(f["retention"], defaultBackup.retention) { r.timeSpan($0, path: f.path("retention")) }
        let region = f["region"].flatMap { r.string($0, path: f.path("region")) }
        // An inline passphrase is reported by InlineSecretScan with its position; a key-service
        // reference cannot work: Cloud Backup needs the passphrase itself, to seal it to its agent.
        var passphrase: SecretReference?
        if let n = f["passphrase"], let text = r.string(n, path: f.path("passphrase")) {
            switch SecretReference(parsing: text) {
            case .environment?, .file?: passphrase = SecretReference(parsing: text)
            case .keyService?: r.report(.invalidValue(path: f.path("passphrase"), value: text, expected: "env:NAME or file:PATH"), at: n)
            case nil:
                // Anything else that is not already reported as an inline secret (a provider id).
                if InlineSecretScan.isReference(text) {
                    r.report(.invalidValue(path: f.path("passphrase"), value: text, expected: "env:NAME or file:PATH"), at: n)
                }
            }
        }
        return Backup(enabled: enabled, interval: interval, retention: retention, region: region, passphrase: passphrase)
    }

    static let defaultAccess = AccessPolicy(
        maxTTL: TimeSpan(seconds: 8 * 3_600), emergencyMaxTTL: TimeSpan(seconds: 3_600), caPublicKey: nil)

    static func readAccess(_ node: Node, _ r: NodeReader) -> AccessPolicy? {
        guard let f = r.fields(node, path: "access", known: ["maxTtl", "emergencyMaxTtl", "caPublicKey", "operatorPublicKey"]) else { return nil }
        let maxTTL = value(f["maxTtl"], defaultAccess.maxTTL) { r.timeSpan($0, path: f.path("maxTtl")) }
        let emergency = value(f["emergencyMaxTtl"], defaultAccess.emergencyMaxTTL) { r.timeSpan($0, path: f.path("emergencyMaxTtl")) }
        let ca = f["caPublicKey"].flatMap { r.string($0, path: f.path("caPublicKey")) }
        let operatorKey = f["operatorPublicKey"].flatMap { r.string($0, path: f.path("operatorPublicKey")) }
        return AccessPolicy(maxTTL: maxTTL, emergencyMaxTTL: emergency, caPublicKey: ca, operatorPublicKey: operatorKey)
    }
}
