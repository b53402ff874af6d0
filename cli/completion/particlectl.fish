# fish completion for particlectl. Installed to share/fish/vendor_completions.d/.
# The candidates come from `particlectl __complete WORDS... CURRENT` (see particlectl.bash).

function __particlectl_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    $tokens[1] __complete $tokens[2..-1] "$current" 2>/dev/null
end

complete -c particlectl -f -a '(__particlectl_complete)'
for option in token-file file client-secret-file json-template saveTo
    complete -c particlectl -l $option -r -F
end
