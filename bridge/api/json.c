/* The ParticleDeviceDetailsDto as JSON, field for field as the seed documents it. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/formats.h"
#include "api/links.h"
#include "timespan.h"

static json_t *date_or_null(int64_t ms)
{
    char buf[BRIDGE_TIMESPAN_SIZE];
    return ms > 0 ? json_string(bridge_date_format(ms, buf)) : json_null();
}

static json_t *timespan(int64_t ms)
{
    char buf[BRIDGE_TIMESPAN_SIZE];
    return json_string(bridge_timespan_format(ms, buf));
}

static json_t *link(const char *href, const char *rel, const char *action)
{
    return json_pack("{s:s, s:s, s:s}", "Href", href, "Rel", rel, "Action", action);
}

static json_t *notify(const bridge_notify_option *o)
{
    return json_pack("{s:b, s:s}", "PostStatusMessage", o->post_status_message, "Message",
                     o->message);
}

static json_t *usage(const bridge_sim_usage *u)
{
    return json_pack("{s:o, s:f, s:f}", "Date", date_or_null(u->date_ms), "UsedMb", u->used_mb,
                     "CumulativeUsageMb", u->cumulative_mb);
}

double bridge_sim_estimated_month_usage(const bridge_sim *sim)
{
    if (sim->usage_count == 0) {
        return 0;
    }
    const bridge_sim_usage *last = &sim->usage[sim->usage_count - 1];
    time_t secs = (time_t)(last->date_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = tm.tm_year + 1900;
    int month_days = days[tm.tm_mon] + (tm.tm_mon == 1 && y % 4 == 0 && (y % 100 || y % 400 == 0));
    return last->cumulative_mb / tm.tm_mday * month_days;
}

static json_t *sim_json(const bridge_sim *s)
{
    json_t *list = json_array();
    for (size_t i = 0; i < s->usage_count; i++) {
        json_array_append_new(list, usage(&s->usage[i]));
    }
    json_t *last = s->usage_count ? usage(&s->usage[s->usage_count - 1]) : json_null();
    return json_pack("{s:s, s:s, s:f, s:f, s:o, s:s, s:o, s:f, s:s, s:s, s:o, s:s, s:s, s:o, "
                     "s:o, s:o, s:f}",
                     "SimId", s->iccid, "BaseCountryCode", s->base_country_code, "BaseMonthlyRate",
                     s->base_monthly_rate, "OverageMonthlyRate", s->overage_monthly_rate,
                     "FirstActivatedOn", date_or_null(s->first_activated_on_ms), "Imsi", s->imsi,
                     "LastActivatedOn", date_or_null(s->last_activated_on_ms), "LimitMb",
                     s->limit_mb, "Status", s->status, "Carrier", s->carrier, "Usage", list,
                     "LastStatusChangeAction", s->last_status_change_action,
                     "LastStatusChangeActionError", s->last_status_change_action_error, "LastUsage",
                     last, "LastUpdated", date_or_null(s->last_updated_ms), "DateAdded",
                     date_or_null(s->date_added_ms), "EstimatedMonthUsage",
                     bridge_sim_estimated_month_usage(s));
}

json_t *bridge_dto_to_json(const bridge_dto *dto)
{
    const bridge_device *d = dto->device;
    const char *cloud =
        dto->cloud_url && dto->cloud_url[0] ? dto->cloud_url : "https://api.particle.io";
    char href[BRIDGE_LINK_SIZE];
    json_t *vars = json_array();
    for (size_t i = 0; i < d->variable_count; i++) {
        const bridge_variable *v = &d->variables[i];
        json_array_append_new(vars, json_pack("{s:o, s:b, s:s, s:s, s:s}", "CheckInterval",
                                              timespan(v->check_interval_ms), "Enabled", v->enabled,
                                              "Name", v->name, "Type", v->type, "Unit", v->unit));
    }
    json_t *fns = json_array();
    for (size_t i = 0; i < d->function_count; i++) {
        bridge_link_function(href, sizeof href, cloud, d->particle_id, d->functions[i]);
        json_array_append_new(fns, json_pack("{s:s, s:[o]}", "Name", d->functions[i], "Links",
                                             link(href, "call", "POST")));
    }
    json_t *links = json_array();
    bridge_link_device(href, sizeof href, d->particle_id);
    json_array_append_new(links, link(href, "self", "GET"));
    json_array_append_new(links, link(href, "edit", "PUT"));
    bridge_link_readings(href, sizeof href, "measurements", d->particle_id);
    json_array_append_new(links, link(href, "measurements", "GET"));
    bridge_link_readings(href, sizeof href, "status-posts", d->particle_id);
    json_array_append_new(links, link(href, "status-posts", "GET"));

    return json_pack(
        "{s:o, s:o, s:b, s:b, s:s, s:s, s:o, s:o, s:b, s:b, s:o, s:o, s:o, s:i, s:b, s:o, s:b, "
        "s:o}",
        "CheckInterval", timespan(d->check_interval_ms), "DateAdded",
        date_or_null(d->date_added_ms), "Connected", d->connected, "Enabled", d->enabled, "LastApp",
        d->last_app, "ParticleDeviceId", d->particle_id, "Variables", vars, "Functions", fns,
        "PublishUnknownEventsAsMeasurements", d->publish_unknown_as_measurements,
        "PublishUnknownEventsAsStatusPosts", d->publish_unknown_as_status_posts, "Links", links,
        "OnlineNotificationOption", notify(&d->online_notify), "OfflineNotificationOption",
        notify(&d->offline_notify), "FaultCount", d->fault_count, "Faulted", d->faulted,
        "CircuitBreakerResetAt", date_or_null(d->faulted ? d->breaker_reset_at_ms : 0),
        "IgnoreRename", d->ignore_rename, "Sim", dto->sim ? sim_json(dto->sim) : json_null());
}
