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
     "Sends DELETE /v1/access_tokens/current, then removes access_token from the profile.\n"
     "A token the API no longer accepts is removed all the same.\n",
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
    {"token revoke", "TOKEN", "Revoke an access token",
     "Sends DELETE /v1/access_tokens/TOKEN. Give - as TOKEN to read it from standard input\n"
     "(keeps it out of the process list).\n",
     NULL, "particlectl token revoke - < old-token.txt", cli_cmd_token_revoke},
};

const size_t cli_command_count = sizeof(cli_commands) / sizeof(cli_commands[0]);
