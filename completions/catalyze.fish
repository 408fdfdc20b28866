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
            __catalyze_parse_subcommand 0 'profile=' 'provider=' 'name=' 'o/output=' 'force' 'version' 'h/help'
        case 'validate'
            __catalyze_parse_subcommand -r 1 'json' 'version' 'h/help'
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
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" profile' -l 'profile' -d 'Safeguard profile: hipaa or dev.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" provider' -l 'provider' -d 'Cloud for the primary region: aws or rax.' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" name' -l 'name' -d 'The pod\'s name (lowercase letters, digits, \'-\').' -rfka ''
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" o output' -s 'o' -l 'output' -d 'Where to write it (\'-\' for standard output).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'yaml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" force' -l 'force' -d 'Overwrite an existing file.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_positional "catalyze validate" -ge 1' -fa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze validate" json' -l 'json' -d 'Print the diagnostics as JSON.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze validate" version' -l 'version' -d 'Show the version.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze validate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'catalyze' -n '__catalyze_should_offer_completions_for_flags_or_options "catalyze help" version' -l 'version' -d 'Show the version.'
