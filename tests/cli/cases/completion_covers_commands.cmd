# every command in --help completes word by word through `particlectl __complete` (the
# helper of the bash, zsh and fish scripts), and the bash script loads and completes
export PATH="$(dirname "$PCTL"):$PATH"
$PCTL --help | sed -n '/^Commands:/,/^$/p' | tail -n +2 |
    sed -nE 's/^  ([a-z-]+( [a-z-]+)*)  .*/\1/p' >names.txt
# a prefix's completions must hold every next word: the first words, and the groups of
# two and three words (one process each: the sanitizer build starts slowly)
awk '{p = ""; for (i = 1; i <= NF; i++) { print p "\t" $i; p = p (p == "" ? "" : " ") $i }}' \
    names.txt | grep -E '^(|sim|variable|product|product device|ledger instance|account mfa)	' |
    sort -u >expected.txt
cut -f1 expected.txt | sort -u | while IFS= read -r prefix; do
    # shellcheck disable=SC2086 # the prefix is split into words on purpose
    $PCTL __complete $prefix "" | sed "s/^/$prefix\t/" >>offered.txt
done
sort -u offered.txt | comm -23 expected.txt - | sed 's/^/missing: /'
echo "more than 100 commands checked: $(wc -l <names.txt | awk '{print ($1 > 100)}')"
source "$SRC/cli/completion/particlectl.bash"
COMP_WORDS=(particlectl dev); COMP_CWORD=1; _particlectl; echo "${COMPREPLY[@]}"
COMP_WORDS=(particlectl device r); COMP_CWORD=2; _particlectl; echo "${COMPREPLY[@]}"
COMP_WORDS=(particlectl list --j); COMP_CWORD=2; _particlectl; echo "${COMPREPLY[@]}"
COMP_WORDS=(particlectl get demo-argon-1 hu); COMP_CWORD=3; _particlectl; echo "${COMPREPLY[@]}"
mkdir keys && touch keys/token.txt
COMP_WORDS=(particlectl --token-file keys/); COMP_CWORD=2; _particlectl; echo "${COMPREPLY[@]}"
