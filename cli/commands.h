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

/* cmd_devices.c */
int cli_cmd_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_call(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_device_rename(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_device_notes(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_device_ping(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_device_signal(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_device_remove(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_device_claim(cli_ctx *ctx, int argc, char **argv);

/* cmd_events.c */
int cli_cmd_publish(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_subscribe(cli_ctx *ctx, int argc, char **argv);

/* cmd_product.c */
int cli_cmd_product_device_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_device_add(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_device_remove(cli_ctx *ctx, int argc, char **argv);

/* cmd_product_info.c */
int cli_cmd_product_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_get(cli_ctx *ctx, int argc, char **argv);

/* cmd_product_devices.c */
int cli_cmd_product_device_approve(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_device_deny(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_device_development(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_device_lock(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_device_unlock(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_device_lookup(cli_ctx *ctx, int argc, char **argv);

/* cmd_groups.c */
int cli_cmd_group_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_group_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_group_create(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_group_update(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_group_delete(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_group_add(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_group_remove(cli_ctx *ctx, int argc, char **argv);

/* cmd_team.c */
int cli_cmd_team_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_team_invite(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_team_remove(cli_ctx *ctx, int argc, char **argv);

/* cmd_api.c */
int cli_cmd_api(cli_ctx *ctx, int argc, char **argv);

/* cmd_customers.c */
int cli_cmd_customer_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_customer_create(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_customer_delete(cli_ctx *ctx, int argc, char **argv);

/* cmd_oauth_clients.c */
int cli_cmd_oauth_client_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_oauth_client_create(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_oauth_client_update(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_oauth_client_delete(cli_ctx *ctx, int argc, char **argv);

/* cmd_claim_code.c */
int cli_cmd_claim_code(cli_ctx *ctx, int argc, char **argv);

/* cmd_integrations.c */
int cli_cmd_integration_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_integration_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_integration_create(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_integration_edit(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_integration_delete(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_integration_test(cli_ctx *ctx, int argc, char **argv);

/* cmd_webhooks.c */
int cli_cmd_webhook_create(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_webhook_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_webhook_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_webhook_edit(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_webhook_delete(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_webhook_test(cli_ctx *ctx, int argc, char **argv);
/* issue 11, the rest: one customer, a customer's password, a member's role, product config */
int cli_cmd_customer_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_customer_password(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_team_update(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_config_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_config_set(cli_ctx *ctx, int argc, char **argv);
/* cmd_firmware.c */
int cli_cmd_flash(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_compile(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_binary_download(cli_ctx *ctx, int argc, char **argv);

/* cmd_product_firmware.c */
int cli_cmd_product_firmware_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_firmware_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_firmware_upload(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_firmware_release(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_firmware_download(cli_ctx *ctx, int argc, char **argv);
/* cmd_account.c */
int cli_cmd_account_show(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_account_set(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_account_identity(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_account_create(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_account_username(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_account_password(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_account_reset_password(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_account_delete(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_account_mfa_enable(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_account_mfa_confirm(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_account_mfa_disable(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_keys_send(cli_ctx *ctx, int argc, char **argv);

/* env list|set|delete|render|rollout (cmd_env.c) */
int cli_cmd_env_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_env_set(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_env_delete(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_env_render(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_env_rollout(cli_ctx *ctx, int argc, char **argv);

/* product location list|get (cmd_product_location.c) */
int cli_cmd_product_location_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_product_location_get(cli_ctx *ctx, int argc, char **argv);
/* cmd_ledgers.c */
int cli_cmd_ledger_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ledger_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ledger_create(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ledger_update(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ledger_archive(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ledger_instance_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ledger_instance_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ledger_instance_set(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ledger_instance_delete(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ledger_instance_versions(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_ledger_instance_version(cli_ctx *ctx, int argc, char **argv);

/* issue 17: SIM cards and fleet usage (cmd_sims.c) */
int cli_cmd_sim_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_sim_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_sim_usage(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_sim_activate(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_sim_deactivate(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_sim_reactivate(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_sim_release(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_fleet_usage(cli_ctx *ctx, int argc, char **argv);
/* vitals (cmd_vitals.c) */
int cli_cmd_vitals(cli_ctx *ctx, int argc, char **argv);
/* variable list, function list, monitor (cmd_monitor.c) */
int cli_cmd_variable_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_function_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_monitor(cli_ctx *ctx, int argc, char **argv);
/* config (cmd_profile.c) */
int cli_cmd_config(cli_ctx *ctx, int argc, char **argv);
/* __complete, the completion scripts' helper (cmd_complete.c) */
int cli_cmd_complete(cli_ctx *ctx, int argc, char **argv);
/* cmd_library.c */
int cli_cmd_library_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_library_search(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_library_view(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_library_versions(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_library_upload(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_library_publish(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_library_delete(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_library_download(cli_ctx *ctx, int argc, char **argv);
/* cmd_logic_function.c */
int cli_cmd_logic_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logic_get(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logic_create(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logic_update(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logic_enable(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logic_disable(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logic_delete(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logic_runs(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logic_run(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logic_logs(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_logic_execute(cli_ctx *ctx, int argc, char **argv);

#endif
