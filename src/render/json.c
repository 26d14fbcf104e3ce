/*
 * json.c - the versioned JSON report ("schema": "precall.report/1").
 *
 * Keys come from the metric table, with the unit in every name; numbers
 * are numbers, a value that was not measured is null, and keys keep a
 * stable order. The run scope's figures are the top-level "metrics",
 * "checks" and "series"; every other scope is an entry of "scopes" with
 * the same keys. A scope's "metrics" has the keys its command carries in
 * that kind of scope (pc_metric_carried: the row's producer is one of the
 * command's), so a check's report has no capture keys and the reverse; the
 * notes are those of the table whose figures were measured.
 * data/schema/report.schema.json describes the result, per command.
 */
#include <cJSON.h>
#include <math.h>
#include <stdlib.h>

#include "precall/render.h"
#include "precall/score.h"
#include "render/jsonout.h"

static cJSON *value_json(const struct pc_report *r, size_t scope, enum pc_metric m)
{
    const struct pc_value *v = pc_report_get(r, scope, m);

    if (!v->set)
        return cJSON_CreateNull();
    switch (pc_metric_def(m)->kind) {
    case PC_KIND_BOOL:
        return cJSON_CreateBool(v->num != 0);
    case PC_KIND_TEXT:
        return cJSON_CreateString(v->text ? v->text : "");
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

static cJSON *string_or_null(const char *s)
{
    return s != NULL && s[0] != '\0' ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/*
 * The keys of a scope: those its command carries in its kind, and any other
 * value that was set (a command table that forgot a producer then shows as
 * a key the schema does not allow, not as a measurement silently dropped).
 */
static cJSON *metrics(const struct pc_report *r, size_t scope)
{
    const struct pc_command_def *c = pc_command_find(r->command);
    enum pc_scope_kind kind = r->scopes[scope]->kind;
    cJSON *o = cJSON_CreateObject();

    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);

        if (d->level == PC_LEVEL_SERIES)
            continue;
        if (pc_metric_carried(c, m, kind) || pc_report_get(r, scope, m)->set)
            cJSON_AddItemToObject(o, d->key, value_json(r, scope, m));
    }
    return o;
}

/* Was metric m measured in some scope of the report? */
static int measured(const struct pc_report *r, enum pc_metric m)
{
    for (size_t s = 0; s < r->n_scopes; s++)
        if (pc_report_get(r, s, m)->set)
            return 1;
    return 0;
}

/* The notes of the table about figures this report measured. */
static cJSON *notes(const struct pc_report *r)
{
    const struct pc_command_def *c = pc_command_find(r->command);
    const struct pc_note_def *n;
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; (n = pc_note_at(i)) != NULL; i++) {
        int any = 0;

        for (int k = 0; k < n->n_about; k++)
            any |= measured(r, n->about[k]);
        if (any && pc_note_possible(c, n))
            cJSON_AddItemToArray(a, cJSON_CreateString(n->text));
    }
    return a;
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

static cJSON *checks(const struct pc_report *r, size_t scope)
{
    const struct pc_scope *s = r->scopes[scope];
    cJSON *a = cJSON_CreateArray();

    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        const struct pc_check *c = &s->checks[m];
        cJSON *o;

        if (!c->gated)
            continue;
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "metric", d->key);
        cJSON_AddStringToObject(o, "label", d->label);
        cJSON_AddItemToObject(o, "value", value_json(r, scope, m));
        cJSON_AddStringToObject(o, "tier", pc_tier_name(c->tier));
        cJSON_AddStringToObject(o, "mark", pc_score_mark(c));
        cJSON_AddBoolToObject(o, "measured", s->values[m].set);
        cJSON_AddBoolToObject(o, "limiting", s->limited[m]);
        cJSON_AddItemToObject(o, "thresholds", thresholds(c, d->kind));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *series(const struct pc_report *r, size_t scope)
{
    const struct pc_scope *s = r->scopes[scope];
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; i < s->n_series; i++) {
        const struct pc_series *se = &s->series[i];
        const struct pc_metric_def *d = pc_metric_def(se->metric);
        cJSON *so = cJSON_CreateObject(), *t = cJSON_CreateArray(), *v = cJSON_CreateArray();

        for (size_t k = 0; k < se->n; k++) {
            cJSON_AddItemToArray(t, cJSON_CreateNumber(round((double)se->t_ns[k] / 1e3) / 1e3));
            cJSON_AddItemToArray(v, cJSON_CreateNumber(round(se->v[k] * 1e3) / 1e3));
        }
        cJSON_AddStringToObject(so, "unit", d->unit);
        cJSON_AddItemToObject(so, "t_ms", t);
        cJSON_AddItemToObject(so, "values", v);
        cJSON_AddItemToObject(o, d->key, so);
    }
    return o;
}

