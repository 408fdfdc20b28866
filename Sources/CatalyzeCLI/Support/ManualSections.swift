import ArgumentParser

/// The sections of `man catalyze` that ArgumentParser's manual generator does not write: EXIT
/// STATUS, ENVIRONMENT, FILES and EXAMPLES, in mdoc. `scripts/generate-docs.sh` prints them with
/// the hidden `catalyze --generate-manual-sections` and puts them in place of the generator's
/// generic EXIT STATUS; `DocsFreshnessTests` checks that man/catalyze.1 holds them as written here.
enum ManualSections {
    /// One exit status and what it means: the single rule every command follows.
    struct ExitStatus {
        let code: Int32
        let meaning: String
    }

    /// The exit-code rule (also in README, "Conventions scripts rely on").
    static let exitStatuses: [ExitStatus] = [
        ExitStatus(code: ExitCode.success.rawValue, meaning: "Success; also for --help, -h, help [COMMAND] and --version."),
        ExitStatus(code: ExitCode.failure.rawValue, meaning: "An error: an invalid manifest, a cloud or lockfile problem, a refused confirmation. Every error is printed on standard error as error: ..., positioned file:line:col when it comes from a file."),
        ExitStatus(code: 2, meaning: "With plan --detailed-exitcode only: the plan has changes (0 then means nothing to do)."),
        ExitStatus(code: ExitCode.validationFailure.rawValue, meaning: "A usage error: an unknown command or option, a missing or malformed argument (EX_USAGE). The usage line follows the error."),
    ]

    /// Environment variables, with what each does.
    static let environment: [(name: String, meaning: String)] = [
        ("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN", "AWS credentials."),
        ("AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME", "A CI pipeline's web identity, exchanged for the role with STS AssumeRoleWithWebIdentity (when no keys are set)."),
        ("AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE", "A profile (default: default) of the shared credentials file (default ~/.aws/credentials) or of the shared config file (default ~/.aws/config), where role_arn with source_profile or web_identity_token_file is assumed with STS."),
        ("AWS_ENDPOINT_URL", "Send every AWS call, STS and the S3 state backend included, to this endpoint (an emulator or a proxy)."),
        ("AWS_REGION, AWS_DEFAULT_REGION", "The region requests to an s3:// state backend are signed for (default us-east-1); pods' regions come from the manifest."),
        ("OS_AUTH_URL, OS_USERNAME, OS_API_KEY", "Rackspace Identity and credentials."),
        ("OS_TENANT_ID, OS_PROJECT_ID, OS_CLOUD, OS_REGION_NAME", "Rackspace tenant and the clouds.yaml entry to use. OS_REGION_NAME is not needed and is ignored: each call names the manifest region it is for."),
        ("CATALYZE_AWS_IMAGE, CATALYZE_RAX_IMAGE", "The machine image instances and servers boot from."),
        ("CATALYZE_RAX_LB_WAIT", "Rackspace: the most one change to a Cloud Load Balancer waits, in seconds, for the balancer to leave PENDING_UPDATE (default 300). A balancer is immutable until it is ACTIVE again after each change; catalyze waits, retrying a 422 'considered immutable' reply with doubling pauses, and fails naming the balancer and its status once the bound has passed or at once for ERROR."),
        ("CATALYZE_BACKEND", "Where the state lives when --backend and --state are not given: file:PATH, s3://BUCKET/PREFIX (S3 or a store with S3 conditional writes; AWS credential chain, AWS_ENDPOINT_URL, AWS_REGION) or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (etcd's v3 JSON gateway). It wins over the manifest's state.backend. Malformed: a usage error (64) naming the wrong part, before anything runs. S3 buckets need versioning and default KMS encryption (refused otherwise; a warning under profile dev). Every save is a compare-and-swap: a writer that loses a race exits 1 naming the winner's serial. Locks are leases (30 s, renewed every 10 s): a killed holder's lock expires by itself. An unreachable backend fails within the connect timeout per endpoint (one that never answers: the request timeout)."),
        ("CATALYZE_ETCD_CACERT, CATALYZE_ETCD_CERT, CATALYZE_ETCD_KEY", "For an etcds:// backend: PEM files of the certificate authority that signed the etcd members' certificates (trusted instead of the system's), and of the client certificate and its key that the members ask for (--client-cert-auth). All three are required; a key readable by group or others is refused. Only the paths are read by catalyze; libcurl reads the files."),
        ("CATALYZE_LEASE", "The lease of network state locks (etcd, S3) and of fleet reservations, e.g. 10s (2s to 10m; default 30s), renewed every third of it while a run holds them: how long a killed pipeline's lock and its claims on fleet hosts outlive it. Reservations live in a per-region ledger in the backend (file: beside the lockfile; S3: PREFIX/_fleet/; etcd: /PREFIX/_fleet/); apply claims its placements there before launching, re-places what another pipeline took first (at most 5 times), and stops before creating anything when the fleet is full. Malformed: a usage error (64)."),
        ("CATALYZE_CONNECT_TIMEOUT, CATALYZE_REQUEST_TIMEOUT", "Every cloud request: time to connect (default 10s) and to answer (default 30s); --connect-timeout and --request-timeout win."),
        ("CATALYZE_HEALTH_TIMEOUT", "apply: how long each new member of a rolling replacement may take to pass its health check (e.g. 90s; default 5m); --health-timeout wins."),
        ("CATALYZE_PROGRESS_INTERVAL", "apply, destroy: how often a long action prints its still creating... line (default 10s)."),
        ("CATALYZE_IDENTITY", "access commands: who is acting, recorded in the audit log beside the OS account; --as wins."),
        ("CATALYZE_OPERATOR_KEY", "access expose/conceal, import, serve, and access revoke without --ca: the operator's private key file (public half: access.operatorPublicKey), which signs their audit entries; --operator-key wins."),
        ("CATALYZE_ALLOW_INSECURE_HTTP", "1: allow plain http:// cloud endpoints that are not loopback (never for real clouds; https is required otherwise)."),
        ("XDG_STATE_HOME", "Where the audit witness lives (default ~/.local/state): catalyze/audit-witness remembers the newest audit head this user saw."),
        ("NO_COLOR", "When set and not empty, no colour in human output."),
        ("TERM", "dumb: no colour."),
    ]

