import CatalyzeCore
import CatalyzeModel
import Yams

extension ManifestLoader {
    /// The value read from `node`, or `fallback` when absent or invalid (the reader has reported why).
    /// Reading on past a bad value is what lets one run report every problem.
    static func value<T>(_ node: Node?, _ fallback: T, _ read: (Node) -> T?) -> T {
        node.flatMap(read) ?? fallback
    }

    static func readManifest(_ root: Node, _ r: NodeReader) -> PodManifest? {
        guard let top = r.fields(root, path: "", known: topLevelKeys, required: ["version", "pod", "profile", "regions", "apps"])
        else { return nil }
        if let node = top["version"] {
            if node.tagName == .str, node.scalar?.string == "1" {
                r.report(.versionNotANumber(found: "1"), at: node)
            } else if node.tagName != .int || node.int != 1 {
                r.report(.unsupportedVersion(found: node.scalar?.string ?? r.describe(node)), at: node)
            }
        }
        let pod = value(top["pod"], PodMetadata(name: "", customer: "")) { readPod($0, r) }
        let profile = value(top["profile"], .hipaa) { r.choice($0, path: "profile", as: Profile.self) }
        let regions = value(top["regions"], []) { readRegions($0, r) }
        let scheduling = value(top["scheduling"], defaultScheduling) { readScheduling($0, r) }
        let network = value(top["network"], defaultNetwork) { readNetwork($0, r) }
        let firewall = value(top["firewall"], Firewall(vpn: nil, ingress: [])) { readFirewall($0, r) }
        let apps = value(top["apps"], []) { readApps($0, r) }
        let firstAppPort = apps.first?.port ?? 8080
        let loadBalancer = value(top["loadBalancer"], defaultLoadBalancer(appPort: firstAppPort)) {
            readLoadBalancer($0, r, appPort: firstAppPort)
        }
        let encryption = value(top["encryption"], Encryption(enabled: true, key: nil)) { readEncryption($0, r) }
        let databases = value(top["databases"], []) { readDatabases($0, r) }
        let api = value(top["api"], APIContainer(replicas: 1, size: ContainerSize.named[0].1, port: 8443)) { readAPI($0, r) }
        let logging = value(top["logging"], defaultLogging) { readLogging($0, r) }
        let monitoring = value(top["monitoring"], defaultMonitoring) { readMonitoring($0, r) }
        let backup = value(top["backup"], defaultBackup) { readBackup($0, r) }
        let access = value(top["access"], defaultAccess) { readAccess($0, r) }
        let state = value(top["state"], StateSettings()) { readState($0, r) }

        return PodManifest(
            version: 1, pod: pod, profile: profile, regions: regions, scheduling: scheduling, network: network,
            firewall: firewall, loadBalancer: loadBalancer, encryption: encryption, apps: apps, databases: databases,
            api: api, logging: logging, monitoring: monitoring, backup: backup, access: access, state: state)
    }

    static func readPod(_ node: Node, _ r: NodeReader) -> PodMetadata? {
        guard let f = r.fields(node, path: "pod", known: ["name", "customer"], required: ["name", "customer"]) else { return nil }
        let name = value(f["name"], "") { r.name($0, path: f.path("name")) }
        let customer = value(f["customer"], "") { r.string($0, path: f.path("customer")) }
        return PodMetadata(name: name, customer: customer)
    }

    static func readRegions(_ node: Node, _ r: NodeReader) -> [RegionSpec]? {
        guard let items = r.list(node, path: "regions") else { return nil }
        if items.isEmpty { r.report(.regionLayout(reason: "at least one region is required"), at: node) }
        return items.enumerated().compactMap { index, item -> RegionSpec? in
            let path = "regions[\(index)]"
            guard let f = r.fields(item, path: path, known: ["name", "provider", "region", "role", "zones", "network"],
                                   required: ["name", "provider", "region"]) else { return nil }
            // An invalid name still defines the region (by its text), so references to it don't cascade.
            let name = value(f["name"], f["name"]?.scalar?.string ?? "") { r.name($0, path: f.path("name"), maxLength: 20) }
            let provider = value(f["provider"], .aws) { r.choice($0, path: f.path("provider"), as: Provider.self) }
            let region = value(f["region"], "") { r.string($0, path: f.path("region")) }
            let role = value(f["role"], .primary) { r.choice($0, path: f.path("role"), as: RegionRole.self) }
            let zones = value(f["zones"], []) { z in
                r.list(z, path: f.path("zones")).map { $0.enumerated().compactMap { r.string($1, path: f.path("zones[\($0)]")) } }
            }
            let network = f["network"].flatMap { readNetworkReference($0, r, path: f.path("network")) }
            return RegionSpec(name: name, provider: provider, cloudRegion: region, role: role, zones: zones, network: network)
        }
    }

