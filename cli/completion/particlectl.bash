# bash completion for particlectl. Installed to share/bash-completion/completions/particlectl.
# The candidates come from `particlectl __complete WORDS... CURRENT`, which knows every
# command and option from the command table, and device, variable and function names from
# a short-lived cache (docs/CLI.md, "Completion"). Options that take a file get file names.

_particlectl()
{
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=""
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
    case $prev in
    --token-file | --file | --client-secret-file | --json-template | --saveTo)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    esac
    local IFS=$'\n'
    COMPREPLY=($("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" \
        2>/dev/null))
}
complete -F _particlectl particlectl
