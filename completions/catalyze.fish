function __catalyze_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __catalyze_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __catalyze_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __catalyze_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __catalyze_parse_tokens -S
    set -l unparsed_tokens (__catalyze_tokens -pc)
    switch $unparsed_tokens[1]
    case 'catalyze'
        __catalyze_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'init'
            __catalyze_parse_subcommand 0 'profile=' 'provider=' 'name=' 'o/output=' 'force' 'json' 'version' 'h/help'
        case 'validate'
            __catalyze_parse_subcommand -r 1 'f/file=+' 'json' 'version' 'h/help'
        case 'hosts'
            __catalyze_parse_subcommand 0 'f/file=' 'state=' 'lock-timeout=' 'connect-timeout=' 'request-timeout=' 'backend=' 'region=' 'json' 'version' 'h/help'
        case 'plan'
            __catalyze_parse_subcommand 0 'f/file=' 'state=' 'lock-timeout=' 'connect-timeout=' 'request-timeout=' 'backend=' 'out=' 'json' 'explain' 'detailed-exitcode' 'replace=+' 'version' 'h/help'
        case 'apply'
            __catalyze_parse_subcommand 1 'f/file=' 'state=' 'lock-timeout=' 'connect-timeout=' 'request-timeout=' 'backend=' 'auto-approve' 'force-destroy-data' 'parallelism=' 'health-timeout=' 'json' 'replace=+' 'version' 'h/help'
        case 'destroy'
            __catalyze_parse_subcommand 0 'f/file=' 'state=' 'lock-timeout=' 'connect-timeout=' 'request-timeout=' 'backend=' 'auto-approve' 'force-destroy-data' 'parallelism=' 'json' 'version' 'h/help'
        case 'import'
            __catalyze_parse_subcommand 2 'from-lineage=' 'f/file=' 'state=' 'lock-timeout=' 'connect-timeout=' 'request-timeout=' 'backend=' 'auto-approve' 'json' 'version' 'h/help'
        case 'show'
            __catalyze_parse_subcommand 1 'json' 'version' 'h/help'
        case 'output'
            __catalyze_parse_subcommand 1 'f/file=' 'state=' 'backend=' 'json' 'version' 'h/help'
        case 'graph'
            __catalyze_parse_subcommand 0 'f/file=' 'json' 'version' 'h/help'
        case 'state'
            __catalyze_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __catalyze_parse_subcommand 0 'f/file=' 'state=' 'backend=' 'json' 'version' 'h/help'
            case 'show'
                __catalyze_parse_subcommand 1 'f/file=' 'state=' 'backend=' 'json' 'version' 'h/help'
            case 'migrate'
                __catalyze_parse_subcommand 0 'to=' 'f/file=' 'state=' 'backend=' 'version' 'h/help'
            end
        case 'force-unlock'
            __catalyze_parse_subcommand 1 'f/file=' 'state=' 'backend=' 'version' 'h/help'
        case 'access'
            __catalyze_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'ca'
                __catalyze_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'init'
                    __catalyze_parse_subcommand 0 'out=' 'comment=' 'version' 'h/help'
                end
            case 'grant'
                __catalyze_parse_subcommand 0 'f/file=' 'state=' 'backend=' 'as=' 'to=' 'key=' 'ttl=' 'target=' 'region=' 'ca=' 'reason=' 'source=' 'emergency' 'out=' 'version' 'h/help'
            case 'revoke'
                __catalyze_parse_subcommand 1 'f/file=' 'state=' 'backend=' 'as=' 'ca=' 'host=+' 'pod=' 'container=+' 'region=+' 'known-hosts=' 'connect-timeout=' 'push' 'operator-key=' 'version' 'h/help'
            case 'push-krl'
                __catalyze_parse_subcommand 0 'f/file=' 'state=' 'backend=' 'as=' 'ca=' 'host=+' 'pod=' 'container=+' 'region=+' 'known-hosts=' 'connect-timeout=' 'version' 'h/help'
            case 'list'
                __catalyze_parse_subcommand 0 'f/file=' 'state=' 'backend=' 'as=' 'json' 'version' 'h/help'
            case 'audit'
                __catalyze_parse_subcommand 0 'f/file=' 'state=' 'backend=' 'as=' 'verify' 'json' 'version' 'h/help'
            case 'expose'
                __catalyze_parse_subcommand 1 'cidr=+' 'f/file=' 'state=' 'lock-timeout=' 'connect-timeout=' 'request-timeout=' 'backend=' 'json' 'operator-key=' 'version' 'h/help'
            case 'conceal'
                __catalyze_parse_subcommand 1 'f/file=' 'state=' 'lock-timeout=' 'connect-timeout=' 'request-timeout=' 'backend=' 'json' 'operator-key=' 'version' 'h/help'
            case 'history'
                __catalyze_parse_subcommand 0 'f/file=' 'state=' 'backend=' 'as=' 'json' 'version' 'h/help'
            end
        case 'serve'
            __catalyze_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'run'
                __catalyze_parse_subcommand 0 'manifests=' 'listen=' 'socket=' 'tokens=' 'audit-log=' 'rate-limit=' 'lock-timeout=' 'operator-key=' 'connect-timeout=' 'request-timeout=' 'version' 'h/help'
            case 'token'
                __catalyze_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'add'
                    __catalyze_parse_subcommand 1 'tokens=' 'version' 'h/help'
                case 'revoke'
                    __catalyze_parse_subcommand 1 'tokens=' 'version' 'h/help'
                case 'list'
                    __catalyze_parse_subcommand 0 'tokens=' 'json' 'version' 'h/help'
                end
            end
        case 'help'
            __catalyze_parse_subcommand -r 1 'version'
        end
    end