    /// `network: { vpc: vpc-…, subnets: [subnet-…, …] }` of a region: an existing VPC to use.
    static func readNetworkReference(_ node: Node, _ r: NodeReader, path: String) -> NetworkReference? {
        guard let f = r.fields(node, path: path, known: ["vpc", "subnets"], required: ["vpc", "subnets"]) else { return nil }
        let vpc = f["vpc"].flatMap { r.string($0, path: f.path("vpc")) }
        let subnets = f["subnets"].flatMap { n in
            r.list(n, path: f.path("subnets")).map { $0.enumerated().compactMap { r.string($1, path: f.path("subnets[\($0)]")) } }
        }
        guard let vpc, let subnets else { return nil }
        return NetworkReference(vpc: vpc, subnets: subnets)
    }

    /// Every key absent: the documented defaults (`PlacementDefaults`, shared with the scheduler).
    static let defaultScheduling = Scheduling(
        antiAffinity: .required, preferredPenalty: PlacementDefaults.preferredPenalty,
        maxMetricAge: TimeSpan(seconds: PlacementDefaults.maxMetricAgeSeconds),
        weights: .init(
            cpu: PlacementDefaults.cpuWeight, memory: PlacementDefaults.memoryWeight, freeVcpu: PlacementDefaults.freeVCPUWeight,
            freeMemory: PlacementDefaults.freeMemoryWeight),
        minimums: .init(
            cpuHeadroomPercent: PlacementDefaults.cpuHeadroomPercent, memoryHeadroomPercent: PlacementDefaults.memoryHeadroomPercent,
            freeVcpuPercent: PlacementDefaults.freeVCPUPercent, freeMemoryPercent: PlacementDefaults.freeMemoryPercent))

    static func readScheduling(_ node: Node, _ r: NodeReader) -> Scheduling? {
        let keys = ["antiAffinity", "preferredPenalty", "maxMetricAge", "weights", "minimums"]
        guard let f = r.fields(node, path: "scheduling", known: keys) else { return nil }
        var s = defaultScheduling
        var ok = true
        func take<T>(_ value: T?, _ assign: (T) -> Void) { if let value { assign(value) } else { ok = false } }
        if let n = f["antiAffinity"] { take(r.choice(n, path: f.path("antiAffinity"), as: AntiAffinityMode.self)) { s.antiAffinity = $0 } }
        if let n = f["preferredPenalty"] { take(r.double(n, path: f.path("preferredPenalty"), range: 0...10)) { s.preferredPenalty = $0 } }
        if let n = f["maxMetricAge"] { take(r.timeSpan(n, path: f.path("maxMetricAge"))) { s.maxMetricAge = $0 } }
        if let n = f["weights"], let w = r.fields(n, path: f.path("weights"), known: ["cpu", "memory", "freeVcpu", "freeMemory"]) {
            if let n = w["cpu"] { take(r.double(n, path: w.path("cpu"), range: 0...100)) { s.weights.cpu = $0 } }
            if let n = w["memory"] { take(r.double(n, path: w.path("memory"), range: 0...100)) { s.weights.memory = $0 } }
            if let n = w["freeVcpu"] { take(r.double(n, path: w.path("freeVcpu"), range: 0...100)) { s.weights.freeVcpu = $0 } }
            if let n = w["freeMemory"] { take(r.double(n, path: w.path("freeMemory"), range: 0...100)) { s.weights.freeMemory = $0 } }
        } else if f["weights"] != nil { ok = false }
        let minimumKeys = ["cpuHeadroomPercent", "memoryHeadroomPercent", "freeVcpuPercent", "freeMemoryPercent"]
        if let n = f["minimums"], let m = r.fields(n, path: f.path("minimums"), known: minimumKeys) {
            if let n = m["cpuHeadroomPercent"] { take(r.double(n, path: m.path("cpuHeadroomPercent"), range: 0...100)) { s.minimums.cpuHeadroomPercent = $0 } }
            if let n = m["memoryHeadroomPercent"] { take(r.double(n, path: m.path("memoryHeadroomPercent"), range: 0...100)) { s.minimums.memoryHeadroomPercent = $0 } }
            if let n = m["freeVcpuPercent"] { take(r.double(n, path: m.path("freeVcpuPercent"), range: 0...100)) { s.minimums.freeVcpuPercent = $0 } }
            if let n = m["freeMemoryPercent"] { take(r.double(n, path: m.path("freeMemoryPercent"), range: 0...100)) { s.minimums.freeMemoryPercent = $0 } }
        } else if f["minimums"] != nil { ok = false }
        return ok ? s : nil
    }

