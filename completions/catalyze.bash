#!/bin/bash

__catalyze_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__catalyze_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__catalyze_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__catalyze_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_catalyze() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __catalyze_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|validate|hosts|plan|apply|destroy|import|show|output|graph|state|force-unlock|access|serve|help)
        # Offer subcommand argument completions
        "_catalyze_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init validate hosts plan apply destroy import show output graph state force-unlock access serve help' -- "${cur}"))
        ;;
    esac
}

_catalyze_init() {
    repeating_flags=()
    non_repeating_flags=(--force --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--profile --provider --name -o --output)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--profile')
        __catalyze_add_completions -W 'hipaa'$'\n''dev'
        return
        ;;
    '--provider')
        __catalyze_add_completions -W 'aws'$'\n''rax'
        return
        ;;
    '--name')
        return
        ;;
    '-o'|'--output')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml)'
        return
        ;;
    esac
}

_catalyze_validate() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(-f --file)
    non_repeating_options=()
    __catalyze_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    esac
}

_catalyze_hosts() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --lock-timeout --connect-timeout --request-timeout --backend --region)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--lock-timeout')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--backend')
        return
        ;;
    '--region')
        return
        ;;
    esac
}

_catalyze_plan() {
    repeating_flags=()
    non_repeating_flags=(--json --explain --detailed-exitcode --version -h --help)
    repeating_options=(--replace)
    non_repeating_options=(-f --file --state --lock-timeout --connect-timeout --request-timeout --backend --out)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--lock-timeout')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--backend')
        return
        ;;
    '--out')
        __catalyze_add_completions -f
        return
        ;;
    '--replace')
        return
        ;;
    esac
}

_catalyze_apply() {
    repeating_flags=()
    non_repeating_flags=(--auto-approve --force-destroy-data --json --version -h --help)
    repeating_options=(--replace)
    non_repeating_options=(-f --file --state --lock-timeout --connect-timeout --request-timeout --backend --parallelism --health-timeout)
    __catalyze_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--lock-timeout')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--backend')
        return
        ;;
    '--parallelism')
        return
        ;;
    '--health-timeout')
        return
        ;;
    '--replace')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __catalyze_add_completions -f
        return
        ;;
    esac
}

_catalyze_destroy() {
    repeating_flags=()
    non_repeating_flags=(--auto-approve --force-destroy-data --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --lock-timeout --connect-timeout --request-timeout --backend --parallelism)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--lock-timeout')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--backend')
        return
        ;;
    '--parallelism')
        return
        ;;
    esac
}

_catalyze_import() {
    repeating_flags=()
    non_repeating_flags=(--auto-approve --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--from-lineage -f --file --state --lock-timeout --connect-timeout --request-timeout --backend)
    __catalyze_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--from-lineage')
        return
        ;;
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--lock-timeout')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--backend')
        return
        ;;
    esac
}

_catalyze_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=()
    __catalyze_offer_flags_options 1

    # Offer positional completions
    case "${positional_number}" in
    1)
        __catalyze_add_completions -f
        return
        ;;
    esac
}

_catalyze_output() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --backend)
    __catalyze_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    esac
}

_catalyze_graph() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    esac
}

_catalyze_state() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __catalyze_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|migrate)
        # Offer subcommand argument completions
        "_catalyze_state_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show migrate' -- "${cur}"))
        ;;
    esac
}

_catalyze_state_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --backend)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    esac
}

_catalyze_state_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --backend)
    __catalyze_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __catalyze_add_completions -W "$(__catalyze_custom_complete ---completion state show -- positional@0 "${COMP_CWORD}" "$(__catalyze_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_catalyze_state_migrate() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--to -f --file --state --backend)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--to')
        return
        ;;
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    esac
}

_catalyze_force-unlock() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --backend)
    __catalyze_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    esac
}

_catalyze_access() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __catalyze_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    ca|grant|revoke|push-krl|list|audit|expose|conceal|history)
        # Offer subcommand argument completions
        "_catalyze_access_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'ca grant revoke push-krl list audit expose conceal history' -- "${cur}"))
        ;;
    esac
}

_catalyze_access_ca() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __catalyze_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init)
        # Offer subcommand argument completions
        "_catalyze_access_ca_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init' -- "${cur}"))
        ;;
    esac
}

_catalyze_access_ca_init() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--out --comment)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--out')
        __catalyze_add_completions -f
        return
        ;;
    '--comment')
        return
        ;;
    esac
}

