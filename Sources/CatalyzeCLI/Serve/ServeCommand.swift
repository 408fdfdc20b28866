import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeServe
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `catalyze serve`: the HTTP API for the platform's own services (paid customer access), and its tokens.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API for customer access (serve run, the default), and manage its tokens (serve token).",
        subcommands: [ServeRunCommand.self, ServeTokenCommand.self], defaultSubcommand: ServeRunCommand.self)
}

/// `catalyze serve [run]`: listens and answers until stopped.
struct ServeRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Serve the HTTP API that switches customer access to a pod's logging and monitoring (loopback or a Unix socket).",
        discussion: """
            Routes (docs/openapi.yaml): GET /v1/health; GET /v1/pods/POD/access; PUT /v1/pods/POD/access/logging \
            or .../monitoring with {"enabled": true, "cidrs": ["198.51.100.0/24"]}. A PUT runs the same switch as \
            `catalyze access expose|conceal` (the pod's state lock, one firewall-rule change, the signed audit \
            entry, the record beside the lockfile), and answers 409 naming the holder while another run (an \
            apply) holds the lock. Pod POD is the manifest DIR/POD/pod.yaml, its state where the CLI finds it \
            (catalyze.lock.json beside it, or its state.backend, or CATALYZE_BACKEND); the cloud credentials \
            come from this process's environment, as for apply. Every route but /v1/health needs \
            `Authorization: Bearer TOKEN` (serve token add); a request without a valid one gets 401 and an \
            api_denied entry in the server's audit log. Plain HTTP on loopback or a Unix socket only: put a TLS \
            terminator in front for anything else (README, "The HTTP API"). scripts/systemd/catalyze-serve.service is a \
            systemd unit for it.
            """)

    @Option(name: .customLong("manifests"), help: ArgumentHelp(
        "The folder of pods: DIR/POD/pod.yaml is pod POD's manifest, with its lockfile beside it.", valueName: "dir"),
        completion: .directory)
    var manifests: String?

    @Option(name: .customLong("listen"), help: ArgumentHelp(
        "The loopback address and port to listen on (port 0: any free one, printed at start).", valueName: "host:port"))
    var listen: String = "127.0.0.1:8470"

    @Option(name: .customLong("socket"), help: ArgumentHelp(
        "Listen on this Unix socket (mode 0660) instead of --listen.", valueName: "path"), completion: .file())
    var socket: String?

    @OptionGroup var tokenFile: ServeTokenOptions

    @Option(name: .customLong("audit-log"), help: ArgumentHelp(
        "The server's own audit log of refused requests (default: catalyze.serve.audit.jsonl beside the token file).",
        valueName: "file"), completion: .file())
    var auditLog: String?

    @Option(name: .customLong("rate-limit"), help: ArgumentHelp(
        "Requests a minute per token (also the burst allowed at once); over it: 429.", valueName: "n"))
    var rateLimit: Int = 60

    @Option(name: .customLong("lock-timeout"), help: "How long a PUT waits for a pod's lock before answering 409, e.g. 5s (default: answer at once).")
    var lockTimeout: String = "0s"

    @Option(name: .customLong("operator-key"), help: ArgumentHelp(
        "The private half of the pods' access.operatorPublicKey: signs the audit entries of changes (default: $CATALYZE_OPERATOR_KEY).",
        valueName: "file"), completion: .file())
    var operatorKey: String?

    @OptionGroup var network: NetworkOptions

    func validate() throws {
        guard manifests != nil else { throw ValidationError("missing --manifests <dir>: the folder of pods (<dir>/<pod>/pod.yaml)") }
        guard tokenFile.tokens != nil else { throw ValidationError("missing --tokens <file>: the API's token file (serve token add)") }
        if socket == nil {
            do { _ = try ListenAddress(parsing: listen) } catch { throw ValidationError("\(error)") }
        }
        guard (1...100_000).contains(rateLimit) else { throw ValidationError("--rate-limit \(rateLimit): give 1 to 100000 requests a minute") }
        guard TimeSpan(parsing: lockTimeout) != nil else {
            throw ValidationError("--lock-timeout '\(lockTimeout)' is not a duration such as 30s or 2m")
        }
    }

    func run() async throws {
        let folder = manifests!
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            printError("error: --manifests \(folder): no such folder")
            throw ExitCode.failure
        }
        let tokens = TokenFile(path: tokenFile.tokens!)
        do { _ = try tokens.entries() } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        let tokenFolder = (tokens.path as NSString).deletingLastPathComponent
        let denials = AuditLog(path: auditLog ?? ((tokenFolder.isEmpty ? "." : tokenFolder) + "/catalyze.serve.audit.jsonl"))
        var networkArguments: [String] = []
        if let connect = network.connectTimeout { networkArguments += ["--connect-timeout", connect] }
        if let request = network.requestTimeout { networkArguments += ["--request-timeout", request] }
        let pods = ServePods(folder: folder, operatorKey: operatorKey, lockTimeout: lockTimeout, networkArguments: networkArguments)
        let api = AccessAPI(
            tokens: tokens, limiter: RateLimiter(perMinute: rateLimit, burst: rateLimit), pods: pods, denials: denials,
            version: BuildInfo.version, log: { printError($0) })
        let address = try socket.map { ListenAddress.unix(path: $0) } ?? ListenAddress(parsing: listen)
        let server: HTTPServer
        do {
            server = try HTTPServer(address: address) { request, peer in await api.respond(to: request, peer: peer) }
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        // SIGTERM (systemd's stop) and SIGINT end it cleanly: the socket file goes, exit 0.
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                server.removeSocketFile()
                printError("catalyze serve: stopped")
                Glibc.exit(0)
            }
            source.resume()
            sources.append(source)
        }
        print("catalyze serve: listening on \(server.address) (pods: \(folder)/POD/pod.yaml)")
        flushOutput()
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                server.serve()
                finished.resume()
            }
            thread.start()
        }
        withExtendedLifetime(sources) {}
        printError("error: catalyze serve: the listening socket failed")
        throw ExitCode.failure
    }
}

/// `--tokens FILE`, shared by `serve` and `serve token …`.
struct ServeTokenOptions: ParsableArguments {
    @Option(name: .customLong("tokens"), help: ArgumentHelp(
        "The token file: names and SHA-256 hashes of the API's bearer tokens (mode 0600).", valueName: "file"),
        completion: .file(extensions: ["json"]))
    var tokens: String?
}
