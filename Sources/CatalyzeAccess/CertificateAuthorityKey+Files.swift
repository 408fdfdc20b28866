import Foundation

extension CertificateAuthorityKey {
    /// Makes a new CA key pair and writes it: the private key to `path` (mode 0600, never overwriting)
    /// and the public key to `path.pub` (mode 0644). Returns the key pair.
    public static func create(at path: String, comment: String, using random: some RandomSource) throws -> CertificateAuthorityKey {
        let publicPath = path + ".pub"
        guard !FileManager.default.fileExists(atPath: publicPath) else { throw AccessError.fileExists(path: publicPath) }
        let key = try generate(comment: comment, using: random)
        try AtomicFile.writeNew(Array(OpenSSHPrivateKeyFormat.encode(key, using: random).utf8), to: path, mode: 0o600)
        try AtomicFile.writeNew(Array((key.publicKey.authorizedKeyLine + "\n").utf8), to: publicPath, mode: 0o644)
        return key
    }

    /// Reads the CA private key at `path`, refusing a file that group or others can read.
    public static func load(from path: String) throws -> CertificateAuthorityKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw AccessError.io(path: path, operation: "read the CA key", reason: String(cString: strerror(errno)))
        }
        let mode = UInt16(info.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw AccessError.caKeyTooOpen(path: path, mode: mode) }
        guard let bytes = try AtomicFile.read(path) else {
            throw AccessError.io(path: path, operation: "read the CA key", reason: "no such file")
        }
        return try OpenSSHPrivateKeyFormat.decode(String(decoding: bytes, as: UTF8.self), source: path)
    }
}

extension SSHPublicKey {
    /// Reads a one-line `.pub` file.
    public static func load(from path: String) throws -> SSHPublicKey {
        guard let bytes = try AtomicFile.read(path) else {
            throw AccessError.io(path: path, operation: "read the public key", reason: "no such file")
        }
        let line = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return try SSHPublicKey(authorizedKeyLine: line, source: path)
    }
}