    /// Files catalyze reads and writes.
    static let files: [(path: String, meaning: String)] = [
        ("pod.yaml", "The pod manifest (-f); see catalyze-manifest(5)."),
        ("catalyze.lock.json", "The lockfile, beside the manifest (--state moves it); catalyze.lock.json.lock is its lock and catalyze.lock.json.backup the previous version."),
        ("catalyze.lock.json.v<N>.backup", "The lockfile as an older release wrote it (format N), kept when this release first saved it in its own format (mode 0600)."),
        ("PREFIX/<pod>/catalyze.lock.json (S3), /PREFIX/<pod>/state (etcd)", "The state in a network backend (--backend), one pod under its name; S3: its lock is catalyze.lock.json.lock beside it; etcd: chunks/<generation>/<n> hold the lockfile's bytes, state points at them, lock is the leased lock."),
        ("catalyze.access.grants.json, catalyze.access.krl, catalyze.access.audit.jsonl", "Access grants, the revocation list and the hash-chained audit log, beside the lockfile."),
        ("catalyze.access.exposure.json", "Customer-access switches made by access expose and conceal (or serve's PUT), beside the lockfile."),
        ("MANIFESTS/<pod>/pod.yaml", "serve: pod <pod>'s manifest in the --manifests folder, its lockfile and access files beside it (or its state.backend)."),
        ("tokens.json (serve --tokens)", "serve: the API's bearer tokens as names and SHA-256 hashes (mode 0600; written by serve token add and revoke)."),
        ("catalyze.serve.audit.jsonl", "serve: the hash-chained log of refused requests (api_denied), beside the token file unless --audit-log moves it."),
        ("clouds.yaml", "Rackspace credentials, read from ., ~/.config/openstack or /etc/openstack."),
    ]

    /// Command lines a new user types first, with what each does.
    static let examples: [(command: String, meaning: String)] = [
        ("catalyze init --profile hipaa --provider aws --name acme-prod", "Write a starter pod.yaml."),
        ("catalyze validate", "Check pod.yaml; every problem is printed as file:line:col."),
        ("catalyze hosts", "Show the dedicated hosts of the pod's regions."),
        ("catalyze plan --explain --out pod.plan", "Show what would change and why, and save the plan."),
        ("catalyze apply pod.plan", "Apply exactly that plan."),
        ("catalyze plan --detailed-exitcode", "In CI: exit 0 when nothing is to do, 2 when there are changes."),
        ("catalyze state list -f pods/acme.yaml", "List the lockfile beside pods/acme.yaml."),
        ("catalyze apply --backend s3://acme-state/catalyze", "Apply with the pod's state in S3 (shared by a team's pipelines; CATALYZE_BACKEND or the manifest's state.backend do the same)."),
        ("catalyze access grant --to alice --key ~/.ssh/id_ed25519.pub --ttl 2h --target app01 --ca customer-ca", "Sign a two-hour support certificate for one container."),
        ("catalyze destroy --auto-approve", "Delete every resource of the pod."),
        ("catalyze serve --manifests /var/lib/catalyze/pods --socket /run/catalyze/serve.sock --tokens tokens.json", "Serve the customer-access API on a Unix socket (scripts/systemd/catalyze-serve.service runs it under systemd)."),
    ]

    /// The sections in mdoc, in the order man-pages(7) gives them.
    static var mdoc: String {
        var lines: [String] = []
        lines += [".Sh ENVIRONMENT", ".Bl -tag -width 6n"]
        for (name, meaning) in environment { lines += [".It Ev \(name)", escaped(meaning)] }
        lines += [".El", ".Sh FILES", ".Bl -tag -width 6n"]
        for (path, meaning) in files { lines += [".It Pa \(path)", escaped(meaning)] }
        lines += [".El", ".Sh \"EXIT STATUS\"", ".Bl -tag -width 6n"]
        for status in exitStatuses { lines += [".It \(status.code)", escaped(status.meaning)] }
        lines += [".El", ".Sh EXAMPLES", ".Bl -tag -width 6n"]
        for (command, meaning) in examples { lines += [".It Li \"\(command)\"", escaped(meaning)] }
        lines += [".El"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text lines that start with a dot or a quote would read as macros: prefix the zero-width `\&`.
    private static func escaped(_ text: String) -> String {
        text.hasPrefix(".") || text.hasPrefix("'") ? "\\&" + text : text
    }
}
