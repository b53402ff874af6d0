/* Variables and functions of simulated devices. */
#include "model/sim_behaviour.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_parse.h"
#include "pu_str.h"

#define SET_MARK INT64_MIN   /* at_ms of a variable whose value was set explicitly */
#define MAX_WALK_STEPS 10000 /* a long clock jump steps at most this many times */
#define MAX_STRING_VAR 1024  /* Device OS caps string variables; we cap stored text too */

static const sim_template *tmpl_of(const sim_model *m, uint32_t dev)
{
    return &m->templates[m->devices[dev].tmpl];
}

void sim_device_start(sim_model *m, uint32_t dev)
{
    sim_device *d = &m->devices[dev];
    const sim_template *t = tmpl_of(m, dev);
    int64_t now = sim_model_now(m);
    if (!d->last_handshake_ms)
        d->last_handshake_ms = now - 60000;
    if (!d->last_heard_ms)
        d->last_heard_ms = d->online ? now : d->last_handshake_ms;
    for (uint32_t v = 0; v < t->var_count; v++) {
        const sim_var_def *def = &t->vars[v];
        sim_var_state *s = &d->vars[v];
        s->at_ms = now;
        s->num = def->value;
        if (def->behaviour == SIM_VB_SINE)
            s->num = floor(pu_rand_double(&d->rng) * (double)def->period_ms);
    }
}

uint32_t sim_device_find_var(const sim_model *m, uint32_t dev, const char *name)
{
    const sim_template *t = tmpl_of(m, dev);
    for (uint32_t v = 0; v < t->var_count; v++)
        if (strcmp(t->vars[v].name, name) == 0)
            return v;
    return SIM_NONE;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

void sim_device_read_var(sim_model *m, uint32_t dev, uint32_t var, sim_value *out)
{
    sim_device *d = &m->devices[dev];
    const sim_var_def *def = &tmpl_of(m, dev)->vars[var];
    sim_var_state *s = &d->vars[var];
    int64_t now = sim_model_now(m);
    out->type = def->type;
    out->text = s->text ? s->text : (def->text ? def->text : "");
    out->num = s->num;
    if (s->at_ms != SET_MARK && def->period_ms > 0 && now > s->at_ms) {
        int64_t steps = (now - s->at_ms) / def->period_ms;
        switch (def->behaviour) {
        case SIM_VB_COUNTER:
            out->num = s->num + (double)steps * def->step;
            break;
        case SIM_VB_RANDOM_WALK: {
            int64_t n = steps > MAX_WALK_STEPS ? MAX_WALK_STEPS : steps;
            for (int64_t i = 0; i < n; i++)
                s->num = clamp(s->num + (pu_rand_double(&d->rng) * 2 - 1) * def->step, def->min,
                               def->max);
            s->at_ms = steps > MAX_WALK_STEPS ? now : s->at_ms + steps * def->period_ms;
            out->num = s->num;
            break;
        }
        case SIM_VB_SINE: {
            double mid = (def->min + def->max) / 2, amp = (def->max - def->min) / 2;
            double phase = (double)((now + (int64_t)s->num) % def->period_ms);
            out->num = mid + amp * sin(2 * M_PI * phase / (double)def->period_ms);
            break;
        }
        case SIM_VB_CONSTANT:
        case SIM_VB_SET_BY_FUNCTION:
            break;
        }
    }
    if (s->at_ms != SET_MARK && def->behaviour == SIM_VB_CONSTANT)
        out->num = def->value;
    if (def->type == SIM_VAR_INT32)
        out->num = clamp(round(out->num), -2147483648.0, 2147483647.0);
    else if (def->type == SIM_VAR_BOOL)
        out->num = out->num != 0;
}

void sim_value_format(const sim_value *v, char *out, size_t size)
{
    switch (v->type) {
    case SIM_VAR_INT32:
        snprintf(out, size, "%ld", (long)v->num);
        break;
    case SIM_VAR_DOUBLE:
        snprintf(out, size, "%.17g", v->num);
        break;
    case SIM_VAR_BOOL:
        snprintf(out, size, "%s", v->num != 0 ? "true" : "false");
        break;
    case SIM_VAR_STRING:
        pu_strlcpy(out, v->text, size);
        break;
    }
}

bool sim_device_set_var(sim_model *m, uint32_t dev, uint32_t var, const char *text)
{
    sim_device *d = &m->devices[dev];
    const sim_var_def *def = &tmpl_of(m, dev)->vars[var];
    sim_var_state *s = &d->vars[var];
    switch (def->type) {
    case SIM_VAR_INT32: {
        int64_t v;
        if (pu_parse_int64(text, INT32_MIN, INT32_MAX, &v) != 0)
            return false;
        s->num = (double)v;
        break;
    }
    case SIM_VAR_DOUBLE: {
        double v;
        if (pu_parse_double(text, -DBL_MAX, DBL_MAX, &v) != 0)
            return false;
        s->num = v;
        break;
    }
    case SIM_VAR_BOOL: {
        bool v;
        if (pu_parse_bool(text, &v) != 0)
            return false;
        s->num = v;
        break;
    }
    case SIM_VAR_STRING:
        if (strlen(text) > MAX_STRING_VAR)
            return false;
        free(s->text);
        s->text = pu_xstrdup(text);
        break;
    }
    s->at_ms = SET_MARK;
    return true;
}

uint32_t sim_device_find_fn(const sim_model *m, uint32_t dev, const char *name)
{
    const sim_template *t = tmpl_of(m, dev);
    for (uint32_t f = 0; f < t->fn_count; f++)
        if (strcmp(t->fns[f].name, name) == 0)
            return f;
    return SIM_NONE;
}

/* "N comma-separated integers in [min, max]", no spaces, no empty fields. */
static bool valid_int_list(const char *arg, unsigned int count, long min, long max)
{
    unsigned int n = 0;
    for (const char *p = arg;; n++) {
        size_t len = strcspn(p, ",");
        char field[24]; /* longer than any integer in range */
        int64_t v;
        if (len >= sizeof(field))
            return false;
        memcpy(field, p, len);
        field[len] = '\0';
        if (pu_parse_int64(field, min, max, &v) != 0)
            return false;
        if (p[len] == '\0')
            return n + 1 == count;
        p += len + 1;
    }
}

int32_t sim_device_call_fn(sim_model *m, uint32_t dev, uint32_t fn, const char *arg)
{
    const sim_fn_def *def = &tmpl_of(m, dev)->fns[fn];
    if (!arg)
        arg = "";
    m->devices[dev].last_heard_ms = sim_model_now(m);
    switch (def->behaviour) {
    case SIM_FB_RETURN:
        return def->result;
    case SIM_FB_VALIDATE:
        if (!valid_int_list(arg, def->arg_count, def->arg_min, def->arg_max))
            return -1;
        if (def->variable != SIM_NONE && !sim_device_set_var(m, dev, def->variable, arg))
            return -1;
        return def->result;
    case SIM_FB_SET_VARIABLE:
        return sim_device_set_var(m, dev, def->variable, arg) ? def->result : -1;
    }
    return -1;
}
