# bash completion knows product device add and its --file option
export PATH="$(dirname "$PCTL"):$PATH"
source "$SRC/cli/completion/particlectl.bash"
COMP_WORDS=(particlectl product device ""); COMP_CWORD=3; _particlectl; echo "${COMPREPLY[@]}"
COMP_WORDS=(particlectl product device add my-product --f); COMP_CWORD=5; _particlectl; echo "${COMPREPLY[@]}"
