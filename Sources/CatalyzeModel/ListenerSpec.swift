import CatalyzeCore

/// One load-balancer listener, as plans and lockfiles write it: `proto/port>targetPort`, e.g.
/// `https/443>8080` (the `listeners` attribute of a `load_balancer`, `;`-joined in manifest order).
///
/// The one parser and the one printer of that text: `DesiredState` encodes with `canonical`, each
/// driver reads the typed list back with `list(canonical:)` and reports what it finds the same way.
public struct ListenerSpec: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `http`, `https`, `tcp`, `tls`, `tls-passthrough` or `udp`.
    public var proto: String
    /// The port the balancer listens on.
    public var port: Int
    /// The instances' port traffic is forwarded to.
    public var targetPort: Int

    /// Creates a listener.
    public init(proto: String, port: Int, targetPort: Int) {
        self.proto = proto
        self.port = port
        self.targetPort = targetPort
    }

    /// Parses `proto/port>targetPort`; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let ports = parts[1].split(separator: ">").map { Int($0) }
        guard ports.count == 2, let port = ports[0], let target = ports[1] else { return nil }
        self.init(proto: parts[0].lowercased(), port: port, targetPort: target)
    }

    /// Parses a `;`-joined list, in its order.
    public static func list(canonical text: String) throws(MalformedSpecText) -> [ListenerSpec] {
        var listeners: [ListenerSpec] = []
        for entry in canonicalEntries(text) {
            guard let listener = ListenerSpec(parsing: entry) else {
                throw MalformedSpecText(what: "listener", text: entry, form: "proto/port>targetPort")
            }
            listeners.append(listener)
        }
        return listeners
    }

    /// The `;`-joined list, in the order given (the manifest's; a driver reading a balancer back sorts).
    public static func canonical(_ listeners: [ListenerSpec]) -> String {
        listeners.map(\.description).joined(separator: ";")
    }

    /// `proto/port>targetPort`.
    public var description: String { "\(proto)/\(port)>\(targetPort)" }

    /// Orders by canonical text.
    public static func < (lhs: ListenerSpec, rhs: ListenerSpec) -> Bool { lhs.description < rhs.description }

    /// True for listeners that terminate TLS and need a certificate.
    public var needsCertificate: Bool { proto == "https" || proto == "tls" }

    /// True for `tls-passthrough`: the balancer forwards the encrypted stream to the instances,
    /// which terminate TLS with a key catalyze never sees.
    public var isPassthrough: Bool { proto == ListenerProtocol.tlsPassthrough }
}