    static let defaultNetwork: NetworkSettings = {
        let cidr = CIDR(parsing: "10.40.0.0/16")!
        return NetworkSettings(cidr: cidr, subnetCidr: cidr.firstSubnet)
    }()

    static func readNetwork(_ node: Node, _ r: NodeReader) -> NetworkSettings? {
        guard let f = r.fields(node, path: "network", known: ["cidr", "subnetCidr"], required: ["cidr"]) else { return nil }
        guard let cidr = f["cidr"].flatMap({ r.cidr($0, path: f.path("cidr")) }) else { return nil }
        if let n = f["subnetCidr"] {
            guard let subnet = r.cidr(n, path: f.path("subnetCidr")) else { return nil }
            return NetworkSettings(cidr: cidr, subnetCidr: subnet)
        }
        return NetworkSettings(cidr: cidr, subnetCidr: cidr.firstSubnet)
    }

    static func readFirewall(_ node: Node, _ r: NodeReader) -> Firewall? {
        guard let f = r.fields(node, path: "firewall", known: ["vpn", "ingress"]) else { return nil }
        var vpn: VPN?
        var ok = true
        if let n = f["vpn"] {
            if let v = r.fields(n, path: f.path("vpn"), known: ["peer", "remoteCidrs"], required: ["peer", "remoteCidrs"]) {
                let peer = v["peer"].flatMap { node -> String? in
                    guard let text = r.string(node, path: v.path("peer")) else { return nil }
                    guard CIDR.parseIPv4(text) != nil else {
                        r.report(.invalidValue(path: v.path("peer"), value: text, expected: "an IPv4 address"), at: node)
                        return nil
                    }
                    return text
                }
                let remote = v["remoteCidrs"].flatMap { r.cidrs($0, path: v.path("remoteCidrs")) }
                if let peer, let remote { vpn = VPN(peer: peer, remoteCidrs: remote) } else { ok = false }
            } else { ok = false }
        }
        var rules: [IngressRule] = []
        if let n = f["ingress"] {
            if let items = r.list(n, path: f.path("ingress")) {
                for (index, item) in items.enumerated() {
                    let path = f.path("ingress[\(index)]")
                    guard let rf = r.fields(item, path: path, known: ["name", "protocol", "ports", "cidrs"],
                                            required: ["name", "ports", "cidrs"]) else { ok = false; continue }
                    let name = rf["name"].flatMap { r.name($0, path: rf.path("name")) }
                    let proto = value(rf["protocol"], "tcp") { r.word($0, path: rf.path("protocol"), among: ["tcp", "udp"]) }
                    let ports = rf["ports"].flatMap { r.portRange($0, path: rf.path("ports")) }
                    let cidrs = rf["cidrs"].flatMap { r.cidrs($0, path: rf.path("cidrs")) }
                    if let name, let ports, let cidrs {
                        rules.append(IngressRule(name: name, proto: proto, ports: ports, cidrs: cidrs))
                    } else { ok = false }
                }
            } else { ok = false }
        }
        return ok ? Firewall(vpn: vpn, ingress: rules) : nil
    }

    static func defaultLoadBalancer(appPort: Int) -> LoadBalancer {
        LoadBalancer(
            type: "application", scheme: "internet-facing",
            listeners: [Listener(proto: "http", port: 80, targetPort: appPort, certificate: nil)],
            healthCheck: HealthCheck(proto: "http", path: "/healthz", port: appPort, interval: TimeSpan(seconds: 30)))
    }

