/*
 * json.c - the versioned JSON report ("schema": "precall.report/1").
 *
 * Keys come from the metric table, with the unit in every name; numbers
 * are numbers, a value that was not measured is null, and keys keep a
 * stable order. data/schema/report.schema.json describes the result.
 */
#include <cJSON.h>
#include <math.h>
#include <stdlib.h>

#include "precall/render.h"

#ifndef PRECALL_VERSION
#define PRECALL_VERSION "0"
#endif

static cJSON *value_json(const struct pc_report *r, enum pc_metric m)
{
    const struct pc_value *v = &r->values[m];

    if (!v->set)
        return cJSON_CreateNull();
    switch (pc_metric_def(m)->kind) {
    case PC_KIND_BOOL:
        return cJSON_CreateBool(v->num != 0);
    case PC_KIND_TEXT:
        return cJSON_CreateString(v->text);
    case PC_KIND_COUNT:
        return cJSON_CreateNumber(round(v->num));
    default:
        return cJSON_CreateNumber(round(v->num * 1000.0) / 1000.0);
    }
}

static cJSON *number_or_null(double v)
{
    return isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v);
}

static cJSON *metrics(const struct pc_report *r)
{
    cJSON *o = cJSON_CreateObject();

    for (int m = 0; m < PC_M__COUNT; m++)
        cJSON_AddItemToObject(o, pc_metric_def(m)->key, value_json(r, m));
    return o;
}

static cJSON *thresholds(const struct pc_check *c, enum pc_metric_kind kind)
{
    cJSON *o = cJSON_CreateObject();

    for (int t = PC_TIER__COUNT - 1; t >= PC_TIER_AUDIO; t--) {
        if (!c->has_threshold[t])
            continue;
        if (kind == PC_KIND_BOOL)
            cJSON_AddBoolToObject(o, pc_tier_name(t), c->threshold[t] != 0);
        else
            cJSON_AddNumberToObject(o, pc_tier_name(t), c->threshold[t]);
    }
    return o;
}

static cJSON *checks(const struct pc_report *r)
{
    cJSON *a = cJSON_CreateArray();

    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        const struct pc_check *c = &r->checks[m];
        cJSON *o;

        if (!c->gated)
            continue;
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "metric", d->key);
        cJSON_AddStringToObject(o, "label", d->label);
        cJSON_AddItemToObject(o, "value", value_json(r, m));
        cJSON_AddStringToObject(o, "tier", pc_tier_name(c->tier));
        cJSON_AddBoolToObject(o, "measured", r->values[m].set);
        cJSON_AddBoolToObject(o, "limiting", r->limited[m]);
        cJSON_AddItemToObject(o, "thresholds", thresholds(c, d->kind));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *verdict(const struct pc_report *r)
{
    cJSON *o = cJSON_CreateObject(), *lim = cJSON_CreateArray();

    cJSON_AddStringToObject(o, "tier", pc_tier_name(r->tier));
    cJSON_AddStringToObject(o, "label", r->headline);
    cJSON_AddBoolToObject(o, "ready", r->tier >= r->require);
    cJSON_AddStringToObject(o, "require", pc_tier_name(r->require));
    cJSON_AddNumberToObject(o, "exit_code", pc_report_exit_code(r));
    for (int m = 0; m < PC_M__COUNT; m++)
        if (r->limited[m])
            cJSON_AddItemToArray(lim, cJSON_CreateString(pc_metric_def(m)->key));
    cJSON_AddItemToObject(o, "limited_by", lim);
    return o;
}