_catalyze_access_grant() {
    repeating_flags=()
    non_repeating_flags=(--emergency --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --backend --as --to --key --ttl --target --region --ca --reason --source --out)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    '--as')
        return
        ;;
    '--to')
        return
        ;;
    '--key')
        return
        ;;
    '--ttl')
        return
        ;;
    '--target')
        return
        ;;
    '--region')
        return
        ;;
    '--ca')
        __catalyze_add_completions -f
        return
        ;;
    '--reason')
        return
        ;;
    '--source')
        return
        ;;
    '--out')
        return
        ;;
    esac
}

_catalyze_access_revoke() {
    repeating_flags=()
    non_repeating_flags=(--push --version -h --help)
    repeating_options=(--host --container --region)
    non_repeating_options=(-f --file --state --backend --as --ca --pod --known-hosts --connect-timeout --operator-key)
    __catalyze_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    '--as')
        return
        ;;
    '--ca')
        __catalyze_add_completions -f
        return
        ;;
    '--host')
        return
        ;;
    '--pod')
        return
        ;;
    '--container')
        return
        ;;
    '--region')
        return
        ;;
    '--known-hosts')
        __catalyze_add_completions -f
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--operator-key')
        __catalyze_add_completions -f
        return
        ;;
    esac
}

_catalyze_access_push-krl() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--host --container --region)
    non_repeating_options=(-f --file --state --backend --as --ca --pod --known-hosts --connect-timeout)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    '--as')
        return
        ;;
    '--ca')
        __catalyze_add_completions -f
        return
        ;;
    '--host')
        return
        ;;
    '--pod')
        return
        ;;
    '--container')
        return
        ;;
    '--region')
        return
        ;;
    '--known-hosts')
        __catalyze_add_completions -f
        return
        ;;
    '--connect-timeout')
        return
        ;;
    esac
}

_catalyze_access_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --backend --as)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_catalyze_access_audit() {
    repeating_flags=()
    non_repeating_flags=(--verify --json --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --backend --as)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_catalyze_access_expose() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--cidr)
    non_repeating_options=(-f --file --state --lock-timeout --connect-timeout --request-timeout --backend --operator-key)
    __catalyze_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--cidr')
        return
        ;;
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--lock-timeout')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--backend')
        return
        ;;
    '--operator-key')
        __catalyze_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __catalyze_add_completions -W 'logging'$'\n''monitoring'
        return
        ;;
    esac
}

_catalyze_access_conceal() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --lock-timeout --connect-timeout --request-timeout --backend --operator-key)
    __catalyze_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--lock-timeout')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--backend')
        return
        ;;
    '--operator-key')
        __catalyze_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __catalyze_add_completions -W 'logging'$'\n''monitoring'
        return
        ;;
    esac
}

_catalyze_access_history() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(-f --file --state --backend --as)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--file')
        __catalyze_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--state')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--backend')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_catalyze_serve() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __catalyze_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    run|token)
        # Offer subcommand argument completions
        "_catalyze_serve_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'run token' -- "${cur}"))
        ;;
    esac
}

_catalyze_serve_run() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--manifests --listen --socket --tokens --audit-log --rate-limit --lock-timeout --operator-key --connect-timeout --request-timeout)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--manifests')
        __catalyze_add_completions -d
        return
        ;;
    '--listen')
        return
        ;;
    '--socket')
        __catalyze_add_completions -f
        return
        ;;
    '--tokens')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--audit-log')
        __catalyze_add_completions -f
        return
        ;;
    '--rate-limit')
        return
        ;;
    '--lock-timeout')
        return
        ;;
    '--operator-key')
        __catalyze_add_completions -f
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--request-timeout')
        return
        ;;
    esac
}

_catalyze_serve_token() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __catalyze_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|revoke|list)
        # Offer subcommand argument completions
        "_catalyze_serve_token_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add revoke list' -- "${cur}"))
        ;;
    esac
}

_catalyze_serve_token_add() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--tokens)
    __catalyze_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--tokens')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    esac
}

_catalyze_serve_token_revoke() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--tokens)
    __catalyze_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--tokens')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    esac
}

_catalyze_serve_token_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--tokens)
    __catalyze_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--tokens')
        __catalyze_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    esac
}

_catalyze_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __catalyze_offer_flags_options -1
}

complete -o filenames -F _catalyze catalyze
