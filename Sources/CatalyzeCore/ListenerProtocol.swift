/// Listener protocol names shared by the manifest and the drivers.
public enum ListenerProtocol {
    /// TLS passed through the load balancer to the containers, which hold the key and terminate it
    /// (the manifest's `protocol: tls-passthrough`, the plan's `tls-passthrough/443>8443`).
    public static let tlsPassthrough = "tls-passthrough"
}
