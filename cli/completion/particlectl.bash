# bash completion for particlectl. Installed to share/bash-completion/completions/particlectl.
# Completes command words, subcommands and options; tests/cli checks it knows every command.

_particlectl()
{
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=""
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}

    local globals="--json --ndjson --csv --table --no-color --quiet --api-url --token-file
        --token-stdin --timeout --help"
    local commands="login logout whoami token list get call publish subscribe device product group
        team api customer oauth-client claim-code webhook integration flash compile binary account keys \
        env ledger logic-function help"

    # options that take a file or a free value
    case $prev in
    --type)
        if [ "${COMP_WORDS[1]}" = integration ]; then
            COMPREPLY=($(compgen -W "Webhook GoogleMaps GoogleCloudPubSub AzureIotHub" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "installed web" -- "$cur"))
        fi
        return
        ;;
    --algorithm)
        COMPREPLY=($(compgen -W "rsa ecc" -- "$cur"))
        return
        ;;
    --token-file | --file | --client-secret-file | --json-template | --saveTo)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --api-url | --timeout | --ttl | --max | --until | --product | --device | --username | -u | \
        --expires-in | --name | --groups | --per-page | --data | --query | --client-id | \
        --customer | --iccid | --imei | --redirect-uri | --scope | --org | --role | \
        --description | --color | --request-type | --event | --url | --device-id | --target | \
        --version | --title | --first-name | --last-name | --company | --direction | --page | \
        --replaced-before | --replaced-after)
        COMPREPLY=()
        return
        ;;
    esac

    # the command words typed so far (options skipped)
    local cmd="" i w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        -*) ;;
        *) cmd="${cmd:+$cmd }$w" ;;
        esac
    done

    local opts="" values=""
    case $cmd in
    "")
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$globals --version" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
        ;;
    token)
        COMPREPLY=($(compgen -W "list create revoke" -- "$cur"))
        return
        ;;
    device)
        COMPREPLY=($(compgen -W "rename notes ping signal remove claim lookup" -- "$cur"))
        return
        ;;
    product)
        COMPREPLY=($(compgen -W "device list get config firmware location" -- "$cur"))
        return
        ;;
    "product location")
        COMPREPLY=($(compgen -W "list get" -- "$cur"))
        return
        ;;
    "product config")
        COMPREPLY=($(compgen -W "get set" -- "$cur"))
        return
        ;;
    "product device")
        COMPREPLY=($(compgen -W "list add remove approve deny development lock unlock" -- "$cur"))
        return
        ;;
    "product firmware")
        COMPREPLY=($(compgen -W "list get upload release download" -- "$cur"))
        return
        ;;
    binary)
        COMPREPLY=($(compgen -W "download" -- "$cur"))
        return
        ;;
    group)
        COMPREPLY=($(compgen -W "list get create update delete add remove" -- "$cur"))
        return
        ;;
    team)
        COMPREPLY=($(compgen -W "list invite update remove" -- "$cur"))
        return
        ;;
    customer)
        COMPREPLY=($(compgen -W "list get create password delete" -- "$cur"))
        return
        ;;
    oauth-client)
        COMPREPLY=($(compgen -W "list create update delete" -- "$cur"))
        return
        ;;
    webhook)
        COMPREPLY=($(compgen -W "create list get edit delete test" -- "$cur"))
        return
        ;;
    integration)
        COMPREPLY=($(compgen -W "list get create edit delete test" -- "$cur"))
        return
        ;;
    account)
        COMPREPLY=($(compgen -W "show set identity create username password reset-password delete
            mfa" -- "$cur"))
        return
        ;;
    "account mfa")
        COMPREPLY=($(compgen -W "enable confirm disable" -- "$cur"))
        return
        ;;
    keys)
        COMPREPLY=($(compgen -W "send" -- "$cur"))
        return
        ;;
    env)
        COMPREPLY=($(compgen -W "list set delete render rollout" -- "$cur"))
        return
        ;;
    ledger)
        COMPREPLY=($(compgen -W "list get create update archive instance" -- "$cur"))
        return
        ;;
    "ledger instance")
        COMPREPLY=($(compgen -W "list get set delete versions version" -- "$cur"))
        return
        ;;
    logic-function)
        COMPREPLY=($(compgen -W "list get create update enable disable delete runs run logs execute" -- "$cur"))
        return
        ;;
    help*)
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return
        ;;
    login*) opts="--username --password-stdin --otp-stdin" ;;
    "token list"* ) opts="--username --password-stdin --otp-stdin" ;;
    "token create"*) opts="--username --password-stdin --otp-stdin --expires-in --never-expires" ;;
    get* | call* | "device rename"* | "device notes"* | "device ping"*) opts="--product" ;;
    "device signal"*)
        opts="--product"
        [ "$(wc -w <<<"$cmd")" -ge 3 ] && values="on off"
        ;;
    "device remove"*) opts="--product --yes" ;;
    "device claim"*) opts="--request-transfer" ;;
    publish*) opts="--private --public --ttl --product" ;;
    subscribe*) opts="--all-mine --device --product --max --until" ;;
    "product device list"*) opts="--name --groups --per-page" ;;
    "product device add"*) opts="--file" ;;
    "product device remove"*) opts="--yes" ;;
    "customer list"*) opts="--per-page" ;;
    "customer create"*) opts="--no-password --password-stdin --client-id --client-secret-file" ;;
    "customer delete"*) opts="--yes" ;;
    "oauth-client list"*) opts="--product" ;;
    "oauth-client create"*) opts="--type --redirect-uri --scope --product" ;;
    "oauth-client update"*) opts="--name --scope --product" ;;
    "oauth-client delete"*) opts="--yes --product" ;;
    claim-code*) opts="--product --customer --client-id --client-secret-file --iccid --imei" ;;
    "product device deny"*) opts="--yes" ;;
    "product device lock"*) opts="--flash" ;;
    "product device development"*) [ "$(wc -w <<<"$cmd")" -ge 5 ] && values="on off" ;;
    "product list"*) opts="--org" ;;
    "group list"*) opts="--name" ;;
    "group create"*) opts="--description --color" ;;
    "group update"*) opts="--name --description --color" ;;
    "group delete"*) opts="--yes" ;;
    "team list"*) opts="--org" ;;
    "team invite"*) opts="--org --role" ;;
    "team remove"*) opts="--org --yes" ;;
    "webhook create"* | "integration create"*)
        opts="--json-template --request-type --device --name --product --org"
        [[ $cmd == integration* ]] && opts="$opts --type"
        ;;
    "webhook edit"* | "integration edit"*)
        opts="--event --url --json-template --request-type --device --name --product --org"
        [[ $cmd == integration* ]] && opts="$opts --type"
        ;;
    "webhook list"* | "webhook get"*) opts="--product --org" ;;
    "integration list"*) opts="--type --product --org" ;;
    "integration get"*) opts="--product --org" ;;
    "webhook delete"*) opts="--yes --product --org" ;;
    "integration delete"*) opts="--yes --type --product --org" ;;
    "webhook test"* | "integration test"*) opts="--data --device-id --product --org" ;;
    "team update"*) opts="--org --role" ;;
    "customer password"*) opts="--password-stdin" ;;
    "product config set"*) opts="--data" ;;
    flash*) opts="--product --target" ;;
    compile*) opts="--saveTo --target" ;;
    "binary download"* | "product firmware download"*) opts="--saveTo" ;;
    "product firmware upload"*) opts="--version --title --description --mandatory" ;;
    "product firmware release"*) opts="--groups --product-default --intelligent" ;;
    "account set"*) opts="--first-name --last-name --company --business --no-business" ;;
    "account identity"*) opts="--full" ;;
    "account create"*) opts="--password-stdin --first-name --last-name --company --business" ;;
    "account username"* | "account password"*) opts="--password-stdin --invalidate-tokens" ;;
    "account delete"*) opts="--yes --password-stdin" ;;
    "account mfa confirm"*) opts="--otp-stdin --invalidate-tokens" ;;
    "account mfa disable"*) opts="--password-stdin" ;;
    "keys send"*) opts="--algorithm" ;;
    "product location list"*) opts="--date-range --rect-bl --rect-tr --device-id --device-name --groups --page --per-page" ;;
    "product location get"*) opts="--date-range --rect-bl --rect-tr" ;;
    "env rollout"*) opts="--sandbox --org --product --device --when --review" ;;
    env*) opts="--sandbox --org --product --device" ;;
    "ledger list"*) opts="--org --scope --page --per-page --archived" ;;
    "ledger get"* | "ledger instance get"* | "ledger instance version "*) opts="--org" ;;
    "ledger create"*) opts="--org --scope --direction --description" ;;
    "ledger update"*) opts="--org --description" ;;
    "ledger archive"* | "ledger instance delete"*) opts="--org --yes" ;;
    "ledger instance list"*) opts="--org --page --per-page" ;;
    "ledger instance set"*) opts="--org --data --merge" ;;
    "ledger instance versions"*) opts="--org --replaced-before --replaced-after" ;;
    "logic-function list"*) opts="--org --today-stats" ;;
    "logic-function create"* | "logic-function update"* | "logic-function execute"*) opts="--org --data" ;;
    "logic-function delete"*) opts="--org --yes" ;;
    "logic-function "*) opts="--org" ;;
    api*)
        opts="--data --query"
        [ "$(wc -w <<<"$cmd")" -eq 1 ] && values="GET POST PUT PATCH DELETE"
        ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$globals $opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$values" -- "$cur"))
    fi
}
complete -F _particlectl particlectl
