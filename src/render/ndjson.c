/*
 * ndjson.c - the run as it happens: one JSON object per line for each
 * event ("event": "probe_start", ...), the full report as the last line.
 * Each line validates against the same schema as the JSON report.
 */
#include <math.h>

#include "precall/render.h"
#include "render/jsonout.h"

static void figure(cJSON *o, const struct pc_event *ev)
{
    const struct pc_metric_def *d = pc_metric_def(ev->metric);
    cJSON *scope = cJSON_CreateObject();

    cJSON_AddStringToObject(scope, "kind", pc_scope_kind_def(ev->scope_kind)->name);
    cJSON_AddStringToObject(scope, "id", ev->scope_id ? ev->scope_id : "run");
    cJSON_AddItemToObject(o, "scope", scope);
    cJSON_AddStringToObject(o, "metric", d->key);
    cJSON_AddNumberToObject(o, "value", round(ev->value * 1e3) / 1e3);
    cJSON_AddStringToObject(o, "unit", d->unit);
}

void pc_render_ndjson_event(const struct pc_event *ev, struct pc_buf *b)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "event", pc_event_name(ev->kind));
    cJSON_AddNumberToObject(o, "t_ms", round((double)ev->t_ns / 1e3) / 1e3);
    if (ev->probe != NULL)
        cJSON_AddStringToObject(o, "probe", ev->probe);
    switch (ev->kind) {
    case PC_EVENT_RUN_START:
        cJSON_AddStringToObject(o, "schema", PC_REPORT_SCHEMA);
        cJSON_AddStringToObject(o, "command", ev->report->command);
        cJSON_AddStringToObject(o, "started_at", ev->report->started_at);
        break;
    case PC_EVENT_PHASE:
        cJSON_AddStringToObject(o, "phase", ev->phase);
        break;
    case PC_EVENT_FIGURE:
        figure(o, ev);
        break;
    case PC_EVENT_PROBE_DONE:
        cJSON_AddStringToObject(o, "status", pc_status_name(ev->result->status));
        if (ev->result->reason[0])
            cJSON_AddStringToObject(o, "reason", ev->result->reason);
        else
            cJSON_AddNullToObject(o, "reason");
        break;
    case PC_EVENT_RUN_DONE:
        cJSON_AddBoolToObject(o, "complete", ev->report->complete);
        cJSON_AddBoolToObject(o, "interrupted", ev->report->interrupted != 0);
        break;
    default:
        break;
    }
    pc_json_append(o, 0, b);
}

void pc_render_ndjson(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    pc_json_append(pc_json_report(r, o), 0, b);
}