    static func readLoadBalancer(_ node: Node, _ r: NodeReader, appPort: Int) -> LoadBalancer? {
        guard let f = r.fields(node, path: "loadBalancer", known: ["type", "scheme", "listeners", "healthCheck"],
                               required: ["listeners"]) else { return nil }
        var lb = defaultLoadBalancer(appPort: appPort)
        var ok = true
        if let n = f["type"] { if let v = r.word(n, path: f.path("type"), among: ["application", "network"]) { lb.type = v } else { ok = false } }
        if let n = f["scheme"] { if let v = r.word(n, path: f.path("scheme"), among: ["internet-facing", "internal"]) { lb.scheme = v } else { ok = false } }
        if let n = f["listeners"], let items = r.list(n, path: f.path("listeners")) {
            lb.listeners = []
            for (index, item) in items.enumerated() {
                let path = f.path("listeners[\(index)]")
                guard let lf = r.fields(item, path: path, known: ["protocol", "port", "targetPort", "certificate"],
                                        required: ["protocol", "port"]) else { ok = false; continue }
                let proto = lf["protocol"].flatMap { r.word($0, path: lf.path("protocol"), among: ["https", "tls", ListenerProtocol.tlsPassthrough, "http", "tcp"]) }
                let port = lf["port"].flatMap { r.port($0, path: lf.path("port")) }
                let target = value(lf["targetPort"], appPort) { r.port($0, path: lf.path("targetPort")) }
                let certificate = lf["certificate"].flatMap { r.string($0, path: lf.path("certificate")) }
                if let proto, let port {
                    lb.listeners.append(Listener(proto: proto, port: port, targetPort: target, certificate: certificate))
                } else { ok = false }
            }
        } else { ok = false }
        // The containers behind a TLS-passthrough listener speak TLS: the check connects (tcp)
        // unless the manifest says otherwise (and ListenerRule refuses http then).
        let checkProtocol = lb.listeners.contains(where: \.isPassthrough) ? "tcp" : "http"
        lb.healthCheck.proto = checkProtocol
        if let n = f["healthCheck"] {
            if let h = r.fields(n, path: f.path("healthCheck"), known: ["protocol", "path", "port", "interval"]) {
                let proto = value(h["protocol"], checkProtocol) { r.word($0, path: h.path("protocol"), among: ["http", "https", "tcp"]) }
                let path = value(h["path"], "/healthz") { r.string($0, path: h.path("path")) }
                let port = value(h["port"], appPort) { r.port($0, path: h.path("port")) }
                let interval = value(h["interval"], TimeSpan(seconds: 30)) { r.timeSpan($0, path: h.path("interval")) }
                if !path.hasPrefix("/") {
                    r.report(.invalidValue(path: h.path("path"), value: path, expected: "a path starting with /"), at: h["path"]!)
                    ok = false
                }
                lb.healthCheck = HealthCheck(proto: proto, path: path, port: port, interval: interval)
            } else { ok = false }
        }
        return ok ? lb : nil
    }

    static func readEncryption(_ node: Node, _ r: NodeReader) -> Encryption? {
        guard let f = r.fields(node, path: "encryption", known: ["enabled", "key", "volumeType", "keyAdministrators"]) else { return nil }
        let enabled = value(f["enabled"], true) { r.bool($0, path: f.path("enabled")) }
        let key = f["key"].flatMap { r.string($0, path: f.path("key")) }
        let volumeType = f["volumeType"].flatMap { r.string($0, path: f.path("volumeType")) }
        var administrators: [String] = []
        if let listNode = f["keyAdministrators"], let items = r.list(listNode, path: f.path("keyAdministrators")) {
            for (index, item) in items.enumerated() {
                let path = "\(f.path("keyAdministrators"))[\(index)]"
                guard let text = r.string(item, path: path) else { continue }
                guard IAMPrincipalARN.isValid(text) else {
                    r.report(.invalidValue(path: path, value: text, expected: IAMPrincipalARN.expected), at: item)
                    continue
                }
                administrators.append(text)
            }
        }
        return Encryption(enabled: enabled, key: key, volumeType: volumeType, keyAdministrators: administrators)
    }

    /// `state: { backend: URL }`: the URL parsed here, so a malformed one is an error at its position.
    static func readState(_ node: Node, _ r: NodeReader) -> StateSettings? {
        guard let f = r.fields(node, path: "state", known: ["backend"]) else { return nil }
        guard let backendNode = f["backend"], let text = r.string(backendNode, path: f.path("backend")) else {
            return StateSettings()
        }
        do {
            return StateSettings(backend: try StateBackendURL.parse(text))
        } catch {
            r.report(.invalidBackendURL(path: f.path("backend"), part: error.part, problem: error.problem), at: backendNode)
            return nil
        }
    }
}
