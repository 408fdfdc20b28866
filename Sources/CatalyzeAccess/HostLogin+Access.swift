import CatalyzeCore

extension HostLogin {
    /// The host configuration for one container: certificates from `ca` for `principal` only,
    /// with the current `revocationList`.
    public init(
        ca: SSHPublicKey, principal: Principal, loginUser: String = HostLogin.defaultLoginUser,
        revocationList: [UInt8], directory: String = HostLogin.defaultDirectory
    ) throws(HostLogin.Invalid) {
        try self.init(
            caPublicKey: ca.authorizedKeyLine, principals: [principal.name], loginUser: loginUser,
            revocationList: revocationList, directory: directory)
    }
}
