/*
 * The ParticleDeviceDetailsDto as XML, shaped like the seed's DataContract serialisation:
 * elements in alphabetical order, the DTO namespace as default, links and SIM fields in
 * their own prefixed namespaces, and i:nil="true" for null values. Written with libxml2's
 * xmlTextWriter, which does the escaping of markup but passes C0 control characters, which
 * XML 1.0 does not allow (a parser refuses the document): each one but tab, CR and LF
 * becomes U+FFFD first. Links are percent-encoded (api/links.h).
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/formats.h"
#include "api/links.h"
#include "timespan.h"

#define NS_DTO                                                                                     \
    "http://schemas.datacontract.org/2004/07/"                                                     \
    "AnalysisUK.Tinamous.www.ApiControllers.Particle.Models"
#define NS_SHARED                                                                                  \
    "http://schemas.datacontract.org/2004/07/AnalysisUK.Tinamous.www.ApiControllers.Models.Shared"
#define NS_SIM                                                                                     \
    "http://schemas.datacontract.org/2004/07/"                                                     \
    "AnalysisUK.Tinamous.www.ApiControllers.Models.Bots.SparkBot"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"

typedef struct xw {
    xmlTextWriterPtr w;
    int rc; /* the first negative libxml2 result, else 0 */
} xw;

static void check(xw *x, int rc)
{
    if (rc < 0 && x->rc == 0) {
        x->rc = rc;
    }
}

static void start(xw *x, const char *name)
{
    check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void end(xw *x)
{
    check(x, xmlTextWriterEndElement(x->w));
}

static bool xml_forbidden(unsigned char c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/* @p value, or a malloc'd copy (in *copy, to free) with the characters XML 1.0 forbids
 * replaced by U+FFFD; NULL on out of memory. */
static const char *xml_safe(const char *value, char **copy)
{
    *copy = NULL;
    size_t bad = 0, len = 0;
    for (; value[len] != '\0'; len++) {
        bad += xml_forbidden((unsigned char)value[len]);
    }
    if (bad == 0) {
        return value;
    }
    char *out = malloc(len + 2 * bad + 1); /* each bad byte becomes three */
    if (out == NULL) {
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (xml_forbidden((unsigned char)value[i])) {
            memcpy(out + n, "\xef\xbf\xbd", 3);
            n += 3;
        } else {
            out[n++] = value[i];
        }
    }
    out[n] = '\0';
    *copy = out;
    return out;
}

static void attr(xw *x, const char *name, const char *value)
{
    char *copy;
    const char *safe = xml_safe(value, &copy);
    check(x, safe ? xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST safe) : -1);
    free(copy);
}

static void text(xw *x, const char *name, const char *value)
{
    char *copy;
    const char *safe = xml_safe(value, &copy);
    check(x, safe ? xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST safe) : -1);
    free(copy);
}

static void nil(xw *x, const char *name)
{
    start(x, name);
    attr(x, "i:nil", "true");
    end(x);
}

static void boolean(xw *x, const char *name, bool v)
{
    text(x, name, v ? "true" : "false");
}

static void number(xw *x, const char *name, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", v);
    text(x, name, buf);
}

static void date(xw *x, const char *name, int64_t ms)
{
    char buf[BRIDGE_TIMESPAN_SIZE];
    if (ms > 0) {
        text(x, name, bridge_date_format(ms, buf));
    } else {
        nil(x, name);
    }
}

static void duration(xw *x, const char *name, int64_t ms)
{
    char buf[BRIDGE_TIMESPAN_SIZE];
    text(x, name, bridge_duration_format(ms, buf));
}

/* <Links xmlns:P="shared"><P:LinkViewModel><P:Action/><P:Href/><P:Rel/>... */
static void links(xw *x, const char *prefix, const char *const (*items)[3], size_t n)
{
    char xmlns[32], el[64], action[64], href[64], rel[64];
    snprintf(xmlns, sizeof xmlns, "xmlns:%s", prefix);
    snprintf(el, sizeof el, "%s:LinkViewModel", prefix);
    snprintf(action, sizeof action, "%s:Action", prefix);
    snprintf(href, sizeof href, "%s:Href", prefix);
    snprintf(rel, sizeof rel, "%s:Rel", prefix);
    start(x, "Links");
    attr(x, xmlns, NS_SHARED);
    for (size_t i = 0; i < n; i++) {
        start(x, el);
        text(x, action, items[i][2]);
        text(x, href, items[i][0]);
        text(x, rel, items[i][1]);
        end(x);
    }
    end(x);
}

static void notify(xw *x, const char *name, const bridge_notify_option *o)
{
    start(x, name);
    text(x, "Message", o->message);
    boolean(x, "PostStatusMessage", o->post_status_message);
    end(x);
}

static void usage(xw *x, const char *name, const bridge_sim_usage *u)
{
    start(x, name);
    number(x, "d2p1:CumulativeUsageMb", u->cumulative_mb);
    date(x, "d2p1:Date", u->date_ms);
    number(x, "d2p1:UsedMb", u->used_mb);
    end(x);
}

