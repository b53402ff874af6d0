# login with the password from stdin stores the token; whoami then works with no
# environment variables at all, from the profile alone
unset PARTICLE_ACCESS_TOKEN PARTICLE_API_BASE_URL
printf 'demo-password\n' | $PCTL login -u demo@example.com --password-stdin --api-url "$URL" || exit
env -i HOME="$HOME" PATH="$PATH" $PCTL whoami || exit
(cd "$HOME" && stat -c '%a %n' .particle .particle/particle.config.json .particle/profile.json)
python3 -c '
import json, os, sys
cfg = json.load(open(os.path.expanduser("~/.particle/particle.config.json")))
print(sorted(cfg))
print(json.load(open(os.path.expanduser("~/.particle/profile.json"))))
tok = cfg["access_token"]
print("token is 40 hex:", len(tok) == 40 and all(c in "0123456789abcdef" for c in tok))
print("token differs from the demo token:", tok != os.environ["TOKEN"])
'
