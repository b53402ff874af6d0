/* The entry points of particlectl's commands, one cmd_<group>.c per group. Each takes the
 * shared context and argv (argv[0] = the command's last word) and returns an exit status. */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "cli.h"

/* cmd_auth.c */
int cli_cmd_login(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logout(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_whoami(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_token_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_token_create(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_token_revoke(cli_ctx *ctx, int argc, char **argv);

#endif