static void sim(xw *x, const bridge_sim *s)
{
    if (s == NULL) {
        nil(x, "Sim");
        return;
    }
    start(x, "Sim");
    attr(x, "xmlns:d2p1", NS_SIM);
    text(x, "d2p1:BaseCountryCode", s->base_country_code);
    number(x, "d2p1:BaseMonthlyRate", s->base_monthly_rate);
    text(x, "d2p1:Carrier", s->carrier);
    date(x, "d2p1:DateAdded", s->date_added_ms);
    number(x, "d2p1:EstimatedMonthUsage", bridge_sim_estimated_month_usage(s));
    date(x, "d2p1:FirstActivatedOn", s->first_activated_on_ms);
    text(x, "d2p1:Imsi", s->imsi);
    date(x, "d2p1:LastActivatedOn", s->last_activated_on_ms);
    text(x, "d2p1:LastStatusChangeAction", s->last_status_change_action);
    text(x, "d2p1:LastStatusChangeActionError", s->last_status_change_action_error);
    date(x, "d2p1:LastUpdated", s->last_updated_ms);
    if (s->usage_count > 0) {
        usage(x, "d2p1:LastUsage", &s->usage[s->usage_count - 1]);
    } else {
        nil(x, "d2p1:LastUsage");
    }
    number(x, "d2p1:LimitMb", s->limit_mb);
    number(x, "d2p1:OverageMonthlyRate", s->overage_monthly_rate);
    text(x, "d2p1:SimId", s->iccid);
    text(x, "d2p1:Status", s->status);
    start(x, "d2p1:Usage");
    for (size_t i = 0; i < s->usage_count; i++) {
        usage(x, "d2p1:SimUsageDto", &s->usage[i]);
    }
    end(x);
    end(x);
}

char *bridge_dto_to_xml(const bridge_dto *dto)
{
    const bridge_device *d = dto->device;
    const char *cloud =
        dto->cloud_url && dto->cloud_url[0] ? dto->cloud_url : "https://api.particle.io";
    xmlBufferPtr buf = xmlBufferCreate();
    if (buf == NULL) {
        return NULL;
    }
    xw x = {xmlNewTextWriterMemory(buf, 0), 0};
    if (x.w == NULL) {
        xmlBufferFree(buf);
        return NULL;
    }
    check(&x, xmlTextWriterSetIndent(x.w, 1));
    check(&x, xmlTextWriterSetIndentString(x.w, BAD_CAST "  "));
    start(&x, "ParticleDeviceDetailsDto");
    attr(&x, "xmlns:i", NS_XSI);
    attr(&x, "xmlns", NS_DTO);
    duration(&x, "CheckInterval", d->check_interval_ms);
    date(&x, "CircuitBreakerResetAt", d->faulted ? d->breaker_reset_at_ms : 0);
    boolean(&x, "Connected", d->connected);
    date(&x, "DateAdded", d->date_added_ms);
    boolean(&x, "Enabled", d->enabled);
    char count[32];
    snprintf(count, sizeof count, "%d", d->fault_count);
    text(&x, "FaultCount", count);
    boolean(&x, "Faulted", d->faulted);
    start(&x, "Functions");
    for (size_t i = 0; i < d->function_count; i++) {
        char href[BRIDGE_LINK_SIZE];
        bridge_link_function(href, sizeof href, cloud, d->particle_id, d->functions[i]);
        const char *const items[1][3] = {{href, "call", "POST"}};
        start(&x, "ParticleFunctionDto");
        links(&x, "d4p1", items, 1);
        text(&x, "Name", d->functions[i]);
        end(&x);
    }
    end(&x);
    boolean(&x, "IgnoreRename", d->ignore_rename);
    text(&x, "LastApp", d->last_app);
    char self[BRIDGE_LINK_SIZE], meas[BRIDGE_LINK_SIZE], posts[BRIDGE_LINK_SIZE];
    bridge_link_device(self, sizeof self, d->particle_id);
    bridge_link_readings(meas, sizeof meas, "measurements", d->particle_id);
    bridge_link_readings(posts, sizeof posts, "status-posts", d->particle_id);
    const char *const dev_links[4][3] = {{self, "self", "GET"},
                                         {self, "edit", "PUT"},
                                         {meas, "measurements", "GET"},
                                         {posts, "status-posts", "GET"}};
    links(&x, "d2p1", dev_links, 4);
    notify(&x, "OfflineNotificationOption", &d->offline_notify);
    notify(&x, "OnlineNotificationOption", &d->online_notify);
    text(&x, "ParticleDeviceId", d->particle_id);
    boolean(&x, "PublishUnknownEventsAsMeasurements", d->publish_unknown_as_measurements);
    boolean(&x, "PublishUnknownEventsAsStatusPosts", d->publish_unknown_as_status_posts);
    sim(&x, dto->sim);
    start(&x, "Variables");
    for (size_t i = 0; i < d->variable_count; i++) {
        const bridge_variable *v = &d->variables[i];
        start(&x, "ParticleVariableSettingDto");
        duration(&x, "CheckInterval", v->check_interval_ms);
        boolean(&x, "Enabled", v->enabled);
        text(&x, "Name", v->name);
        text(&x, "Type", v->type);
        text(&x, "Unit", v->unit);
        end(&x);
    }
    end(&x);
    end(&x);
    check(&x, xmlTextWriterFlush(x.w));
    xmlFreeTextWriter(x.w);
    char *out = NULL;
    if (x.rc == 0) {
        size_t len = (size_t)xmlBufferLength(buf);
        out = malloc(len + 1);
        if (out != NULL) {
            memcpy(out, xmlBufferContent(buf), len);
            out[len] = '\0';
        }
    }
    xmlBufferFree(buf);
    return out;
}
