import Foundation

/// A throwaway TLS certificate bundle (self-signed certificate + its private key, PEM), as the
/// example manifests reference it (`certificate: file:certs/NAME.pem`).
public enum TLSBundle {
    /// Makes one key pair with `openssl` and writes the bundle as `folder/certs/NAME` for each name.
    public static func write(in folder: TemporaryDirectory, as names: [String]) async throws {
        try FileManager.default.createDirectory(atPath: folder.path("certs"), withIntermediateDirectories: true)
        let made = try await runCommand("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=acme.example", "-days", "2",
            "-keyout", folder.path("certs/key.pem"), "-out", folder.path("certs/cert.pem"),
        ])
        guard made.status == 0 else { throw TLSBundleError(detail: made.stderr) }
        let bundle = try String(contentsOfFile: folder.path("certs/cert.pem"), encoding: .utf8)
            + String(contentsOfFile: folder.path("certs/key.pem"), encoding: .utf8)
        for name in names { try bundle.write(toFile: folder.path("certs/\(name)"), atomically: true, encoding: .utf8) }
    }
}

/// `openssl req` failed.
public struct TLSBundleError: Error, CustomStringConvertible {
    /// What openssl said.
    public var detail: String
    public var description: String { "openssl req -x509 failed: \(detail)" }
}
