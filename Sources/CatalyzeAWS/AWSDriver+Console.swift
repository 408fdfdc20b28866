import CatalyzeDrivers
import Foundation

extension AWSDriver: ConsoleReading {
    /// EC2 `GetConsoleOutput` (`InstanceId`): the reply's `output` is base64 of the console text; an
    /// instance without output yet answers without it (empty here).
    public func consoleOutput(cloudID: String, region: String) async throws -> String {
        let reply = try await client.query(.ec2, "GetConsoleOutput", region: region, ["InstanceId": cloudID])
        guard let encoded = reply.string("output"), !encoded.isEmpty else { return "" }
        guard let data = Data(base64Encoded: encoded.filter { !$0.isWhitespace }) else {
            throw DriverError.malformedResponse(service: "ec2", action: "GetConsoleOutput", detail: "output is not base64")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
