# every command in --help appears in the bash completion, which also loads and completes
comp="$SRC/cli/completion/particlectl.bash"
$PCTL --help | sed -n '/^Commands:/,/^$/p' | tail -n +2 | awk 'NF {print $1}' | sort -u |
while read -r word; do
    grep -qw -- "$word" "$comp" || echo "missing: $word"
done
source "$comp"
COMP_WORDS=(particlectl dev); COMP_CWORD=1; _particlectl; echo "${COMPREPLY[@]}"
COMP_WORDS=(particlectl device r); COMP_CWORD=2; _particlectl; echo "${COMPREPLY[@]}"
COMP_WORDS=(particlectl list --j); COMP_CWORD=2; _particlectl; echo "${COMPREPLY[@]}"
