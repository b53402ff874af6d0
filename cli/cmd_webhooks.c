/* webhook create|list|get|edit|delete|test: particle-cli's `webhook` family, an alias of
 * `integration` for the Webhook type only (cmd_integrations.c does the work). */
#include "cli.h"
#include "commands.h"
#include "integration_cmd.h"

int cli_cmd_webhook_create(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_create(ctx, argc, argv, true);
}

int cli_cmd_webhook_list(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_list(ctx, argc, argv, true);
}

int cli_cmd_webhook_get(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_get(ctx, argc, argv, true);
}

int cli_cmd_webhook_edit(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_edit(ctx, argc, argv, true);
}

int cli_cmd_webhook_delete(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_delete(ctx, argc, argv, true);
}

int cli_cmd_webhook_test(cli_ctx *ctx, int argc, char **argv)
{
    return cli_hook_test(ctx, argc, argv, true);
}
