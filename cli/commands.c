/* The command table: names, help text (the man page is generated from it) and entry points. */
#include "commands.h"

const cli_command cli_commands[] = {
    {"login", "", "Log in and store the access token in the particle-cli profile",
     "Asks for the username and the password (without echo) and, when the account uses\n"
     "multi-factor authentication, the one-time password. The token, the username and, when\n"
     "--api-url is given, the API URL go to ~/.particle/PROFILE.config.json (mode 0600), where\n"
     "particle-cli finds them too. With --token-file or --token-stdin an existing token is\n"
     "checked (GET /v1/user) and stored instead.\n",
     "  -u, --username EMAIL  the account (default: ask)\n"
     "  --password-stdin      read the password from the first line of standard input\n"
     "  --otp-stdin           read the one-time password from the next line of standard input\n",
     "particlectl login --username demo@example.com\n"
     "printf '%s\\n' \"$PASSWORD\" | particlectl login -u demo@example.com --password-stdin\n"
     "particlectl login --token-file ~/.particle-token --api-url http://127.0.0.1:8080",
     cli_cmd_login},
    {"logout", "", "Revoke the current access token and remove it from the profile",
     "Sends DELETE /v1/access_tokens/current, then removes access_token from the profile\n"
     "when it was the token in effect (a token from --token-file, --token-stdin or\n"
     "PARTICLE_ACCESS_TOKEN leaves the profile's alone). A token the API no longer accepts\n"
     "is removed all the same.\n",
     NULL, "particlectl logout", cli_cmd_logout},
    {"whoami", "", "Print the username the access token belongs to", NULL, NULL,
     "particlectl whoami\nparticlectl whoami --json", cli_cmd_whoami},
    {"token list", "", "List the account's access tokens (needs the password)",
     "Sends GET /v1/access_tokens with the username and password (HTTP Basic). The username\n"
     "defaults to the profile's.\n",
     "  -u, --username EMAIL  the account (default: the profile's username, else ask)\n"
     "  --password-stdin      read the password from standard input\n"
     "  --otp-stdin           read the one-time password from the next line of standard input\n",
     "particlectl token list --username demo@example.com", cli_cmd_token_list},
    {"token create", "", "Create a new access token (needs the password) and print it",
     "Logs in with the password grant and prints the new token; the profile is not changed.\n",
     "  -u, --username EMAIL  the account (default: the profile's username, else ask)\n"
     "  --password-stdin      read the password from standard input\n"
     "  --otp-stdin           read the one-time password from the next line of standard input\n"
     "  --expires-in DUR      lifetime (e.g. 3600, 12h, 30d; default 90 days)\n"
     "  --never-expires       a token that never expires\n",
     "particlectl token create --never-expires --username demo@example.com", cli_cmd_token_create},
    {"token revoke", "-", "Revoke an access token",
     "Reads the token from the first line of standard input and sends\n"
     "DELETE /v1/access_tokens/TOKEN. The token is never taken as an argument, so it stays\n"
     "out of the process list and the shell history.\n",
     NULL, "particlectl token revoke - < old-token.txt", cli_cmd_token_revoke},
    {"list", "[FILTER]", "List your devices",
     "Sends GET /v1/devices and prints the devices sorted by name. FILTER keeps only devices\n"
     "that are online, offline, of a platform (photon, electron, argon, boron, p2, ...), or\n"
     "whose name or ID contains FILTER (any case).\n",
     NULL, "particlectl list\nparticlectl list online --json\nparticlectl list boron --csv",
     cli_cmd_list},
    {"get", "DEVICE [VARIABLE]", "Show a device, or read one of its variables",
     "With DEVICE alone, prints the device's details (GET /v1/devices/DEVICE). With a\n"
     "VARIABLE, prints its value bare (GET /v1/devices/DEVICE/VARIABLE); --json keeps its\n"
     "type. DEVICE is an ID or a name.\n",
     "  --product P        use the product route /v1/products/P/devices/...\n",
     "particlectl get weather_station\nparticlectl get weather_station temperature\n"
     "particlectl get weather_station temperature --json",
     cli_cmd_get},
    {"call", "DEVICE FUNCTION [ARG]", "Call a function on a device and print its return value",
     "Sends POST /v1/devices/DEVICE/FUNCTION with {\"args\": ARG}. The call is not retried:\n"
     "the device may already have run it.\n",
     "  --product P        use the product route /v1/products/P/devices/...\n",
     "particlectl call lamp led on\nparticlectl call lamp setColor 255,0,0 --json", cli_cmd_call},
    {"publish", "NAME [DATA]", "Publish an event",
     "Sends POST /v1/devices/events (or /v1/products/P/events). Events are private unless\n"
     "--public is given.\n",
     "  --private          a private event (the default)\n"
     "  --public           a public event\n"
     "  --ttl N            time to live in seconds (the cloud's default is 60)\n"
     "  --product P        publish to product P's event stream\n",
     "particlectl publish temp 22.5\nparticlectl publish alarm --product my-product --json",
     cli_cmd_publish},
    {"subscribe", "[PREFIX]", "Print events as they arrive, one line per event",
     "Follows an event stream: your devices' events (the default), one device's, or a\n"
     "product's, keeping only names that start with PREFIX. Each event is one line; with\n"
     "--json or --ndjson one JSON object per line {name, data, ttl, published_at, coreid}.\n"
     "A lost connection is re-established on its own (a note goes to stderr). Stops on\n"
     "Ctrl-C, after --max events or after --until, with exit status 0.\n",
     "  --all-mine         events of all your devices (the default)\n"
     "  --device D         events of device D (ID or name)\n"
     "  --product P        events of product P (with --device: one product device)\n"
     "  --max N            stop after N events\n"
     "  --until DUR        stop after DUR (e.g. 30s, 5m, 1h)\n",
     "particlectl subscribe temp --max 10 --json\nparticlectl subscribe --device lamp --until 5m",
     cli_cmd_subscribe},
    {"device rename", "DEVICE NAME", "Rename a device", NULL,
     "  --product P        use the product route\n",
     "particlectl device rename 0123456789abcdef01234567 weather_station", cli_cmd_device_rename},
    {"device notes", "DEVICE NOTES", "Set a device's notes (\"\" clears them)", NULL,
     "  --product P        use the product route\n",
     "particlectl device notes weather_station \"on the roof\"", cli_cmd_device_notes},
    {"device ping", "DEVICE", "Ask the cloud whether a device is online",
     "Sends PUT /v1/devices/DEVICE/ping.\n", "  --product P        use the product route\n",
     "particlectl device ping lamp", cli_cmd_device_ping},
    {"device signal", "DEVICE on|off", "Make a device's LED shout rainbows (or stop)", NULL,
     "  --product P        use the product route\n", "particlectl device signal lamp on",
     cli_cmd_device_signal},
    {"device remove", "DEVICE", "Release a device from your account",
     "Sends DELETE /v1/devices/DEVICE. Asks first on a terminal; elsewhere needs --yes.\n",
     "  --yes              do not ask\n"
     "  --product P        remove it from product P instead\n",
     "particlectl device remove old_lamp --yes", cli_cmd_device_remove},
    {"device claim", "DEVICE_ID", "Claim a device for your account",
     "Sends POST /v1/devices {id}. With --request-transfer, asks the current owner to\n"
     "transfer it.\n",
     "  --request-transfer request a transfer from the current owner\n",
     "particlectl device claim 0123456789abcdef01234567", cli_cmd_device_claim},
    {"device lookup", "SERIAL", "Find a device by the serial number printed on it",
     "Sends GET /v1/serial_numbers/SERIAL and prints the device ID and ICCID. The API allows\n"
     "50 lookups an hour.\n",
     NULL, "particlectl device lookup E40KAB111111111 --json", cli_cmd_device_lookup},
    {"product device list", "PRODUCT", "List every device of a product (all pages)",
     "Walks GET /v1/products/PRODUCT/devices page by page and prints every device. Shows\n"
     "progress on stderr when stderr is a terminal.\n",
     "  --name TEXT        only devices whose name contains TEXT\n"
     "  --groups G1,G2     only devices in these groups\n"
     "  --per-page N       devices per request (the API's default is 25)\n",
     "particlectl product device list my-product --csv > fleet.csv", cli_cmd_product_device_list},
    {"product device add", "PRODUCT DEVICE... | PRODUCT --file FILE",
     "Add (import) devices to a product",
     "Sends POST /v1/products/PRODUCT/devices with the device IDs ({id} for one, {ids} for\n"
     "several); the same call approves a quarantined device. With --file, FILE goes to the\n"
     "API as it is, a multipart list-file import: one device ID, serial number, IMEI or\n"
     "ICCID per line. Prints how the API sorted them: updatedDeviceIds are now in the\n"
     "product, existingDeviceIds already were; nonmemberDeviceIds (owned outside the product\n"
     "team), invalidDeviceIds and protectedDeviceIds were not added, which is also reported\n"
     "on stderr with exit status 1.\n",
     "  --file FILE        import the identifiers listed in FILE (- = standard input)\n"
     "                     instead of DEVICE arguments\n",
     "particlectl product device add my-product 0123456789abcdef01234567\n"
     "particlectl product device add my-product --file new-devices.txt --json",
     cli_cmd_product_device_add},
    {"product device remove", "PRODUCT DEVICE", "Remove a device from a product",
     "Sends DELETE /v1/products/PRODUCT/devices/DEVICE. Asks first on a terminal; elsewhere\n"
     "needs --yes.\n",
     "  --yes              do not ask\n",
     "particlectl product device remove my-product 0123456789abcdef01234567 --yes",
     cli_cmd_product_device_remove},
    {"product device approve", "PRODUCT DEVICE", "Approve a quarantined device into a product",
     "Sends POST /v1/products/PRODUCT/devices {\"id\": DEVICE}, the import that approves a\n"
     "quarantined device. A device the API refuses (invalid, owned outside the product team,\n"
     "protected) is reported on stderr with exit status 1.\n",
     NULL, "particlectl product device approve my-product 0123456789abcdef01234567",
     cli_cmd_product_device_approve},
    {"product device deny", "PRODUCT DEVICE", "Deny a quarantined device",
     "Sends DELETE /v1/products/PRODUCT/devices/DEVICE {\"deny\": true}. Asks first on a\n"
     "terminal; elsewhere needs --yes.\n",
     "  --yes              do not ask\n",
     "particlectl product device deny my-product 0123456789abcdef01234567 --yes",
     cli_cmd_product_device_deny},
    {"product device development", "PRODUCT DEVICE on|off",
     "Mark a product device as a development device (or not)",
     "Sends PUT /v1/products/PRODUCT/devices/DEVICE {\"development\": true|false}. A\n"
     "development device keeps its firmware: the product's releases leave it alone.\n",
     NULL, "particlectl product device development my-product lab_boron on",
     cli_cmd_product_device_development},
    {"product device lock", "PRODUCT DEVICE VERSION", "Lock a product device to a firmware version",
     "Sends PUT /v1/products/PRODUCT/devices/DEVICE {\"desired_firmware_version\": VERSION};\n"
     "with --flash also {\"flash\": true}, so the device updates now rather than at its next\n"
     "connection.\n",
     "  --flash            flash the locked version now\n",
     "particlectl product device lock my-product tracker-1 3 --flash", cli_cmd_product_device_lock},
    {"product device unlock", "PRODUCT DEVICE", "Unlock a product device's firmware",
     "Sends PUT /v1/products/PRODUCT/devices/DEVICE {\"desired_firmware_version\": null}: the\n"
     "device follows the product's releases again.\n",
     NULL, "particlectl product device unlock my-product tracker-1", cli_cmd_product_device_unlock},
    {"product list", "", "List your products (or an organization's)",
     "Sends GET /v1/user/products, or GET /v1/orgs/ORG/products with --org.\n",
     "  --org ORG          the products of organization ORG (id or slug)\n",
     "particlectl product list\nparticlectl product list --org my-company --csv",
     cli_cmd_product_list},
    {"product get", "PRODUCT", "Show a product",
     "Sends GET /v1/products/PRODUCT (id or slug) and prints the product's details.\n", NULL,
     "particlectl product get my-product\nparticlectl product get 12345 --json",
     cli_cmd_product_get},
    {"group list", "PRODUCT", "List a product's device groups",
     "Sends GET /v1/products/PRODUCT/groups. The devices of a group: product device list\n"
     "PRODUCT --groups GROUP.\n",
     "  --name TEXT        only groups whose name contains TEXT\n",
     "particlectl group list my-product\nparticlectl group list my-product --name lab --json",
     cli_cmd_group_list},
    {"group get", "PRODUCT GROUP", "Show a device group",
     "Sends GET /v1/products/PRODUCT/groups/GROUP (with its device_count).\n", NULL,
     "particlectl group get my-product europe", cli_cmd_group_get},
    {"group create", "PRODUCT NAME", "Create a device group",
     "Sends POST /v1/products/PRODUCT/groups {name, description, color}. Names are lowercase\n"
     "letters, digits, dashes and underscores.\n",
     "  --description TEXT the group's description\n"
     "  --color COLOR      its color, e.g. #e74c3c\n",
     "particlectl group create my-product europe --description 'EU fleet' --color '#e74c3c'",
     cli_cmd_group_create},
    {"group update", "PRODUCT GROUP", "Rename a device group or change its description or color",
     "Sends PUT /v1/products/PRODUCT/groups/GROUP with the fields given (at least one).\n",
     "  --name NAME        rename the group\n"
     "  --description TEXT a new description (\"\" clears it)\n"
     "  --color COLOR      a new color\n",
     "particlectl group update my-product europe --name eu", cli_cmd_group_update},
    {"group delete", "PRODUCT GROUP", "Delete a device group",
     "Sends DELETE /v1/products/PRODUCT/groups/GROUP. Its devices leave the group and stay in\n"
     "the product. Asks first on a terminal; elsewhere needs --yes.\n",
     "  --yes              do not ask\n", "particlectl group delete my-product old-batch --yes",
     cli_cmd_group_delete},
    {"group add", "PRODUCT GROUP DEVICE_ID...", "Put devices into a group",
     "Sends one PUT /v1/products/PRODUCT/devices {\"action\": \"groups\", \"devices\": [...],\n"
     "\"metadata\": {\"add\": [GROUP]}} for all the DEVICE_IDs at once; their other groups\n"
     "stay. The batch call takes 24-character device IDs, not device names (product device\n"
     "list PRODUCT shows them).\n",
     NULL, "particlectl group add my-product europe 0123456789abcdef01234567", cli_cmd_group_add},
    {"group remove", "PRODUCT GROUP DEVICE_ID...", "Take devices out of a group",
     "Sends one PUT /v1/products/PRODUCT/devices {\"action\": \"groups\", \"devices\": [...],\n"
     "\"metadata\": {\"remove\": [GROUP]}} for all the DEVICE_IDs at once; the devices stay\n"
     "in the product. The batch call takes 24-character device IDs, not device names.\n",
     NULL, "particlectl group remove my-product europe 0123456789abcdef01234567",
     cli_cmd_group_remove},
    {"team list", "[PRODUCT]", "List the team of a product (or of an organization)",
     "Sends GET /v1/products/PRODUCT/team, or GET /v1/orgs/ORG/team with --org. API users\n"
     "show is_programmatic true and their scopes.\n",
     "  --org ORG          the team of organization ORG instead of a product's\n",
     "particlectl team list my-product\nparticlectl team list --org my-company --json",
     cli_cmd_team_list},
    {"team invite", "[PRODUCT] EMAIL", "Invite a user to a product's (or an organization's) team",
     "Sends POST /v1/products/PRODUCT/team {username, role} (or /v1/orgs/ORG/team).\n",
     "  --role ROLE        Administrator, Developer, View-only or Support (default: the API's)\n"
     "  --org ORG          invite to organization ORG's team instead\n",
     "particlectl team invite my-product dev@example.com --role Developer", cli_cmd_team_invite},
    {"team remove", "[PRODUCT] EMAIL",
     "Remove a member from a product's (or an organization's) team",
     "Sends DELETE /v1/products/PRODUCT/team/EMAIL (or /v1/orgs/ORG/team/EMAIL). Asks first\n"
     "on a terminal; elsewhere needs --yes.\n",
     "  --org ORG          remove from organization ORG's team instead\n"
     "  --yes              do not ask\n",
     "particlectl team remove my-product dev@example.com --yes", cli_cmd_team_remove},
    {"api", "METHOD PATH", "Send any API request (the raw escape hatch)",
     "Sends METHOD PATH to the API with the token in effect and prints the JSON answer\n"
     "(pretty by default; --ndjson: one line, an array's elements one per line; --csv or\n"
     "--table: an object or a list of objects as records). Errors and exit statuses are\n"
     "those of every other command. METHOD is GET, POST, PUT, PATCH or DELETE.\n",
     "  --data JSON        request body: JSON text, @FILE, or - for standard input\n"
     "  --query Q          encoded query string, e.g. 'page=2&per_page=50'\n",
     "particlectl api GET /v1/user\n"
     "particlectl api PUT /v1/devices/lamp --data '{\"notes\":\"hall\"}'\n"
     "particlectl api GET /v1/products/my-product/devices --query per_page=100 --ndjson",
     cli_cmd_api},
    {"customer list", "PRODUCT", "List every customer of a product (all pages)",
     "Walks GET /v1/products/PRODUCT/customers page by page and prints every customer: id,\n"
     "username (the e-mail), full_name and the ids of its devices.\n",
     "  --per-page N       customers per request (sent as perPage)\n",
     "particlectl customer list my-product\nparticlectl customer list my-product --csv",
     cli_cmd_customer_list},
    {"customer create", "PRODUCT EMAIL", "Create a customer of a product",
     "Sends POST /v1/products/PRODUCT/customers. With the product's OAuth client (--client-id\n"
     "or PARTICLE_CLIENT_ID, and its secret from --client-secret-file or\n"
     "PARTICLE_CLIENT_SECRET) the client authenticates; without one, the access token in\n"
     "effect (a product team member's). The customer's password is asked for on the\n"
     "terminal or read from standard input, never taken as an argument; --no-password makes\n"
     "a shadow customer without one. The API answers with the customer's access token,\n"
     "which is not printed.\n",
     "  --no-password          a shadow customer (no_password=true)\n"
     "  --password-stdin       read the password from the first line of standard input\n"
     "  --client-id ID         the product's OAuth client (default: PARTICLE_CLIENT_ID)\n"
     "  --client-secret-file F read the client's secret from the first line of F, which\n"
     "                         only its owner may read (chmod 600); default:\n"
     "                         PARTICLE_CLIENT_SECRET\n",
     "particlectl customer create my-product jane@example.com --no-password\n"
     "printf '%s\\n' \"$PW\" | particlectl customer create my-product jane@example.com "
     "--password-stdin \\\n"
     "    --client-id my-app-2146 --client-secret-file ~/.my-app-secret",
     cli_cmd_customer_create},
    {"customer delete", "PRODUCT EMAIL", "Delete a customer of a product",
     "Sends DELETE /v1/products/PRODUCT/customers/EMAIL, which also revokes the customer's\n"
     "tokens and claim codes. Asks first on a terminal; elsewhere needs --yes.\n",
     "  --yes              do not ask\n",
     "particlectl customer delete my-product jane@example.com --yes", cli_cmd_customer_delete},
    {"oauth-client list", "", "List OAuth clients (yours, or a product's)",
     "Sends GET /v1/clients (or /v1/products/P/clients) and prints id, name, type,\n"
     "redirect_uri and scope. Secrets are never listed.\n",
     "  --product P        the product's clients\n",
     "particlectl oauth-client list\nparticlectl oauth-client list --product my-product --json",
     cli_cmd_oauth_client_list},
    {"oauth-client create", "NAME", "Create an OAuth client and print its secret (once)",
     "Sends POST /v1/clients (or /v1/products/P/clients) with {name, type, redirect_uri,\n"
     "scope}. The new client's secret is printed on stdout, once: the API shows it only in\n"
     "this answer, so store it now (e.g. redirect --json to a file only you can read).\n"
     "A product client (--product, scope customers:create) creates customers and their\n"
     "tokens.\n",
     "  --type T           installed or web (required)\n"
     "  --redirect-uri U   where a web client's users are sent back\n"
     "  --scope S          customers:create or *:* (space separated)\n"
     "  --product P        a client of product P\n",
     "(umask 077; particlectl oauth-client create server --type installed --product my-product "
     "\\\n"
     "    --scope customers:create --json > my-app-client.json)",
     cli_cmd_oauth_client_create},
    {"oauth-client update", "CLIENT_ID", "Rename an OAuth client or change its scope",
     "Sends PUT /v1/clients/CLIENT_ID (or the product route) with {name, scope}.\n",
     "  --name NAME        the new name\n"
     "  --scope S          the new scope (none removes it)\n"
     "  --product P        a client of product P\n",
     "particlectl oauth-client update my-app-2146 --name \"fleet server\" --product my-product",
     cli_cmd_oauth_client_update},
    {"oauth-client delete", "CLIENT_ID", "Delete an OAuth client",
     "Sends DELETE /v1/clients/CLIENT_ID (or the product route). Whatever logs in with it\n"
     "stops working. Asks first on a terminal; elsewhere needs --yes.\n",
     "  --yes              do not ask\n"
     "  --product P        a client of product P\n",
     "particlectl oauth-client delete my-app-2146 --product my-product --yes",
     cli_cmd_oauth_client_delete},
    {"claim-code", "", "Create a claim code for a new device",
     "Sends POST /v1/device_claims and prints the claim code (--json adds device_ids, the\n"
     "devices the account already owns). With --product, a code for a customer of the\n"
     "product: POST /v1/products/P/device_claims with the customer's token, which is the\n"
     "token in effect (--token-file, PARTICLE_ACCESS_TOKEN), or with --customer, one\n"
     "obtained from the product's OAuth client (client_credentials, scope=customer=EMAIL).\n",
     "  --product P            a customer's claim code in product P\n"
     "  --customer EMAIL       act as this customer of P (needs the OAuth client)\n"
     "  --client-id ID         the product's OAuth client (default: PARTICLE_CLIENT_ID)\n"
     "  --client-secret-file F its secret, from a file only you can read (default:\n"
     "                         PARTICLE_CLIENT_SECRET)\n"
     "  --iccid ICCID          a cellular device's ICCID\n"
     "  --imei IMEI            a cellular device's IMEI\n",
     "particlectl claim-code\n"
     "particlectl claim-code --product my-product --customer jane@example.com --client-id "
     "my-app-2146",
     cli_cmd_claim_code},
    {"webhook create", "EVENT URL [DEVICE [REQUEST_TYPE]] | FILE.json",
     "Create a webhook that sends EVENT's events to URL",
     "Sends POST /v1/integrations (with --product: /v1/products/P/integrations, --org:\n"
     "/v1/orgs/O/integrations) {integration_type: \"Webhook\", event, url, requestType (default\n"
     "POST), deviceID, ...}, like particle-cli's webhook create. A JSON template (a FILE.json in\n"
     "the event's place, or --json-template) gives the other settings: json, form, body,\n"
     "headers, query, auth, responseTemplate, responseTopic, errorResponseTopic, noDefaults,\n"
     "rejectUnauthorized, ... (see docs/api/webhooks.md); the arguments win over its members.\n",
     "  --json-template FILE  the webhook's settings as a JSON object\n"
     "  --request-type M      GET, POST, PUT or DELETE\n"
     "  --device D            only this device's events\n"
     "  --name NAME           the webhook's name\n"
     "  --product P           a webhook of product P\n"
     "  --org O               a webhook of organization O\n",
     "particlectl webhook create temp https://example.com/in\n"
     "particlectl webhook create temp https://example.com/in --json-template hook.json "
     "--product my-product\n"
     "particlectl webhook create hook.json",
     cli_cmd_webhook_create},
    {"webhook list", "", "List your webhooks",
     "Sends GET /v1/integrations (or the --product / --org route) and shows the integrations\n"
     "of type Webhook.\n",
     "  --product P        the webhooks of product P\n"
     "  --org O            the webhooks of organization O\n",
     "particlectl webhook list\nparticlectl webhook list --product my-product --json",
     cli_cmd_webhook_list},
    {"webhook get", "ID", "Show a webhook with its delivery errors",
     "Sends GET /v1/integrations/ID (or the --product / --org route).\n",
     "  --product P        a webhook of product P\n"
     "  --org O            a webhook of organization O\n",
     "particlectl webhook get 5a8ef38cb85f8720edce631a", cli_cmd_webhook_get},
    {"webhook edit", "ID", "Change a webhook",
     "Reads the webhook (GET /v1/integrations/ID), lays the changes over its settings and sends\n"
     "them all with PUT /v1/integrations/ID: the API replaces the whole configuration.\n",
     "  --event E          the event prefix\n"
     "  --url URL          the receiver\n"
     "  --json-template F  settings to lay over the current ones\n"
     "  --request-type M   GET, POST, PUT or DELETE\n"
     "  --device D         only this device's events\n"
     "  --name NAME        the webhook's name\n"
     "  --product P        a webhook of product P\n"
     "  --org O            a webhook of organization O\n",
     "particlectl webhook edit 5a8ef38cb85f8720edce631a --url https://example.com/v2",
     cli_cmd_webhook_edit},
    {"webhook delete", "ID|all", "Delete a webhook, or all of them",
     "Sends DELETE /v1/integrations/ID (or the --product / --org route). 'all' deletes every\n"
     "webhook in the scope, one request each. Asks first on a terminal; elsewhere needs --yes.\n",
     "  --yes              do not ask\n"
     "  --product P        webhooks of product P\n"
     "  --org O            webhooks of organization O\n",
     "particlectl webhook delete 5a8ef38cb85f8720edce631a --yes\n"
     "particlectl webhook delete all",
     cli_cmd_webhook_delete},
    {"webhook test", "ID", "Send a sample event through a webhook",
     "Sends POST /v1/integrations/ID/test {data, device_id} and shows whether the receiver\n"
     "accepted it (exit status 1 when it did not).\n",
     "  --data TEXT        the event data (default: the API's \"test-event\")\n"
     "  --device-id D      the sender (default: the API's \"api\")\n"
     "  --product P        a webhook of product P\n"
     "  --org O            a webhook of organization O\n",
     "particlectl webhook test 5a8ef38cb85f8720edce631a --data 21.5", cli_cmd_webhook_test},
    {"integration list", "", "List your integrations (every type)",
     "Sends GET /v1/integrations (--product: /v1/products/P/integrations, --org:\n"
     "/v1/orgs/O/integrations).\n",
     "  --type T           only integrations of type T (Webhook, GoogleMaps,\n"
     "                     GoogleCloudPubSub, AzureIotHub; any case)\n"
     "  --product P        the integrations of product P\n"
     "  --org O            the integrations of organization O\n",
     "particlectl integration list --type webhook --csv", cli_cmd_integration_list},
    {"integration get", "ID", "Show an integration with its delivery errors",
     "Sends GET /v1/integrations/ID (or the --product / --org route).\n",
     "  --product P        an integration of product P\n"
     "  --org O            an integration of organization O\n",
     "particlectl integration get 5a8ef38cb85f8720edce631a --json", cli_cmd_integration_get},
    {"integration create", "EVENT [URL [DEVICE [REQUEST_TYPE]]] | FILE.json",
     "Create an integration triggered by EVENT",
     "Sends POST /v1/integrations {integration_type, event, url, ...} like particle-cli's\n"
     "integration create; the type is --type, else the template's integration_type, else\n"
     "Webhook (which needs a URL). Other types take their settings from the template\n"
     "(GoogleMaps: api_key, GoogleCloudPubSub: topic, AzureIotHub: hub_name, ...).\n",
     "  --type T              Webhook, GoogleMaps, GoogleCloudPubSub or AzureIotHub\n"
     "  --json-template FILE  the integration's settings as a JSON object\n"
     "  --request-type M      GET, POST, PUT or DELETE\n"
     "  --device D            only this device's events\n"
     "  --name NAME           the integration's name\n"
     "  --product P           an integration of product P\n"
     "  --org O               an integration of organization O\n",
     "particlectl integration create temp https://example.com/in --org my-org\n"
     "particlectl integration create gmaps.json --type googlemaps",
     cli_cmd_integration_create},
    {"integration edit", "ID", "Change an integration",
     "Reads the integration, lays the changes over its settings and sends them all with\n"
     "PUT /v1/integrations/ID (the API replaces the whole configuration).\n",
     "  --event E          the event prefix\n"
     "  --url URL          the receiver\n"
     "  --type T           the integration type\n"
     "  --json-template F  settings to lay over the current ones\n"
     "  --request-type M   GET, POST, PUT or DELETE\n"
     "  --device D         only this device's events\n"
     "  --name NAME        the integration's name\n"
     "  --product P        an integration of product P\n"
     "  --org O            an integration of organization O\n",
     "particlectl integration edit 5a8ef38cb85f8720edce631a --json-template hook.json",
     cli_cmd_integration_edit},
    {"integration delete", "ID|all", "Delete an integration, or all of them",
     "Sends DELETE /v1/integrations/ID (or the --product / --org route). 'all' deletes every\n"
     "integration in the scope (of --type T only, when given). Asks first on a terminal;\n"
     "elsewhere needs --yes.\n",
     "  --yes              do not ask\n"
     "  --type T           with 'all': only integrations of type T\n"
     "  --product P        integrations of product P\n"
     "  --org O            integrations of organization O\n",
     "particlectl integration delete all --type googlemaps --yes", cli_cmd_integration_delete},
    {"integration test", "ID", "Send a sample event through an integration",
     "Sends POST /v1/integrations/ID/test {data, device_id}; exit status 1 when the test\n"
     "did not pass.\n",
     "  --data TEXT        the event data (default: the API's \"test-event\")\n"
     "  --device-id D      the sender (default: the API's \"api\")\n"
     "  --product P        an integration of product P\n"
     "  --org O            an integration of organization O\n",
     "particlectl integration test 5a8ef38cb85f8720edce631a", cli_cmd_integration_test},
    {"customer get", "PRODUCT EMAIL", "Show one customer of a product",
     "Finds EMAIL (case ignored) in GET /v1/products/PRODUCT/customers, walking every page:\n"
     "the API has no route for a single customer. Prints id, username, full_name and the\n"
     "ids of its devices.\n",
     NULL, "particlectl customer get my-product jane@example.com --json", cli_cmd_customer_get},
    {"customer password", "PRODUCT EMAIL", "Change a customer's password",
     "Sends PUT /v1/products/PRODUCT/customers/EMAIL {password} with the access token in\n"
     "effect (a product team member's, not the customer's). The new password is asked for on\n"
     "the terminal or read from standard input, never taken as an argument. A shadow\n"
     "customer (created with --no-password) has no password to change.\n",
     "  --password-stdin   read the password from the first line of standard input\n",
     "printf '%s\\n' \"$PW\" | particlectl customer password my-product jane@example.com "
     "--password-stdin",
     cli_cmd_customer_password},
    {"team update", "[PRODUCT] EMAIL", "Change a team member's role",
     "Sends POST /v1/products/PRODUCT/team/EMAIL {role} (or /v1/orgs/ORG/team/EMAIL). Only\n"
     "an Administrator may change roles.\n",
     "  --role ROLE        Administrator, Developer, View-only or Support (required)\n"
     "  --org ORG          a member of organization ORG's team instead\n",
     "particlectl team update my-product dev@example.com --role View-only", cli_cmd_team_update},
    {"product config get", "PRODUCT [DEVICE]", "Show a product's (or a device's) configuration",
     "Sends GET /v1/products/PRODUCT/config (or .../config/DEVICE: the device's own\n"
     "configuration, else its product's) and prints each section. --json prints the\n"
     "configuration object itself. A product without one is an error (the API answers 404).\n",
     NULL,
     "particlectl product config get my-product\nparticlectl product config get my-product "
     "0123456789abcdef01234567 --json",
     cli_cmd_product_config_get},
    {"product config set", "PRODUCT [DEVICE]", "Set a product's (or a device's) configuration",
     "Sends PUT /v1/products/PRODUCT/config (or .../config/DEVICE) with the configuration, a\n"
     "JSON object of sections, which replaces the one set before. An offline device takes it\n"
     "when it next connects. Prints the configuration as the API answered it.\n",
     "  --data JSON        the configuration: JSON text, @FILE, or - for standard input\n",
     "particlectl product config set my-product --data '{\"imu_trig\":{\"motion\":\"disable\"}}'\n"
     "particlectl product config set my-product --data @tracker-config.json --json",
     cli_cmd_product_config_set},
    {"flash", "DEVICE FILE...|VERSION", "Flash firmware to a device over the air",
     "Sends PUT /v1/devices/DEVICE (or /v1/products/P/devices/DEVICE) with the firmware as\n"
     "multipart/form-data: one .bin file is flashed as it is; other files are source code,\n"
     "compiled in the cloud for the device (file, file2, ...) against --target or the latest\n"
     "Device OS. A number that is not a file is a released product firmware version: with\n"
     "--product, the device is locked to it and flashed now ({desired_firmware_version,\n"
     "flash: true}). A progress bar shows the upload when stderr is a terminal.\n",
     "  --product P        use the product route /v1/products/P/devices/...\n"
     "  --target VERSION   Device OS version to compile sources against (default: latest)\n",
     "particlectl flash lamp firmware.bin\nparticlectl flash lamp src/app.ino src/lib.h\n"
     "particlectl flash lamp 3 --product my-product",
     cli_cmd_flash},
    {"compile", "PLATFORM FILES...", "Compile source files in the cloud and save the binary",
     "Sends POST /v1/binaries with the files (file, file2, ...), platform_id and\n"
     "build_target_version (or latest=true), then downloads the binary (GET\n"
     "/v1/binaries/ID) to --saveTo, by default PLATFORM_firmware_MILLISECONDS.bin as\n"
     "particle-cli names it. PLATFORM is a name (photon, argon, boron, p2, msom, ...) or a\n"
     "platform id. Compile errors come back as the API's message (exit 1).\n",
     "  --saveTo FILE      where to save the binary\n"
     "  --target VERSION   Device OS version to build against (default: latest)\n",
     "particlectl compile argon src/app.ino --saveTo app.bin\n"
     "particlectl compile 13 app.ino lib.cpp lib.h --target 5.8.0 --json",
     cli_cmd_compile},
    {"binary download", "BINARY_ID", "Download a compiled binary",
     "Sends GET /v1/binaries/BINARY_ID and saves the binary to --saveTo (default\n"
     "BINARY_ID.bin). The file appears only once complete: a cut-off download leaves\n"
     "nothing at that path.\n",
     "  --saveTo FILE      where to save the binary\n",
     "particlectl binary download 5a1b2c3d4e5f --saveTo app.bin", cli_cmd_binary_download},
    {"product firmware list", "PRODUCT", "List a product's firmware versions",
     "Sends GET /v1/products/PRODUCT/firmware: each version with its title, size, whether it\n"
     "is the product default, its groups and device count.\n",
     NULL,
     "particlectl product firmware list my-product\n"
     "particlectl product firmware list my-product --csv",
     cli_cmd_product_firmware_list},
    {"product firmware get", "PRODUCT VERSION", "Show one product firmware version",
     "Sends GET /v1/products/PRODUCT/firmware/VERSION.\n", NULL,
     "particlectl product firmware get my-product 3 --json", cli_cmd_product_firmware_get},
    {"product firmware upload", "PRODUCT FILE", "Upload a product firmware binary",
     "Sends POST /v1/products/PRODUCT/firmware as multipart/form-data: the binary as part\n"
     "file, then version, title and description. The API refuses a version that exists, a\n"
     "binary for another platform, and empty or oversized binaries (exit 1). A progress bar\n"
     "shows the upload when stderr is a terminal.\n",
     "  --version N        the firmware version (required)\n"
     "  --title TEXT       its title (required)\n"
     "  --description TEXT its description\n"
     "  --mandatory        a mandatory update\n",
     "particlectl product firmware upload my-product app.bin --version 3 --title 'Fix sleep'",
     cli_cmd_product_firmware_upload},
    {"product firmware release", "PRODUCT VERSION", "Release a product firmware version",
     "Sends PUT /v1/products/PRODUCT/firmware/release {version, product_default, groups,\n"
     "intelligent}: to the whole fleet (--product-default), to device groups (--groups), or\n"
     "both. Devices pick it up when they next connect.\n",
     "  --product-default  make it the product's default firmware\n"
     "  --groups G1,G2     release it to these device groups\n"
     "  --intelligent      intelligent firmware release (update when the device is idle)\n",
     "particlectl product firmware release my-product 3 --product-default\n"
     "particlectl product firmware release my-product 4 --groups beta,lab",
     cli_cmd_product_firmware_release},
    {"product firmware download", "PRODUCT VERSION", "Download a product firmware binary",
     "Sends GET /v1/products/PRODUCT/firmware/VERSION/binary and saves it to --saveTo\n"
     "(default firmware_vVERSION.bin). The file appears only once complete: a cut-off\n"
     "download leaves nothing at that path.\n",
     "  --saveTo FILE      where to save the binary\n",
     "particlectl product firmware download my-product 3 --saveTo v3.bin",
     cli_cmd_product_firmware_download},
    {"account show", "", "Show the account: username, names, MFA, device counts",
     "Sends GET /v1/user.\n", NULL, "particlectl account show --json", cli_cmd_account_show},
    {"account set", "", "Set the account's names, company and business flag",
     "Sends PUT /v1/user {\"account_info\": {...}} with the fields given and prints the\n"
     "account.\n",
     "  --first-name NAME  first name\n"
     "  --last-name NAME   last name\n"
     "  --company NAME     company name\n"
     "  --business         a business account (--no-business: not one)\n",
     "particlectl account set --first-name Ada --company 'Engines Ltd'", cli_cmd_account_set},
    {"account identity", "", "Show the account's tracking identity (id and e-mail)",
     "Sends GET /v1/user/identify?tracking=1 (--full: without tracking=1).\n",
     "  --full             the full identity\n", "particlectl account identity --json",
     cli_cmd_account_identity},
    {"account create", "EMAIL", "Sign up a new account",
     "Sends POST /v1/users {username, password, account_info} without a token. The password\n"
     "comes from a prompt or, with --password-stdin, the first line of standard input.\n",
     "  --password-stdin   read the password from standard input\n"
     "  --first-name NAME, --last-name NAME, --company NAME, --business  account information\n",
     "printf '%s\\n' \"$PASSWORD\" | particlectl account create ada@example.com --password-stdin",
     cli_cmd_account_create},
    {"account username", "EMAIL", "Change the account's e-mail (username)",
     "Sends PUT /v1/user {username, current_password}. The current password comes from a\n"
     "prompt or the first line of standard input.\n",
     "  --password-stdin     read the current password from standard input\n"
     "  --invalidate-tokens  revoke every other token of the account\n",
     "particlectl account username new@example.com", cli_cmd_account_username},
    {"account password", "", "Change the account's password",
     "Sends PUT /v1/user {password, current_password}. Asks for the current and the new\n"
     "password, or reads them from the first two lines of standard input.\n",
     "  --password-stdin     read both passwords from standard input\n"
     "  --invalidate-tokens  revoke every other token of the account\n",
     "printf '%s\\n%s\\n' \"$OLD\" \"$NEW\" | particlectl account password --password-stdin",
     cli_cmd_account_password},
    {"account reset-password", "EMAIL", "Ask for a password-reset e-mail",
     "Sends POST /v1/user/password-reset {username} without a token. The answer is the same\n"
     "whether or not the account exists.\n",
     NULL, "particlectl account reset-password ada@example.com", cli_cmd_account_reset_password},
    {"account delete", "", "Delete the account",
     "Sends DELETE /v1/user {password}; every token of the account stops working. Asks first\n"
     "on a terminal; elsewhere needs --yes.\n",
     "  --yes              do not ask\n"
     "  --password-stdin   read the password from standard input\n",
     "particlectl account delete --yes", cli_cmd_account_delete},
    {"account mfa enable", "", "Start multi-factor authentication: print a TOTP secret",
     "Sends GET /v1/user/mfa-enable and prints mfa_token, secret (for an authenticator app)\n"
     "and qr_url (the same as an otpauth:// URL). Finish with account mfa confirm.\n",
     NULL, "particlectl account mfa enable", cli_cmd_account_mfa_enable},
    {"account mfa confirm", "MFA_TOKEN", "Turn multi-factor authentication on with a code",
     "Sends POST /v1/user/mfa-enable {mfa_token, otp}: the code the authenticator app shows\n"
     "now, from a prompt or (--otp-stdin) the first line of standard input.\n",
     "  --otp-stdin          read the one-time password from standard input\n"
     "  --invalidate-tokens  revoke every other token of the account\n",
     "particlectl account mfa confirm 27c4e0285ad610694b20a7890fa285868706aa67",
     cli_cmd_account_mfa_confirm},
    {"account mfa disable", "", "Turn multi-factor authentication off",
     "Sends PUT /v1/user/mfa-disable {current_password}.\n",
     "  --password-stdin   read the password from standard input\n",
     "particlectl account mfa disable", cli_cmd_account_mfa_disable},
    {"keys send", "DEVICE FILE", "Send a device's public key (PEM) to the cloud",
     "Sends POST /v1/provisioning/DEVICE {deviceID, publicKey, filename, order, algorithm}\n"
     "(particle-cli's keys send) with the PEM key in FILE.\n",
     "  --algorithm A      rsa (the default) or ecc\n",
     "particlectl keys send 0123456789abcdef01234567 device.pub.pem --algorithm ecc",
     cli_cmd_keys_send},
    {"env list", "", "List the environment variables of a sandbox, organization, product or device",
     "Sends GET {env} (particle-cli's config env list) and prints the scope's own variables\n"
     "(from: Own), then those it inherits and does not override (from: Owner or Product).\n"
     "{env} is /v1/env (--sandbox), /v1/orgs/ORG/env, /v1/products/P/env or /v1/env/DEVICE.\n",
     "  --sandbox          your own sandbox\n"
     "  --org ORG          an organization (slug or id)\n"
     "  --product P        a product (id or slug)\n"
     "  --device D         a device (id)\n",
     "particlectl env list --sandbox\nparticlectl env list --product 12345 --json",
     cli_cmd_env_list},
    {"env set", "NAME [VALUE]", "Set an environment variable",
     "Sends PATCH {env} {ops:[{op:\"Set\", key, value}]} (particle-cli's config env set). NAME\n"
     "VALUE and NAME=VALUE are both accepted. Devices see it after a rollout.\n",
     "  --sandbox | --org ORG | --product P | --device D   the scope (one is required)\n",
     "particlectl env set MODE fast --product 12345\nparticlectl env set MODE=fast --sandbox",
     cli_cmd_env_set},
    {"env delete", "NAME", "Delete one of a scope's own environment variables",
     "Sends DELETE {env}/NAME. An inherited variable cannot be deleted here: delete it where\n"
     "it is defined.\n",
     "  --sandbox | --org ORG | --product P | --device D   the scope (one is required)\n",
     "particlectl env delete MODE --product 12345", cli_cmd_env_delete},
    {"env render", "", "Print the variables a device of the scope gets, precedence applied",
     "Sends GET {env}/render: organization < product < device, the nearest scope winning.\n",
     "  --sandbox | --org ORG | --product P | --device D   the scope (one is required)\n",
     "particlectl env render --device 0123456789abcdef01234567", cli_cmd_env_render},
    {"env rollout", "", "Send a scope's variables to its devices, or review what would change",
     "Sends POST {env}/rollout {when}: immediate reaches online devices now and the others\n"
     "when they next connect; connect waits for each device's next connect. With --review,\n"
     "prints the changes instead (GET {env}/rollout).\n",
     "  --sandbox | --org ORG | --product P | --device D   the scope (one is required)\n"
     "  --when W           immediate (the default) or connect\n"
     "  --review           only list the changes a rollout would make\n",
     "particlectl env rollout --product 12345 --review\n"
     "particlectl env rollout --product 12345 --when connect",
     cli_cmd_env_rollout},
    {"product location list", "P", "List where a product's asset trackers are",
     "Sends GET /v1/products/P/locations and prints one line per position: without\n"
     "--date-range each tracker's last position, with it every position in the range.\n",
     "  --date-range START,END  ISO 8601 times\n"
     "  --rect-bl LAT,LON       bottom-left corner of a rectangle (with --rect-tr)\n"
     "  --rect-tr LAT,LON       top-right corner\n"
     "  --device-id ID          part of a device id\n"
     "  --device-name NAME      part of a device name\n"
     "  --groups G1,G2          devices in any of these groups\n"
     "  --page N                the page (from 1)\n"
     "  --per-page N            devices per page, 1 to 100\n",
     "particlectl product location list my-product --groups europe\n"
     "particlectl product location list my-product --date-range "
     "2026-01-01T00:00:00Z,2026-01-02T00:00:00Z --csv",
     cli_cmd_product_location_list},
    {"product location get", "P DEVICE", "Show where one asset tracker has been",
     "Sends GET /v1/products/P/locations/DEVICE and prints one line per position.\n",
     "  --date-range START,END  ISO 8601 times (default: the last position)\n"
     "  --rect-bl LAT,LON | --rect-tr LAT,LON   a rectangle\n",
     "particlectl product location get my-product 0123456789abcdef01234567 --json",
     cli_cmd_product_location_get},
    {"ledger list", "", "List ledger definitions",
     "Sends GET /v1/ledgers (or /v1/orgs/ORG/ledgers) with the filters given.\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n"
     "  --scope S          only Owner, Product or Device ledgers\n"
     "  --page N           the page to show (the API's first by default)\n"
     "  --per-page N       ledgers per page\n"
     "  --archived         the archived ledgers instead\n",
     "particlectl ledger list --org acme --scope Device", cli_cmd_ledger_list},
    {"ledger get", "NAME", "Show a ledger definition",
     "Sends GET /v1/ledgers/NAME (or /v1/orgs/ORG/ledgers/NAME).\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n",
     "particlectl ledger get settings", cli_cmd_ledger_get},
    {"ledger create", "NAME", "Create a ledger",
     "Sends POST /v1/ledgers (or /v1/orgs/ORG/ledgers) {\"ledger\": {name, scope, direction,\n"
     "description}}.\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n"
     "  --scope S          Owner, Product or Device (required)\n"
     "  --direction D      Downstream (cloud to device) or Upstream (device to cloud; required)\n"
     "  --description TEXT the ledger's description\n",
     "particlectl ledger create settings --scope Device --direction Downstream",
     cli_cmd_ledger_create},
    {"ledger update", "NAME", "Change a ledger's description",
     "Sends PUT /v1/ledgers/NAME (or /v1/orgs/ORG/ledgers/NAME) {\"ledger\": {description}}.\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n"
     "  --description TEXT the new description (required)\n",
     "particlectl ledger update settings --description 'per-device settings'",
     cli_cmd_ledger_update},
    {"ledger archive", "NAME", "Archive a ledger",
     "Sends DELETE /v1/ledgers/NAME (or /v1/orgs/ORG/ledgers/NAME); its instances can no\n"
     "longer be set. Asks first on a terminal; elsewhere needs --yes.\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n"
     "  --yes              do not ask\n",
     "particlectl ledger archive settings --yes", cli_cmd_ledger_archive},
    {"ledger instance list", "NAME", "List a ledger's instances",
     "Sends GET /v1/ledgers/NAME/instances (or /v1/orgs/ORG/...).\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n"
     "  --page N           the page to show\n"
     "  --per-page N       instances per page\n",
     "particlectl ledger instance list settings --json", cli_cmd_ledger_instance_list},
    {"ledger instance get", "NAME SCOPE_VALUE", "Show a ledger instance",
     "Sends GET /v1/ledgers/NAME/instances/SCOPE_VALUE (or /v1/orgs/ORG/...). SCOPE_VALUE is\n"
     "a device id, a product id or the owner, by the ledger's scope.\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n",
     "particlectl ledger instance get settings 0123456789abcdef01234567",
     cli_cmd_ledger_instance_get},
    {"ledger instance set", "NAME SCOPE_VALUE", "Set a ledger instance's data",
     "Sends PUT /v1/ledgers/NAME/instances/SCOPE_VALUE?set_mode=Replace (or Merge)\n"
     "{\"instance\": {\"data\": DATA}}; DATA is a JSON object.\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n"
     "  --data JSON        the data: JSON text, @FILE or - (standard input); required\n"
     "  --merge            overwrite only the top-level keys given (set_mode=Merge)\n",
     "particlectl ledger instance set settings 0123456789abcdef01234567 --data '{\"interval\":60}'",
     cli_cmd_ledger_instance_set},
    {"ledger instance delete", "NAME SCOPE_VALUE", "Delete a ledger instance",
     "Sends DELETE /v1/ledgers/NAME/instances/SCOPE_VALUE (or /v1/orgs/ORG/...). Asks first on\n"
     "a terminal; elsewhere needs --yes.\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n"
     "  --yes              do not ask\n",
     "particlectl ledger instance delete settings 0123456789abcdef01234567 --yes",
     cli_cmd_ledger_instance_delete},
    {"ledger instance versions", "NAME SCOPE_VALUE", "List an instance's earlier versions",
     "Sends GET /v1/ledgers/NAME/instances/SCOPE_VALUE/versions (or /v1/orgs/ORG/...), newest\n"
     "first; the answer's meta.has_more says whether older ones remain (--replaced-before).\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n"
     "  --replaced-before T  versions replaced before this ISO 8601 time\n"
     "  --replaced-after T   versions replaced after this ISO 8601 time\n",
     "particlectl ledger instance versions settings 0123456789abcdef01234567",
     cli_cmd_ledger_instance_versions},
    {"ledger instance version", "NAME SCOPE_VALUE VERSION", "Show one earlier version",
     "Sends GET /v1/ledgers/NAME/instances/SCOPE_VALUE/versions/VERSION (or /v1/orgs/ORG/...).\n",
     "  --org ORG          an organization's ledgers (id or slug; default: your sandbox)\n",
     "particlectl ledger instance version settings 0123456789abcdef01234567 1",
     cli_cmd_ledger_instance_version},
    {"sim list", "", "List SIM cards (yours, or a product's with --product)",
     "Sends GET /v1/sims (or /v1/products/P/sims), every page. The table shows a few fields;\n"
     "--json, --ndjson and --csv carry every field of each SIM card.\n",
     "  --product P        a product's SIM cards\n"
     "  --iccid TEXT       only ICCIDs containing TEXT\n"
     "  --device-id TEXT   only SIM cards last seen in a device whose id contains TEXT\n"
     "  --device-name TEXT only SIM cards last seen in a device whose name contains TEXT\n",
     "particlectl sim list\nparticlectl sim list --product my-product --csv", cli_cmd_sim_list},
    {"sim get", "ICCID", "Show one SIM card",
     "Sends GET /v1/sims/ICCID (or /v1/products/P/sims/ICCID).\n",
     "  --product P        a product's SIM card\n", "particlectl sim get 89014518530070426951",
     cli_cmd_sim_get},
    {"sim usage", "ICCID", "Show a SIM card's data usage this month, day by day",
     "Sends GET /v1/sims/ICCID/data_usage (or the product's route).\n",
     "  --product P        a product's SIM card\n", "particlectl sim usage 89014518530070426951",
     cli_cmd_sim_usage},
    {"sim activate", "ICCID", "Activate a SIM card",
     "Sends PUT /v1/sims/ICCID {\"action\":\"activate\"} (or the product's route).\n",
     "  --product P        a product's SIM card\n", "particlectl sim activate 89014518530070426951",
     cli_cmd_sim_activate},
    {"sim deactivate", "ICCID", "Deactivate a SIM card",
     "Sends PUT /v1/sims/ICCID {\"action\":\"deactivate\"} (or the product's route).\n",
     "  --product P        a product's SIM card\n",
     "particlectl sim deactivate 89014518530070426951", cli_cmd_sim_deactivate},
    {"sim reactivate", "ICCID", "Reactivate (unpause) a SIM card",
     "Sends PUT /v1/sims/ICCID {\"action\":\"reactivate\"} (or the product's route), with a new\n"
     "monthly data limit when --mb-limit is given.\n",
     "  --product P        a product's SIM card\n"
     "  --mb-limit N       the new monthly data limit in MB\n",
     "particlectl sim reactivate 89014518530070426951 --mb-limit 10", cli_cmd_sim_reactivate},
    {"sim release", "ICCID", "Release a SIM card from the account",
     "Sends DELETE /v1/sims/ICCID (or the product's route); the card is deactivated too. Asks\n"
     "first on a terminal; elsewhere needs --yes. The API may answer that the release is\n"
     "pending (202): the record's `pending` is then true.\n",
     "  --product P        a product's SIM card\n"
     "  --yes              do not ask\n",
     "particlectl sim release 89014518530070426951 --yes", cli_cmd_sim_release},
    {"fleet-usage", "", "Show a product fleet's cellular data usage this month",
     "Sends GET /v1/products/P/sims/data_usage. The table starts with the month's total and\n"
     "the number of active SIM cards, then one line per day; --json prints the whole answer,\n"
     "--ndjson and --csv the days.\n",
     "  --product P        the product (required)\n",
     "particlectl fleet-usage --product my-product", cli_cmd_fleet_usage},
    {"vitals", "DEVICE", "Show a device's vitals (diagnostics)",
     "Sends GET /v1/diagnostics/DEVICE/last (or /v1/products/P/diagnostics/...). Each vital is\n"
     "one record: updated_at, vital (the dotted path in the payload, e.g.\n"
     "device.network.signal.strength) and value. --history lists every record the cloud kept\n"
     "(about 30 days; GET /v1/diagnostics/DEVICE), --refresh asks the device to send new\n"
     "vitals (POST /v1/diagnostics/DEVICE/update).\n",
     "  --product P        a product's device\n"
     "  --history          every recorded set of vitals, not only the last\n"
     "  --from T           with --history: from this date or ISO 8601 time\n"
     "  --to T             with --history: up to this date or ISO 8601 time\n"
     "  --refresh          ask the device for new vitals\n",
     "particlectl vitals demo-argon-1\nparticlectl vitals demo-argon-1 --history --from 2026-11-01 "
     "--csv",
     cli_cmd_vitals},
    {"variable list", "[DEVICE...]",
     "List the variables of devices (every online device by default)",
     "Sends GET /v1/devices/DEVICE for each DEVICE, or, without one, GET /v1/devices and then\n"
     "each online device, as particle-cli's `variable list` does. One record per variable:\n"
     "device, device_id, variable, type.\n",
     NULL, "particlectl variable list\nparticlectl variable list demo-argon-1 --json",
     cli_cmd_variable_list},
    {"function list", "[DEVICE...]",
     "List the functions of devices (every online device by default)",
     "Like `variable list`, one record per function: device, device_id, function.\n", NULL,
     "particlectl function list demo-argon-1", cli_cmd_function_list},
    {"monitor", "DEVICE VARIABLE", "Read a variable on an interval and print each value",
     "Sends GET /v1/devices/DEVICE/VARIABLE, then again after each --delay, and prints one line\n"
     "per read: time (ISO 8601), device, variable, value (in the table format the cells\n"
     "joined by two spaces; one JSON object a line under --json/--ndjson; CSV with a header).\n"
     "A failed read (device offline, network, no such variable) is reported on stderr and\n"
     "the next one is made; an authentication error stops it. Stops after --max reads, or on\n"
     "Ctrl-C / SIGTERM once the read under way is printed. Exit status: that of the last\n"
     "failed read when a read failed, else 0.\n",
     "  --delay DUR        time between reads (default 1s, at least 100ms; e.g. 500ms, 5s)\n"
     "  --max N            stop after N reads\n"
     "  --product P        a product's device\n",
     "particlectl monitor demo-argon-1 temperature --delay 5s\n"
     "particlectl monitor demo-argon-1 temperature --max 10 --ndjson",
     cli_cmd_monitor},
    {"config", "[PROFILE]", "Show or switch the active particle-cli profile",
     "Without PROFILE prints the active profile's name. With PROFILE makes it the active one,\n"
     "as `particle config PROFILE` does: ~/.particle/profile.json becomes {\"name\": PROFILE}\n"
     "(mode 0600) and later commands use ~/.particle/PROFILE.config.json (log in to fill it).\n"
     "--list lists the profiles, the active one marked. A token is never given on the command\n"
     "line: log in, or use --token-file/--token-stdin/PARTICLE_ACCESS_TOKEN.\n",
     "  --list             list the profiles\n",
     "particlectl config staging\nparticlectl config --list\nparticlectl config particle",
     cli_cmd_config},

    {"library list", "", "List firmware libraries",
     "Sends GET /v1/libraries with the filters given and prints one page. Scopes: all (public\n"
     "libraries and yours, the default), official, verified, featured, public, private, mine.\n",
     "  --filter TEXT      libraries whose name or summary holds TEXT\n"
     "  --scope S          one scope (see above)\n"
     "  --exclude-scopes L leave out libraries in these scopes (comma-separated)\n"
     "  --sort KEYS        name, installs, date, official, verified, featured, popularity;\n"
     "                     comma-separated, - first for descending\n"
     "  --category C       one category, e.g. Sensors\n"
     "  --architectures L  libraries for these platforms (comma-separated)\n"
     "  --page N           the page to show\n"
     "  --limit N          libraries per page\n",
     "particlectl library list --scope official --sort popularity", cli_cmd_library_list},
    {"library search", "NAME", "Search libraries by name",
     "Sends GET /v1/libraries?filter=NAME and prints one page.\n",
     "  --page N           the page to show\n"
     "  --limit N          libraries per page\n",
     "particlectl library search neopixel", cli_cmd_library_search},
    {"library view", "NAME", "Show a library",
     "Sends GET /v1/libraries/NAME (the latest version you may see, or --version).\n",
     "  --version V        that version\n", "particlectl library view neopixel --version 1.0.3",
     cli_cmd_library_view},
    {"library versions", "NAME", "List a library's versions",
     "Sends GET /v1/libraries/NAME/versions, newest first.\n",
     "  --page N           the page to show\n"
     "  --limit N          versions per page\n",
     "particlectl library versions neopixel", cli_cmd_library_versions},
    {"library upload", "ARCHIVE", "Upload a private library version",
     "Sends POST /v1/libraries with ARCHIVE, a .tar.gz holding library.properties, as the\n"
     "multipart part file (archive.tar.gz). The version stays private until published.\n",
     NULL, "particlectl library upload MyLib-0.1.0.tar.gz", cli_cmd_library_upload},
    {"library publish", "NAME", "Publish a private library, making it public",
     "Sends PATCH /v1/libraries/NAME {\"visibility\": \"public\"}: the latest version becomes\n"
     "public.\n",
     NULL, "particlectl library publish MyLib", cli_cmd_library_publish},
    {"library delete", "NAME", "Delete a private library",
     "Sends DELETE /v1/libraries/NAME: every version of a library you own that is not\n"
     "public. Asks first on a terminal; elsewhere needs --yes.\n",
     "  --force KEY        the key that deletes a public library (Particle staff)\n"
     "  --yes              do not ask\n",
     "particlectl library delete MyLib --yes", cli_cmd_library_delete},
    {"library download", "NAME", "Download a library's archive",
     "Gets the library (GET /v1/libraries/NAME[?version=V]) and saves the .tar.gz its\n"
     "download link names, to NAME-VERSION.tar.gz or --save-to.\n",
     "  --version V        that version (default: the latest)\n"
     "  --save-to FILE     where to save it\n",
     "particlectl library download neopixel --version 1.0.3", cli_cmd_library_download},
    {"logic-function list", "", "List logic functions",
     "Sends GET /v1/logic/functions (or /v1/orgs/ORG/logic/functions).\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n"
     "  --today-stats      add today's run counts (today_stats)\n",
     "particlectl logic-function list --org acme --today-stats", cli_cmd_logic_list},
    {"logic-function get", "ID", "Show a logic function",
     "Sends GET /v1/logic/functions/ID (or /v1/orgs/ORG/...).\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n",
     "particlectl logic-function get 0021e8f4-64ee-416d-83f3-898aa909fb1b --json",
     cli_cmd_logic_get},
    {"logic-function create", "", "Create a logic function",
     "Sends POST /v1/logic/functions (or /v1/orgs/ORG/...) {\"logic_function\": FUNCTION};\n"
     "FUNCTION is {name, description, enabled, source: {type: \"JavaScript\", code},\n"
     "logic_triggers: [...]}.\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n"
     "  --data JSON        FUNCTION: JSON text, @FILE or - (standard input); required\n",
     "particlectl logic-function create --data @function.json", cli_cmd_logic_create},
    {"logic-function update", "ID", "Change a logic function",
     "Sends PUT /v1/logic/functions/ID (or /v1/orgs/ORG/...) {\"logic_function\": FIELDS}; the\n"
     "fields given replace the stored ones (logic_triggers as a whole).\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n"
     "  --data JSON        FIELDS: JSON text, @FILE or - (standard input); required\n",
     "particlectl logic-function update 0021e8f4-64ee-416d-83f3-898aa909fb1b --data "
     "'{\"description\":\"new\"}'",
     cli_cmd_logic_update},
    {"logic-function enable", "ID", "Enable a logic function",
     "Sends PUT /v1/logic/functions/ID (or /v1/orgs/ORG/...) {\"logic_function\":\n"
     "{\"enabled\": true}}.\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n",
     "particlectl logic-function enable 0021e8f4-64ee-416d-83f3-898aa909fb1b",
     cli_cmd_logic_enable},
    {"logic-function disable", "ID", "Disable a logic function",
     "Sends PUT /v1/logic/functions/ID (or /v1/orgs/ORG/...) {\"logic_function\":\n"
     "{\"enabled\": false}}: its triggers no longer run it.\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n",
     "particlectl logic-function disable 0021e8f4-64ee-416d-83f3-898aa909fb1b",
     cli_cmd_logic_disable},
    {"logic-function delete", "ID", "Delete a logic function",
     "Sends DELETE /v1/logic/functions/ID (or /v1/orgs/ORG/...). Asks first on a terminal;\n"
     "elsewhere needs --yes.\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n"
     "  --yes              do not ask\n",
     "particlectl logic-function delete 0021e8f4-64ee-416d-83f3-898aa909fb1b --yes",
     cli_cmd_logic_delete},
    {"logic-function runs", "ID", "List a logic function's runs",
     "Sends GET /v1/logic/functions/ID/runs (or /v1/orgs/ORG/...), newest first.\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n",
     "particlectl logic-function runs 0021e8f4-64ee-416d-83f3-898aa909fb1b", cli_cmd_logic_runs},
    {"logic-function run", "ID RUN_ID", "Show one run of a logic function",
     "Sends GET /v1/logic/functions/ID/runs/RUN_ID (or /v1/orgs/ORG/...).\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n",
     "particlectl logic-function run 0021e8f4-64ee-416d-83f3-898aa909fb1b RUN_ID",
     cli_cmd_logic_run},
    {"logic-function logs", "ID RUN_ID", "Show the log lines of a run",
     "Sends GET /v1/logic/functions/ID/runs/RUN_ID/logs (or /v1/orgs/ORG/...).\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n",
     "particlectl logic-function logs 0021e8f4-64ee-416d-83f3-898aa909fb1b RUN_ID",
     cli_cmd_logic_logs},
    {"logic-function execute", "", "Run logic function code once",
     "Sends POST /v1/logic/execute (or /v1/orgs/ORG/logic/execute) with LOGIC as the body:\n"
     "{\"event\": {...}, \"source\": {\"type\": \"JavaScript\", \"code\": ...}}. particle-sim has\n"
     "no JavaScript engine and answers 501 (docs/SIM.md).\n",
     "  --org ORG          an organization's logic functions (id or slug; default: your sandbox)\n"
     "  --data JSON        LOGIC: JSON text, @FILE or - (standard input); required\n",
     "particlectl logic-function execute --data @execute.json", cli_cmd_logic_execute},
};

const size_t cli_command_count = sizeof(cli_commands) / sizeof(cli_commands[0]);