static cJSON *limited_keys(const struct pc_scope *s)
{
    cJSON *a = cJSON_CreateArray();

    for (int m = 0; m < PC_M__COUNT; m++)
        if (s->limited[m])
            cJSON_AddItemToArray(a, cJSON_CreateString(pc_metric_def(m)->key));
    return a;
}

static cJSON *scope_ref(const struct pc_scope *s)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "kind", pc_scope_kind_def(s->kind)->name);
    cJSON_AddStringToObject(o, "id", s->id);
    return o;
}

static cJSON *verdict(const struct pc_report *r)
{
    cJSON *o = cJSON_CreateObject(), *lim = cJSON_CreateArray(), *where = cJSON_CreateArray();
    cJSON *left = cJSON_CreateArray();

    cJSON_AddStringToObject(o, "tier", pc_tier_name(r->tier));
    cJSON_AddStringToObject(o, "label", r->headline);
    cJSON_AddItemToObject(o, "cause", string_or_null(r->cause));
    cJSON_AddBoolToObject(o, "ready", pc_report_ready(r));
    cJSON_AddStringToObject(o, "require", pc_tier_name(r->require));
    cJSON_AddNumberToObject(o, "exit_code", pc_report_exit_code(r));
    cJSON_AddStringToObject(o, "status", pc_report_status(r));
    cJSON_AddBoolToObject(o, "partial", r->partial);
    for (int m = 0; m < PC_M__COUNT; m++)
        if (r->left_out[m])
            cJSON_AddItemToArray(left, cJSON_CreateString(pc_metric_def(m)->key));
    cJSON_AddItemToObject(o, "not_checked", left);
    /* limited_by: the keys, as in the first version; limiting: with their scopes. */
    for (int m = 0; m < PC_M__COUNT; m++) {
        int any = 0;

        for (size_t s = 0; s < r->n_scopes; s++) {
            const struct pc_scope *sc = r->scopes[s];
            cJSON *e;

            if (!sc->gates || !sc->limited[m] || sc->tier != r->tier)
                continue;
            any = 1;
            e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "metric", pc_metric_def(m)->key);
            cJSON_AddItemToObject(e, "scope", scope_ref(sc));
            cJSON_AddItemToArray(where, e);
        }
        if (any)
            cJSON_AddItemToArray(lim, cJSON_CreateString(pc_metric_def(m)->key));
    }
    cJSON_AddItemToObject(o, "limited_by", lim);
    cJSON_AddItemToObject(o, "limiting", where);
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
        cJSON_AddItemToObject(o, "address", string_or_null(t->address));
        cJSON_AddNumberToObject(o, "port", t->port);
        cJSON_AddStringToObject(o, "detail", t->detail);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *probe_json(const struct pc_probe_result *p)
{
    cJSON *po = cJSON_CreateObject();

    cJSON_AddStringToObject(po, "status", pc_status_name(p->status));
    cJSON_AddItemToObject(po, "reason", string_or_null(p->reason));
    cJSON_AddItemToObject(po, "cause", string_or_null(p->cause));
    cJSON_AddItemToObject(po, "subject", string_or_null(p->subject));
    cJSON_AddBoolToObject(po, "cut_short", p->cut_short);
    cJSON_AddNumberToObject(po, "duration_ms", round((double)p->duration_ns / 1e3) / 1e3);
    cJSON_AddStringToObject(po, "method", p->method);
    cJSON_AddItemToObject(po, "targets", targets(p));
    return po;
}

