# the zsh and fish scripts parse (zsh -n, fish -n) and complete through __complete
export PATH="$(dirname "$PCTL"):$PATH"
zsh -n "$SRC/cli/completion/_particlectl" && echo "zsh: syntax ok"
fish -n "$SRC/cli/completion/particlectl.fish" && echo "fish: syntax ok"
fish -c "source '$SRC/cli/completion/particlectl.fish'; complete -C 'particlectl sim re'" | cut -f1
fish -c "source '$SRC/cli/completion/particlectl.fish'; complete -C 'particlectl get demo-argon-1 te'" | cut -f1