static cJSON *targets(const struct pc_probe_result *p)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; i < p->n_targets; i++) {
        const struct pc_target *t = &p->targets[i];
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "role", t->role);
        cJSON_AddStringToObject(o, "host", t->host);
        if (t->address[0])
            cJSON_AddStringToObject(o, "address", t->address);
        else
            cJSON_AddNullToObject(o, "address");
        cJSON_AddNumberToObject(o, "port", t->port);
        cJSON_AddStringToObject(o, "detail", t->detail);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *probes(const struct pc_report *r)
{
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; i < r->n_probes; i++) {
        const struct pc_probe_result *p = &r->probes[i];
        cJSON *po = cJSON_CreateObject();

        cJSON_AddStringToObject(po, "status", pc_status_name(p->status));
        if (p->reason[0])
            cJSON_AddStringToObject(po, "reason", p->reason);
        else
            cJSON_AddNullToObject(po, "reason");
        cJSON_AddNumberToObject(po, "duration_ms", round((double)p->duration_ns / 1e3) / 1e3);
        cJSON_AddStringToObject(po, "method", p->method);
        cJSON_AddItemToObject(po, "targets", targets(p));
        if (p->n_samples > 0) {
            cJSON *s = cJSON_CreateObject(), *v = cJSON_CreateArray();

            cJSON_AddStringToObject(s, "label", p->samples_label);
            for (size_t k = 0; k < p->n_samples; k++)
                cJSON_AddItemToArray(v, cJSON_CreateNumber(round(p->samples[k] * 1e3) / 1e3));
            cJSON_AddItemToObject(s, "values", v);
            cJSON_AddItemToObject(po, "samples", s);
        }
        cJSON_AddItemToObject(o, p->name, po);
    }
    return o;
}

static cJSON *advice(const struct pc_report *r)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; i < r->n_advice; i++) {
        const struct pc_advice *ad = &r->advice[i];
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "id", ad->id);
        cJSON_AddStringToObject(o, "severity", ad->severity);
        cJSON_AddNumberToObject(o, "rank", ad->rank);
        if (ad->metric >= 0)
            cJSON_AddStringToObject(o, "metric", pc_metric_def(ad->metric)->key);
        else
            cJSON_AddNullToObject(o, "metric");
        cJSON_AddItemToObject(o, "value", number_or_null(ad->value));
        cJSON_AddItemToObject(o, "threshold", number_or_null(ad->threshold));
        cJSON_AddStringToObject(o, "text", ad->text);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

void pc_render_json(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    cJSON *root = cJSON_CreateObject(), *notes = cJSON_CreateArray();
    char *text;

    (void)o;
    cJSON_AddStringToObject(root, "schema", PC_REPORT_SCHEMA);
    cJSON_AddStringToObject(root, "precall_version", PRECALL_VERSION);
    cJSON_AddStringToObject(root, "command", "check");
    cJSON_AddStringToObject(root, "started_at", r->started_at);
    cJSON_AddNumberToObject(root, "duration_ms", round((double)r->duration_ns / 1e3) / 1e3);
    cJSON_AddBoolToObject(root, "complete", r->complete);
    cJSON_AddBoolToObject(root, "interrupted", r->interrupted);
    cJSON_AddBoolToObject(root, "deadline_hit", r->deadline_hit);
    cJSON_AddStringToObject(root, "profile", r->profile);
    cJSON_AddItemToObject(root, "verdict", verdict(r));
    cJSON_AddItemToObject(root, "metrics", metrics(r));
    cJSON_AddItemToObject(root, "checks", checks(r));
    cJSON_AddItemToObject(root, "advice", advice(r));
    cJSON_AddItemToObject(root, "probes", probes(r));
    cJSON_AddItemToArray(notes,
                         cJSON_CreateString("Jitter is measured on the round trip and mixes both "
                                            "directions."));
    cJSON_AddItemToArray(
        notes, cJSON_CreateString("A short check is one sample of a connection that may fail "
                                  "intermittently; --duration 60 gives a longer one."));
    cJSON_AddItemToObject(root, "notes", notes);
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (text == NULL) {
        b->failed = 1;
        return;
    }
    pc_buf_puts(b, text);
    pc_buf_puts(b, "\n");
    free(text);
}