end

function __catalyze_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __catalyze_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __catalyze_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __catalyze_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__catalyze_tokens -p)
    if test -z "$(__catalyze_tokens -t)"
        set -l index (count (__catalyze_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'catalyze' -f
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'init' -d 'Write a commented starter pod manifest.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'validate' -d 'Check pod manifests and report every problem with file:line:col.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'hosts' -d 'Show the dedicated hosts of the pod\'s regions: capacity, allocation, metrics, health, reservations.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'plan' -d 'Show what apply would change: read the manifest, the lockfile and the cloud, place, and diff.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'apply' -d 'Create, change and delete cloud resources so that the pod matches its manifest.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'destroy' -d 'Delete every resource of the pod (and anything left tagged for it).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'import' -d 'Take the pod\'s resources of another lockfile (lineage), or one untagged resource, over into this lockfile.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'show' -d 'Show a plan saved with `catalyze plan --out`, as plan printed it (--json: as plan --json).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'output' -d 'Print the applied pod\'s outputs (load balancer endpoints, private addresses) from the lockfile.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'graph' -d 'Print the pod\'s resource dependency graph as DOT (pipe it to `dot -Tsvg`).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'state' -d 'Inspect the lockfile, or move it to a shared backend.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'force-unlock' -d 'Remove the state lock with this id (only when no other run is working on the pod).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'access' -d 'Delegate, revoke and audit time-limited support access to a pod\'s containers.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'serve' -d 'Serve the HTTP API for customer access (serve run, the default), and manage its tokens (serve token).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" profile' -l 'profile' -d 'Safeguard profile: hipaa or dev.' -rfka 'hipaa dev'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" provider' -l 'provider' -d 'Cloud for the primary region: aws or rax.' -rfka 'aws rax'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" name' -l 'name' -d 'The pod\'s name (lowercase letters, digits, \'-\').' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" o output' -s 'o' -l 'output' -d 'Where to write it (\'-\' for standard output).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'yaml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" force' -l 'force' -d 'Overwrite an existing file.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" json' -l 'json' -d 'Report what was written as JSON (not with -o -, where the manifest itself is the output).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze validate" -ge 1' -fa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze validate"' -s 'f' -l 'file' -d 'A manifest to check, as -f on the other commands (repeatable).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze validate" json' -l 'json' -d 'Print the diagnostics as JSON.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze validate" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze validate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze hosts" f file' -s 'f' -l 'file' -d 'The pod manifest.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze hosts" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze hosts" lock-timeout' -l 'lock-timeout' -d 'How long to wait for another run\'s lock, e.g. 30s (default: fail at once).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze hosts" connect-timeout' -l 'connect-timeout' -d 'How long to wait for a cloud endpoint to accept a connection, TLS included (default: CATALYZE_CONNECT_TIMEOUT, else 10s).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze hosts" request-timeout' -l 'request-timeout' -d 'How long one cloud request may wait for its whole answer (default: CATALYZE_REQUEST_TIMEOUT, else 30s). A request that times out is retried once when that is safe, so a silent endpoint fails within twice this.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze hosts" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze hosts" region' -l 'region' -d 'Only this manifest region (by name).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze hosts" json' -l 'json' -d 'Print JSON.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze hosts" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze hosts" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" f file' -s 'f' -l 'file' -d 'The pod manifest.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" lock-timeout' -l 'lock-timeout' -d 'How long to wait for another run\'s lock, e.g. 30s (default: fail at once).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" connect-timeout' -l 'connect-timeout' -d 'How long to wait for a cloud endpoint to accept a connection, TLS included (default: CATALYZE_CONNECT_TIMEOUT, else 10s).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" request-timeout' -l 'request-timeout' -d 'How long one cloud request may wait for its whole answer (default: CATALYZE_REQUEST_TIMEOUT, else 30s). A request that times out is retried once when that is safe, so a silent endpoint fails within twice this.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" out' -l 'out' -d 'Save the plan to this file, for `catalyze apply <plan-file>`.' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" json' -l 'json' -d 'Print the plan as JSON.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" explain' -l 'explain' -d 'Show every host\'s bid for every container.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" detailed-exitcode' -l 'detailed-exitcode' -d 'Exit 2 when the plan has changes, 0 when it has none.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan"' -l 'replace' -d 'Replace this instance although nothing about it changed, e.g. to roll a host made before 0.2.0 onto the new principal form (repeatable; REGION/instance.NAME).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze plan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze apply" -eq 1' -F
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" f file' -s 'f' -l 'file' -d 'The pod manifest.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" lock-timeout' -l 'lock-timeout' -d 'How long to wait for another run\'s lock, e.g. 30s (default: fail at once).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" connect-timeout' -l 'connect-timeout' -d 'How long to wait for a cloud endpoint to accept a connection, TLS included (default: CATALYZE_CONNECT_TIMEOUT, else 10s).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" request-timeout' -l 'request-timeout' -d 'How long one cloud request may wait for its whole answer (default: CATALYZE_REQUEST_TIMEOUT, else 30s). A request that times out is retried once when that is safe, so a silent endpoint fails within twice this.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" auto-approve' -l 'auto-approve' -d 'Do not ask for confirmation.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" force-destroy-data' -l 'force-destroy-data' -d 'Allow deleting or replacing encrypted volumes (their data is lost).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" parallelism' -l 'parallelism' -d 'Most actions in flight at once (backs off when the cloud throttles).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" health-timeout' -l 'health-timeout' -d 'How long each new member of a rolling replacement may take to pass its load balancer\'s health check (e.g. 90s, 5m; default 5m, or CATALYZE_HEALTH_TIMEOUT).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" json' -l 'json' -d 'Print progress as JSON lines.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply"' -l 'replace' -d 'Replace this instance although nothing about it changed, rolled like any replacement, e.g. to move a host made before 0.2.0 to the new principal form (repeatable; REGION/instance.NAME).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze apply" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" f file' -s 'f' -l 'file' -d 'The pod manifest.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" lock-timeout' -l 'lock-timeout' -d 'How long to wait for another run\'s lock, e.g. 30s (default: fail at once).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" connect-timeout' -l 'connect-timeout' -d 'How long to wait for a cloud endpoint to accept a connection, TLS included (default: CATALYZE_CONNECT_TIMEOUT, else 10s).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" request-timeout' -l 'request-timeout' -d 'How long one cloud request may wait for its whole answer (default: CATALYZE_REQUEST_TIMEOUT, else 30s). A request that times out is retried once when that is safe, so a silent endpoint fails within twice this.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" auto-approve' -l 'auto-approve' -d 'Do not ask for confirmation.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" force-destroy-data' -l 'force-destroy-data' -d 'Allow deleting or replacing encrypted volumes (their data is lost).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" parallelism' -l 'parallelism' -d 'Most actions in flight at once.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" json' -l 'json' -d 'Print progress as JSON lines.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze destroy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" from-lineage' -l 'from-lineage' -d 'Import every resource of the pod tagged with this lineage.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" f file' -s 'f' -l 'file' -d 'The pod manifest.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" lock-timeout' -l 'lock-timeout' -d 'How long to wait for another run\'s lock, e.g. 30s (default: fail at once).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" connect-timeout' -l 'connect-timeout' -d 'How long to wait for a cloud endpoint to accept a connection, TLS included (default: CATALYZE_CONNECT_TIMEOUT, else 10s).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" request-timeout' -l 'request-timeout' -d 'How long one cloud request may wait for its whole answer (default: CATALYZE_REQUEST_TIMEOUT, else 30s). A request that times out is retried once when that is safe, so a silent endpoint fails within twice this.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" auto-approve' -l 'auto-approve' -d 'Do not ask for confirmation.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" json' -l 'json' -d 'Print progress as JSON lines.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze show" -eq 1' -F
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze show" json' -l 'json' -d 'Print JSON, in plan --json\'s shape.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze show" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze output" f file' -s 'f' -l 'file' -d 'The pod manifest; the lockfile is the one beside it.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze output" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze output" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze output" json' -l 'json' -d 'Print JSON (with format_version).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze output" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze output" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze graph" f file' -s 'f' -l 'file' -d 'The pod manifest.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze graph" json' -l 'json' -d 'Print the resources and their dependencies as JSON instead of DOT.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze graph" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze graph" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze state" -eq 1' -fa 'list' -d 'List every resource in the lockfile, by address.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze state" -eq 1' -fa 'show' -d 'Show one resource as the lockfile records it.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze state" -eq 1' -fa 'migrate' -d 'Move the pod\'s state from its lockfile to another backend, leaving a tombstone behind.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state list" f file' -s 'f' -l 'file' -d 'The pod manifest; the lockfile is the one beside it.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state list" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state list" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state list" json' -l 'json' -d 'Print JSON (with format_version).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state list" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze state show" -eq 1' -fka '(__catalyze_custom_completion ---completion state show -- positional@0 (count (__catalyze_tokens -pc)) (__catalyze_tokens -tC))'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state show" f file' -s 'f' -l 'file' -d 'The pod manifest; the lockfile is the one beside it.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state show" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state show" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state show" json' -l 'json' -d 'Print JSON (with format_version).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state show" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state migrate" to' -l 'to' -d 'The backend to move the state to: s3://BUCKET/PREFIX, etcd://HOST:PORT[,HOST:PORT...]/PREFIX or file:PATH.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state migrate" f file' -s 'f' -l 'file' -d 'The pod manifest; the lockfile is the one beside it.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state migrate" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state migrate" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state migrate" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze state migrate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze force-unlock" f file' -s 'f' -l 'file' -d 'The pod manifest; the lockfile is the one beside it.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze force-unlock" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze force-unlock" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze force-unlock" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze force-unlock" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access" -eq 1' -fa 'ca' -d 'Manage the customer\'s certificate authority.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access" -eq 1' -fa 'grant' -d 'Sign a time-limited SSH certificate for an engineer\'s key, valid for one container.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access" -eq 1' -fa 'revoke' -d 'Revoke a grant: its serial goes into the OpenSSH revocation list the pod\'s hosts read.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access" -eq 1' -fa 'push-krl' -d 'Push the current revocation list to the pod\'s running hosts, over SSH, with a 5-minute certificate.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access" -eq 1' -fa 'list' -d 'List grants, newest first: active, pending, expired and revoked.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access" -eq 1' -fa 'audit' -d 'Show the access audit log, or verify its hash chain and signatures (--verify exits 1 when it was tampered with).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access" -eq 1' -fa 'expose' -d 'Open the logging or monitoring endpoint to the customer\'s networks (one firewall rule, no redeploy).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access" -eq 1' -fa 'conceal' -d 'Close the logging or monitoring endpoint to the customer (removes its firewall rule, no redeploy).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access" -eq 1' -fa 'history' -d 'Show every expose and conceal of the logging and monitoring endpoints (the billing record of paid access).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access ca" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access ca" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access ca" -eq 1' -fa 'init' -d 'Create the customer\'s CA key pair (private key: <out>, mode 0600; public key: <out>.pub).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access ca init" out' -l 'out' -d 'Where to write the private key (must not exist).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access ca init" comment' -l 'comment' -d 'The key\'s comment.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access ca init" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access ca init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" f file' -s 'f' -l 'file' -d 'The pod manifest (read for the pod name and TTL caps when present).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" as' -l 'as' -d 'Who you are (e.g. your SSO e-mail), recorded in the audit log beside your OS account (default: $CATALYZE_IDENTITY).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" to' -l 'to' -d 'The engineer\'s name (recorded in the certificate and the audit).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" key' -l 'key' -d 'The engineer\'s public key: a .pub file or an `ssh-ed25519 AAAA…` line.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" ttl' -l 'ttl' -d 'How long the certificate lasts, e.g. 30m, 2h.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" target' -l 'target' -d 'The container to open, e.g. app01.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" region' -l 'region' -d 'The manifest region of the container, e.g. primary (needed when it runs in more than one).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" ca' -l 'ca' -d 'The customer\'s CA private key (from `access ca init`).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" reason' -l 'reason' -d 'Why access is needed (required with --emergency).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" source' -l 'source' -d 'Addresses the certificate may be used from (CIDR list), e.g. 203.0.113.7/32.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" emergency' -l 'emergency' -d 'Break-glass grant: its own shorter cap, marked in the key id and the audit.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" out' -l 'out' -d 'Where to write the certificate (default: <key> without .pub plus -cert.pub; stdout for a key line).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access grant" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" f file' -s 'f' -l 'file' -d 'The pod manifest (read for the pod name and TTL caps when present).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" as' -l 'as' -d 'Who you are (e.g. your SSO e-mail), recorded in the audit log beside your OS account (default: $CATALYZE_IDENTITY).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" ca' -l 'ca' -d 'The customer\'s CA private key (the one the grants were signed with).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke"' -l 'host' -d 'A host to push to, <address>[:<port>] (repeatable; default: the lockfile\'s instances).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" pod' -l 'pod' -d 'The pod\'s name (default: pod.name from the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke"' -l 'container' -d 'A container whose hosts take the push (repeatable; default: every container).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke"' -l 'region' -d 'A manifest region of those containers (repeatable; default: every region the manifest or lockfile runs them in).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" known-hosts' -l 'known-hosts' -d 'A known_hosts file of host keys you checked yourself, for --host addresses that are no instance of the lockfile (default: such a host is refused).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" connect-timeout' -l 'connect-timeout' -d 'Seconds each host gets to accept the connection and finish the SSH handshake, and to answer each keep-alive after (1-600).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" push' -l 'push' -d 'Also push the new revocation list to the running hosts (needs --ca).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" operator-key' -l 'operator-key' -d 'Sign the audit entry with the private half of the manifest\'s access.operatorPublicKey instead of --ca (default: $CATALYZE_OPERATOR_KEY when no --ca is given).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access revoke" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl" f file' -s 'f' -l 'file' -d 'The pod manifest (read for the pod name and TTL caps when present).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl" as' -l 'as' -d 'Who you are (e.g. your SSO e-mail), recorded in the audit log beside your OS account (default: $CATALYZE_IDENTITY).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl" ca' -l 'ca' -d 'The customer\'s CA private key (the one the grants were signed with).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl"' -l 'host' -d 'A host to push to, <address>[:<port>] (repeatable; default: the lockfile\'s instances).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl" pod' -l 'pod' -d 'The pod\'s name (default: pod.name from the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl"' -l 'container' -d 'A container whose hosts take the push (repeatable; default: every container).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl"' -l 'region' -d 'A manifest region of those containers (repeatable; default: every region the manifest or lockfile runs them in).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl" known-hosts' -l 'known-hosts' -d 'A known_hosts file of host keys you checked yourself, for --host addresses that are no instance of the lockfile (default: such a host is refused).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl" connect-timeout' -l 'connect-timeout' -d 'Seconds each host gets to accept the connection and finish the SSH handshake, and to answer each keep-alive after (1-600).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access push-krl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access list" f file' -s 'f' -l 'file' -d 'The pod manifest (read for the pod name and TTL caps when present).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access list" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access list" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access list" as' -l 'as' -d 'Who you are (e.g. your SSO e-mail), recorded in the audit log beside your OS account (default: $CATALYZE_IDENTITY).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access list" json' -l 'json' -d 'Print JSON (with format_version).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access list" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access audit" f file' -s 'f' -l 'file' -d 'The pod manifest (read for the pod name and TTL caps when present).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access audit" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access audit" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access audit" as' -l 'as' -d 'Who you are (e.g. your SSO e-mail), recorded in the audit log beside your OS account (default: $CATALYZE_IDENTITY).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access audit" verify' -l 'verify' -d 'Check that no entry was edited, removed or reordered.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access audit" json' -l 'json' -d 'Print JSON (with format_version).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access audit" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access audit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access expose" -eq 1' -fka 'logging monitoring'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose"' -l 'cidr' -d 'A customer network to open it to (repeatable; default: the manifest\'s customerAccess.cidrs).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose" f file' -s 'f' -l 'file' -d 'The pod manifest.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose" lock-timeout' -l 'lock-timeout' -d 'How long to wait for another run\'s lock, e.g. 30s (default: fail at once).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose" connect-timeout' -l 'connect-timeout' -d 'How long to wait for a cloud endpoint to accept a connection, TLS included (default: CATALYZE_CONNECT_TIMEOUT, else 10s).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose" request-timeout' -l 'request-timeout' -d 'How long one cloud request may wait for its whole answer (default: CATALYZE_REQUEST_TIMEOUT, else 30s). A request that times out is retried once when that is safe, so a silent endpoint fails within twice this.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose" json' -l 'json' -d 'Print the rule changes as JSON lines, as apply --json does, ending with a summary.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose" operator-key' -l 'operator-key' -d 'The private half of the manifest\'s access.operatorPublicKey: signs the audit entry (default: $CATALYZE_OPERATOR_KEY).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access expose" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze access conceal" -eq 1' -fka 'logging monitoring'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access conceal" f file' -s 'f' -l 'file' -d 'The pod manifest.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access conceal" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access conceal" lock-timeout' -l 'lock-timeout' -d 'How long to wait for another run\'s lock, e.g. 30s (default: fail at once).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access conceal" connect-timeout' -l 'connect-timeout' -d 'How long to wait for a cloud endpoint to accept a connection, TLS included (default: CATALYZE_CONNECT_TIMEOUT, else 10s).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access conceal" request-timeout' -l 'request-timeout' -d 'How long one cloud request may wait for its whole answer (default: CATALYZE_REQUEST_TIMEOUT, else 30s). A request that times out is retried once when that is safe, so a silent endpoint fails within twice this.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access conceal" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access conceal" json' -l 'json' -d 'Print the rule changes as JSON lines, as apply --json does, ending with a summary.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access conceal" operator-key' -l 'operator-key' -d 'The private half of the manifest\'s access.operatorPublicKey: signs the audit entry (default: $CATALYZE_OPERATOR_KEY).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access conceal" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access conceal" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access history" f file' -s 'f' -l 'file' -d 'The pod manifest (read for the pod name and TTL caps when present).' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access history" state' -l 'state' -d 'The lockfile (default: catalyze.lock.json beside the manifest).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access history" backend' -l 'backend' -d 'Where the state lives: file:PATH, s3://BUCKET/PREFIX or etcd://HOST:PORT[,HOST:PORT...]/PREFIX (default: $CATALYZE_BACKEND, then the manifest\'s state.backend, then the lockfile beside the manifest).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access history" as' -l 'as' -d 'Who you are (e.g. your SSO e-mail), recorded in the audit log beside your OS account (default: $CATALYZE_IDENTITY).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access history" json' -l 'json' -d 'Print JSON (with format_version).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access history" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze access history" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze serve" -eq 1' -fa 'run' -d 'Serve the HTTP API that switches customer access to a pod\'s logging and monitoring (loopback or a Unix socket).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze serve" -eq 1' -fa 'token' -d 'Add, revoke and list the HTTP API\'s bearer tokens (stored as SHA-256 hashes).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" manifests' -l 'manifests' -d 'The folder of pods: DIR/POD/pod.yaml is pod POD\'s manifest, with its lockfile beside it.' -rfa '(__catalyze_complete_directories)'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" listen' -l 'listen' -d 'The loopback address and port to listen on (port 0: any free one, printed at start).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" socket' -l 'socket' -d 'Listen on this Unix socket (mode 0660) instead of --listen.' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" tokens' -l 'tokens' -d 'The token file: names and SHA-256 hashes of the API\'s bearer tokens (mode 0600).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" audit-log' -l 'audit-log' -d 'The server\'s own audit log of refused requests (default: catalyze.serve.audit.jsonl beside the token file).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" rate-limit' -l 'rate-limit' -d 'Requests a minute per token (also the burst allowed at once); over it: 429.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" lock-timeout' -l 'lock-timeout' -d 'How long a PUT waits for a pod\'s lock before answering 409, e.g. 5s (default: answer at once).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" operator-key' -l 'operator-key' -d 'The private half of the pods\' access.operatorPublicKey: signs the audit entries of changes (default: $CATALYZE_OPERATOR_KEY).' -rF
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" connect-timeout' -l 'connect-timeout' -d 'How long to wait for a cloud endpoint to accept a connection, TLS included (default: CATALYZE_CONNECT_TIMEOUT, else 10s).' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" request-timeout' -l 'request-timeout' -d 'How long one cloud request may wait for its whole answer (default: CATALYZE_REQUEST_TIMEOUT, else 30s). A request that times out is retried once when that is safe, so a silent endpoint fails within twice this.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze serve token" -eq 1' -fa 'add' -d 'Make a token for a name and print it (once: only its hash is kept).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze serve token" -eq 1' -fa 'revoke' -d 'Remove the named token: its next request gets 401.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze serve token" -eq 1' -fa 'list' -d 'List the tokens\' names and when they were made (never a token).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token add" tokens' -l 'tokens' -d 'The token file: names and SHA-256 hashes of the API\'s bearer tokens (mode 0600).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token add" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token revoke" tokens' -l 'tokens' -d 'The token file: names and SHA-256 hashes of the API\'s bearer tokens (mode 0600).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token revoke" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token revoke" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token list" tokens' -l 'tokens' -d 'The token file: names and SHA-256 hashes of the API\'s bearer tokens (mode 0600).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token list" json' -l 'json' -d 'Print JSON (with format_version).'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token list" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze serve token list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze help" version' -l 'version' -d 'Show the version.'