static cJSON *probes(const struct pc_report *r)
{
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; i < r->n_probes; i++)
        cJSON_AddItemToObject(o, r->probes[i].name, probe_json(&r->probes[i]));
    return o;
}

static cJSON *scopes(const struct pc_report *r)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 1; i < r->n_scopes; i++) {
        const struct pc_scope *s = r->scopes[i];
        cJSON *o = scope_ref(s);

        cJSON_AddStringToObject(o, "label", s->label);
        cJSON_AddBoolToObject(o, "gates", s->gates);
        cJSON_AddItemToObject(o, "tier",
                              s->tier == PC_TIER_UNKNOWN
                                  ? cJSON_CreateNull()
                                  : cJSON_CreateString(pc_tier_name(s->tier)));
        cJSON_AddItemToObject(o, "limited_by", limited_keys(s));
        cJSON_AddItemToObject(o, "metrics", metrics(r, i));
        cJSON_AddItemToObject(o, "checks", checks(r, i));
        cJSON_AddItemToObject(o, "series", series(r, i));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* The conditional risks beside the tier (precall/risk.h). */
static cJSON *risks(const struct pc_report *r)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; i < r->n_risks; i++) {
        const struct pc_risk *rk = &r->risks[i];
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "id", rk->id);
        cJSON_AddStringToObject(o, "metric", pc_metric_def(rk->metric)->key);
        cJSON_AddItemToObject(o, "value", number_or_null(rk->value));
        cJSON_AddItemToObject(o, "threshold", number_or_null(rk->level));
        cJSON_AddStringToObject(o, "text", rk->text);
        cJSON_AddStringToObject(o, "advice", rk->advice);
        cJSON_AddItemToArray(a, o);
    }
    return a;
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
        cJSON_AddItemToObject(o, "scope", scope_ref(r->scopes[ad->scope]));
        cJSON_AddItemToObject(o, "value", number_or_null(ad->value));
        cJSON_AddItemToObject(o, "threshold", number_or_null(ad->threshold));
        cJSON_AddStringToObject(o, "text", ad->text);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

cJSON *pc_json_report(const struct pc_report *r, const struct pc_render_opts *o)
{
    cJSON *root = cJSON_CreateObject();

    cJSON_AddStringToObject(root, "schema", PC_REPORT_SCHEMA);
    cJSON_AddStringToObject(root, "precall_version", o->version ? o->version : "0");
    cJSON_AddStringToObject(root, "command", r->command);
    cJSON_AddStringToObject(root, "started_at", r->started_at);
    cJSON_AddNumberToObject(root, "duration_ms", round((double)r->duration_ns / 1e3) / 1e3);
    cJSON_AddBoolToObject(root, "complete", r->complete);
    cJSON_AddBoolToObject(root, "interrupted", r->interrupted != 0);
    cJSON_AddItemToObject(root, "signal", string_or_null(pc_render_signal_name(r->interrupted)));
    cJSON_AddBoolToObject(root, "deadline_hit", r->deadline_hit);
    cJSON_AddStringToObject(root, "profile", r->profile);
    cJSON_AddItemToObject(root, "verdict", verdict(r));
    cJSON_AddItemToObject(root, "metrics", metrics(r, PC_SCOPE_RUN_ID));
    cJSON_AddItemToObject(root, "checks", checks(r, PC_SCOPE_RUN_ID));
    cJSON_AddItemToObject(root, "series", series(r, PC_SCOPE_RUN_ID));
    cJSON_AddItemToObject(root, "scopes", scopes(r));
    cJSON_AddItemToObject(root, "risks", risks(r));
    cJSON_AddItemToObject(root, "advice", advice(r));
    cJSON_AddItemToObject(root, "probes", probes(r));
    cJSON_AddItemToObject(root, "notes", notes(r));
    return root;
}

void pc_json_append(cJSON *root, int pretty, struct pc_buf *b)
{
    char *text = root != NULL ? (pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root)) : NULL;

    cJSON_Delete(root);
    if (text == NULL) {
        b->failed = 1;
        return;
    }
    pc_buf_puts(b, text);
    pc_buf_puts(b, "\n");
    free(text);
}

void pc_render_json(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b)
{
    pc_json_append(pc_json_report(r, o), 1, b);
}
