/* The route table: every group, in the order routing needs (sim_routes.h). */
#include "routes/sim_routes.h"

void sim_routes_register(httpd_server *srv, sim_ctx *ctx)
{
    /* The hot route first: it is a literal path no other pattern is meant to take. */
    sim_routes_device_list(srv, ctx);
    sim_routes_auth(srv, ctx);
    sim_routes_control(srv, ctx);
    /* Stream routes before the device routes: "/v1/devices/events" is not a device. */
    sim_routes_events(srv, ctx);
    sim_routes_devices(srv, ctx);
    sim_routes_product_devices(srv, ctx);
    sim_routes_variables(srv, ctx);
    sim_routes_functions(srv, ctx);
    sim_routes_integrations(srv, ctx);
    sim_routes_diagnostics(srv, ctx);
    sim_routes_sim_cards(srv, ctx);
    sim_routes_products(srv, ctx);
    sim_routes_orgs(srv, ctx);
    sim_routes_team(srv, ctx);
    sim_routes_clients(srv, ctx);
    sim_routes_customers(srv, ctx);
    sim_routes_groups(srv, ctx);
    sim_routes_claims(srv, ctx);
    sim_routes_serial_numbers(srv, ctx);
    sim_routes_product_config(srv, ctx);
    sim_routes_user(srv, ctx);
    sim_routes_provisioning(srv, ctx);
    sim_routes_retired(srv, ctx);
    sim_routes_firmware(srv, ctx);
    sim_routes_flash(srv, ctx);
    sim_routes_build_targets(srv, ctx);
    sim_routes_control_firmware(srv, ctx);
    sim_routes_env(srv, ctx);
    sim_routes_locations(srv, ctx);
    sim_routes_ledgers(srv, ctx);
    sim_routes_ledger_control(srv, ctx);
    sim_routes_libraries(srv, ctx);
    sim_routes_logic(srv, ctx);
}
