import ArgumentParser
import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// How long a command waits on the clouds' endpoints: flag, else environment, else the default.
struct NetworkOptions: ParsableArguments {
    @Option(
        name: .customLong("connect-timeout"),
        help: ArgumentHelp(
            "How long to wait for a cloud endpoint to accept a connection, TLS included (default: CATALYZE_CONNECT_TIMEOUT, else 10s).",
            valueName: "duration"))
    var connectTimeout: String?

    @Option(
        name: .customLong("request-timeout"),
        help: ArgumentHelp(
            "How long one cloud request may wait for its whole answer (default: CATALYZE_REQUEST_TIMEOUT, else 30s). A request that times out is retried once when that is safe, so a silent endpoint fails within twice this.",
            valueName: "duration"))
    var requestTimeout: String?

    func validate() throws {
        for (flag, value) in [("--connect-timeout", connectTimeout), ("--request-timeout", requestTimeout)] {
            if let value, Self.seconds(value) == nil {
                throw ValidationError("\(flag) '\(value)' is not a duration of at least one second, such as 30s or 2m")
            }
        }
    }

    /// The timeouts to use; an unreadable environment value is an error naming the variable.
    func timeouts(environment: [String: String]) throws -> NetworkTimeouts {
        try Self.timeouts(connect: connectTimeout, request: requestTimeout, environment: environment)
    }

    /// The timeouts of the flags' values `connect` and `request` (nil: not given), else the
    /// environment's, else the defaults.
    static func timeouts(connect connectTimeout: String?, request requestTimeout: String?, environment: [String: String]) throws -> NetworkTimeouts {
        var timeouts = NetworkTimeouts.standard
        for (flag, variable, value) in [
            ("--connect-timeout", "CATALYZE_CONNECT_TIMEOUT", connectTimeout),
            ("--request-timeout", "CATALYZE_REQUEST_TIMEOUT", requestTimeout),
        ] {
            let text: String
            if let value {
                text = value
            } else if let value = environment[variable], !value.isEmpty {
                text = value
            } else {
                continue
            }
            guard let seconds = Self.seconds(text) else {
                let source = value != nil ? flag : variable
                throw ValidationError("\(source) '\(text)' is not a duration of at least one second, such as 30s or 2m")
            }
            if variable == "CATALYZE_CONNECT_TIMEOUT" { timeouts.connect = seconds } else { timeouts.request = seconds }
        }
        return timeouts
    }

    private static func seconds(_ text: String) -> TimeInterval? {
        guard let span = TimeSpan(parsing: text), span.seconds >= 1 else { return nil }
        return TimeInterval(span.seconds)
    }
}
