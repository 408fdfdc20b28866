import CatalyzeCore

/// A driver that can read an instance's console output through its cloud's documented API (EC2
/// `GetConsoleOutput`, Nova `os-getConsoleOutput`): where a host publishes its SSH host keys at
/// boot (`ConsoleHostKeys`), so that `access push-krl` trusts the host the cloud says is there.
public protocol ConsoleReading: Sendable {
    /// The console output of instance or server `cloudID` in cloud region `region`, as text; empty
    /// when the cloud has none yet (a host still booting).
    func consoleOutput(cloudID: String, region: String) async throws -> String
}
