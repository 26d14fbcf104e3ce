/*
 * report_load.c - a saved JSON report back into a struct pc_report (see
 * precall/report_load.h). The inverse of src/render/json.c: every key it
 * writes is read here with its type checked, each text is cut to its
 * field and each table to its bound; keys this version does not know (a
 * newer minor version's) are skipped, a newer major version is refused.
 */
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/buf.h"
#include "precall/report_load.h"
#include "precall/score.h"
#include "precall/utf8.h"

#define SCOPES_MAX      100000 /* far above any real report; bounds the memory a file can claim */
#define SERIES_T_MAX_MS 1e12   /* 30 years: a time beyond it is not a time of a run */

struct ctx {
    struct pc_saved *l;
    struct pc_err *err;
    int rc; /* the first error, or 0 */
};

static int fail(struct ctx *c, const char *where, const char *what)
{
    if (c->rc == 0)
        c->rc = pc_err_set(c->err, PC_EDATA, "%s: %s", where, what);
    return c->rc;
}

/* Keep a copy of s for as long as the report: for its const char * fields. */
static const char *keep(struct ctx *c, const char *s)
{
    char *copy;

    if (c->l->n_strings == c->l->cap_strings &&
        pc_grow((void **)&c->l->strings, &c->l->cap_strings, c->l->n_strings + 1,
                sizeof(*c->l->strings)) < 0)
        return NULL;
    copy = strdup(s);
    if (copy == NULL)
        return NULL;
    pc_utf8_sanitize(copy);
    c->l->strings[c->l->n_strings++] = copy;
    return copy;
}

/* A member that must be there and of a type; NULL (and the error) when not. */
static const cJSON *member(struct ctx *c, const cJSON *o, const char *key,
                           cJSON_bool (*is)(const cJSON *), const char *type)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    char what[80];

    if (v != NULL && is(v))
        return v;
    snprintf(what, sizeof(what), "%s %s", v == NULL ? "missing," : "not", type);
    fail(c, key, v == NULL ? "missing" : what);
    return NULL;
}

/* A string member (or null when nullable) copied into buf; "" for null. */
static int text(struct ctx *c, const cJSON *o, const char *key, int nullable, char *buf, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    buf[0] = '\0';
    if (v != NULL && nullable && cJSON_IsNull(v))
        return 0;
    if (v == NULL || !cJSON_IsString(v))
        return fail(c, key, nullable ? "not a string or null" : "not a string");
    pc_strfmt(buf, cap, "%s", v->valuestring);
    pc_utf8_sanitize(buf);
    return 0;
}

static int finite_number(struct ctx *c, const cJSON *o, const char *key, double *out)
{
    const cJSON *v = member(c, o, key, cJSON_IsNumber, "a number");

    if (v == NULL)
        return c->rc;
    if (!isfinite(v->valuedouble))
        return fail(c, key, "not a finite number");
    *out = v->valuedouble;
    return 0;
}

/* A number or null (NAN). */
static int number_or_nan(struct ctx *c, const cJSON *o, const char *key, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    *out = NAN;
    if (v != NULL && cJSON_IsNull(v))
        return 0;
    return finite_number(c, o, key, out);
}

static int flag(struct ctx *c, const cJSON *o, const char *key, int *out)
{
    const cJSON *v = member(c, o, key, cJSON_IsBool, "true or false");

    if (v == NULL)
        return c->rc;
    *out = cJSON_IsTrue(v);
    return 0;
}

static int tier_of(struct ctx *c, const char *where, const char *name, int unknown_ok)
{
    int t = pc_tier_parse(name);

    if (t < 0 && unknown_ok && strcmp(name, "unknown") == 0)
        return PC_TIER_UNKNOWN;
    if (t < 0)
        fail(c, where, "not a tier (hd, sd, audio, none)");
    return t;
}

static int scope_kind(const char *name)
{
    for (int k = 0; k < PC_SCOPE__COUNT; k++)
        if (strcmp(pc_scope_kind_def(k)->name, name) == 0)
            return k;
    return -1;
}

/* "metrics": the values of one scope; keys this version does not know are skipped. */
static int values(struct ctx *c, size_t scope, const cJSON *o)
{
    struct pc_report *r = c->l->report;
    const cJSON *v;

    if (o == NULL || !cJSON_IsObject(o))
        return fail(c, "metrics", "not an object");
    cJSON_ArrayForEach(v, o)
    {
        const struct pc_metric_def *d = pc_metric_find(v->string);

        if (d == NULL || cJSON_IsNull(v))
            continue;
        if (d->kind == PC_KIND_TEXT) {
            if (!cJSON_IsString(v))
                return fail(c, v->string, "not a string");
            pc_report_derive_text(r, scope, d->id, v->valuestring);
        } else if (d->kind == PC_KIND_BOOL) {
            if (!cJSON_IsBool(v))
                return fail(c, v->string, "not true or false");
            pc_report_derive_num(r, scope, d->id, cJSON_IsTrue(v) ? 1 : 0);
        } else {
            if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
                return fail(c, v->string, "not a finite number");
            pc_report_derive_num(r, scope, d->id, v->valuedouble);
        }
    }
    return 0;
}

static int thresholds(struct ctx *c, struct pc_check *chk, const cJSON *o)
{
    const cJSON *v;

    if (o == NULL || !cJSON_IsObject(o))
        return fail(c, "thresholds", "not an object");
    cJSON_ArrayForEach(v, o)
    {
        int t = pc_tier_parse(v->string);

        if (t < PC_TIER_AUDIO)
            return fail(c, "thresholds", "a key is not hd, sd or audio");
        if (cJSON_IsBool(v))
            chk->threshold[t] = cJSON_IsTrue(v) ? 1 : 0;
        else if (cJSON_IsNumber(v) && isfinite(v->valuedouble))
            chk->threshold[t] = v->valuedouble;
        else
            return fail(c, v->string, "not a number or true or false");
        chk->has_threshold[t] = 1;
    }
    return 0;
}

/* "checks": the scored checks of one scope. */
static int checks(struct ctx *c, size_t scope, const cJSON *a)
{
    struct pc_scope *s = c->l->report->scopes[scope];
    const cJSON *e;

    if (a == NULL || !cJSON_IsArray(a))
        return fail(c, "checks", "not an array");
    cJSON_ArrayForEach(e, a)
    {
        char key[64], tier[16];
        const struct pc_metric_def *d;
        int limiting = 0, t;

        if (!cJSON_IsObject(e))
            return fail(c, "checks", "an entry is not an object");
        if (text(c, e, "metric", 0, key, sizeof(key)) ||
            text(c, e, "tier", 0, tier, sizeof(tier)) || flag(c, e, "limiting", &limiting))
            return c->rc;
        if ((d = pc_metric_find(key)) == NULL)
            continue; /* a newer minor version's metric */
        t = tier_of(c, "checks.tier", tier, 1);
        if (c->rc)
            return c->rc;
        s->checks[d->id].gated = 1;
        s->checks[d->id].tier = t;
        s->limited[d->id] = (unsigned char)(limiting != 0);
        if (thresholds(c, &s->checks[d->id], cJSON_GetObjectItemCaseSensitive(e, "thresholds")))
            return c->rc;
    }
    return 0;
}

/* "series": each metric's points; t_ms counts from the start of the run. */
static int series(struct ctx *c, size_t scope, const cJSON *o)
{
    struct pc_report *r = c->l->report;
    const cJSON *se;

    if (o == NULL || !cJSON_IsObject(o))
        return fail(c, "series", "not an object");
    cJSON_ArrayForEach(se, o)
    {
        const struct pc_metric_def *d = pc_metric_find(se->string);
        const cJSON *t, *v, *tp, *vp;

        if (!cJSON_IsObject(se))
            return fail(c, "series", "an entry is not an object");
        t = member(c, se, "t_ms", cJSON_IsArray, "an array");
        v = member(c, se, "values", cJSON_IsArray, "an array");
        if (t == NULL || v == NULL)
            return c->rc;
        if (cJSON_GetArraySize(t) != cJSON_GetArraySize(v))
            return fail(c, se->string, "t_ms and values differ in length");
        if (d == NULL)
            continue;
        for (tp = t->child, vp = v->child; tp != NULL && vp != NULL; tp = tp->next, vp = vp->next) {
            if (!cJSON_IsNumber(tp) || !cJSON_IsNumber(vp) || !isfinite(vp->valuedouble) ||
                !(fabs(tp->valuedouble) <= SERIES_T_MAX_MS))
                return fail(c, se->string, "a point is not a pair of finite numbers");
            if (pc_report_series_add(r, scope, d->id,
                                     r->started_ns + llround(tp->valuedouble * 1e6),
                                     vp->valuedouble) == PC_ENOMEM)
                return c->rc = pc_err_set(c->err, PC_ENOMEM, "out of memory");
        }
    }
    return 0;
}

static int limited_by(struct ctx *c, struct pc_scope *s, const cJSON *a)
{
    const cJSON *e;

    if (a == NULL || !cJSON_IsArray(a))
        return fail(c, "limited_by", "not an array");
    cJSON_ArrayForEach(e, a)
    {
        const struct pc_metric_def *d;

        if (!cJSON_IsString(e))
            return fail(c, "limited_by", "an entry is not a string");
        if ((d = pc_metric_find(e->valuestring)) != NULL)
            s->limited[d->id] = 1;
    }
    return 0;
}

/* The figures, checks and series of a scope (the run's at the top level). */
static int scope_body(struct ctx *c, size_t scope, const cJSON *o)
{
    if (values(c, scope, cJSON_GetObjectItemCaseSensitive(o, "metrics")) ||
        checks(c, scope, cJSON_GetObjectItemCaseSensitive(o, "checks")) ||
        series(c, scope, cJSON_GetObjectItemCaseSensitive(o, "series")))
        return c->rc;
    return 0;
}

static int scopes(struct ctx *c, const cJSON *a)
{
    struct pc_report *r = c->l->report;
    const cJSON *e;

    if (a == NULL || !cJSON_IsArray(a))
        return fail(c, "scopes", "not an array");
    if (cJSON_GetArraySize(a) > SCOPES_MAX)
        return fail(c, "scopes", "too many");
    cJSON_ArrayForEach(e, a)
    {
        char kind[32], id[512], label[512], tier[16];
        int k, i, gates = 0;
        const cJSON *t;

        if (!cJSON_IsObject(e))
            return fail(c, "scopes", "an entry is not an object");
        if (text(c, e, "kind", 0, kind, sizeof(kind)) || text(c, e, "id", 0, id, sizeof(id)) ||
            text(c, e, "label", 0, label, sizeof(label)) || flag(c, e, "gates", &gates))
            return c->rc;
        k = scope_kind(kind);
        if (k < 0 || k == PC_SCOPE_RUN)
            return fail(c, "scopes.kind", "not a kind of scope");
        i = pc_report_scope(r, (enum pc_scope_kind)k, id, label);
        if (i < 0)
            return c->rc = pc_err_set(c->err, PC_ENOMEM, "out of memory");
        r->scopes[i]->gates = gates;
        r->scopes[i]->for_comparison = !gates;
        t = cJSON_GetObjectItemCaseSensitive(e, "tier");
        if (t != NULL && cJSON_IsNull(t))
            r->scopes[i]->tier = PC_TIER_UNKNOWN;
        else if (text(c, e, "tier", 0, tier, sizeof(tier)) ||
                 (r->scopes[i]->tier = tier_of(c, "scopes.tier", tier, 1), c->rc))
            return c->rc;
        if (limited_by(c, r->scopes[i], cJSON_GetObjectItemCaseSensitive(e, "limited_by")) ||
            scope_body(c, (size_t)i, e))
            return c->rc;
    }
    return 0;
}

static int signal_of(const char *name, int exit_code)
{
    if (strcmp(name, "SIGINT") == 0)
        return SIGINT;
    if (strcmp(name, "SIGTERM") == 0)
        return SIGTERM;
    if (strcmp(name, "SIGHUP") == 0)
        return SIGHUP;
    return exit_code > 128 && exit_code < 192 ? exit_code - 128 : SIGTERM;
}

/*
 * The verdict: the tier, the headline and what held it down. The run
 * scope's limits come from "limiting"; no_verdict and reached, which the
 * JSON gives only through the exit status, are set back from it.
 */
static int verdict(struct ctx *c, const cJSON *v)
{
    struct pc_report *r = c->l->report;
    char tier[16], require[16];
    const cJSON *e, *a;
    double code;

    if (v == NULL || !cJSON_IsObject(v))
        return fail(c, "verdict", "missing or not an object");
    if (text(c, v, "tier", 0, tier, sizeof(tier)) ||
        text(c, v, "label", 0, r->headline, sizeof(r->headline)) ||
        text(c, v, "cause", 1, r->cause, sizeof(r->cause)) ||
        text(c, v, "require", 0, require, sizeof(require)) ||
        finite_number(c, v, "exit_code", &code) || flag(c, v, "partial", &r->partial))
        return c->rc;
    r->tier = tier_of(c, "verdict.tier", tier, 0);
    r->require = tier_of(c, "verdict.require", require, 0);
    if (c->rc)
        return c->rc;
    r->no_verdict = code == 3;
    r->reached = code == 1 && r->tier < PC_TIER_AUDIO ? PC_TIER_AUDIO : r->tier;
    a = member(c, v, "not_checked", cJSON_IsArray, "an array");
    if (a == NULL)
        return c->rc;
    cJSON_ArrayForEach(e, a)
    {
        const struct pc_metric_def *d = cJSON_IsString(e) ? pc_metric_find(e->valuestring) : NULL;

        if (!cJSON_IsString(e))
            return fail(c, "not_checked", "an entry is not a string");
        if (d != NULL)
            r->left_out[d->id] = 1;
    }
    a = member(c, v, "limiting", cJSON_IsArray, "an array");
    if (a == NULL)
        return c->rc;
    cJSON_ArrayForEach(e, a)
    {
        char key[64], kind[32], id[512];
        const cJSON *s = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "scope") : NULL;
        const struct pc_metric_def *d;
        int k, i;

        if (s == NULL || !cJSON_IsObject(s))
            return fail(c, "limiting", "an entry has no scope");
        if (text(c, e, "metric", 0, key, sizeof(key)) ||
            text(c, s, "kind", 0, kind, sizeof(kind)) || text(c, s, "id", 0, id, sizeof(id)))
            return c->rc;
        d = pc_metric_find(key);
        k = scope_kind(kind);
        i = k < 0 ? -1 : k == PC_SCOPE_RUN ? PC_SCOPE_RUN_ID : pc_report_scope_find(r, k, id);
        if (d == NULL || i < 0)
            continue;
        /* It limits the verdict: its scope gates at the verdict's tier. */
        r->scopes[i]->limited[d->id] = 1;
        r->scopes[i]->gates = 1;
        r->scopes[i]->tier = r->tier;
    }
    return 0;
}

static int targets(struct ctx *c, struct pc_probe_result *p, const cJSON *a)
{
    const cJSON *e;

    if (a == NULL || !cJSON_IsArray(a))
        return fail(c, "targets", "not an array");
    cJSON_ArrayForEach(e, a)
    {
        struct pc_target *t;
        double port = 0;

        if (p->n_targets == PC_TARGETS_MAX)
            break;
        if (!cJSON_IsObject(e))
            return fail(c, "targets", "an entry is not an object");
        t = &p->targets[p->n_targets];
        if (text(c, e, "role", 0, t->role, sizeof(t->role)) ||
            text(c, e, "host", 0, t->host, sizeof(t->host)) ||
            text(c, e, "address", 1, t->address, sizeof(t->address)) ||
            text(c, e, "detail", 0, t->detail, sizeof(t->detail)) ||
            finite_number(c, e, "port", &port))
            return c->rc;
        if (port < 0 || port > 65535)
            return fail(c, "port", "not a port (0 to 65535)");
        t->port = (int)port;
        p->n_targets++;
    }
    return 0;
}

static int status_of(const char *name)
{
    for (int s = PC_STATUS_PENDING; s <= PC_STATUS_INTERRUPTED; s++)
        if (strcmp(pc_status_name((enum pc_status)s), name) == 0)
            return s;
    return -1;
}

static int probes(struct ctx *c, const cJSON *o)
{
    struct pc_report *r = c->l->report;
    const cJSON *e;

    if (o == NULL || !cJSON_IsObject(o))
        return fail(c, "probes", "missing or not an object");
    cJSON_ArrayForEach(e, o)
    {
        struct pc_probe_result *p;
        char status[16];
        double ms = 0;
        int st;

        if (r->n_probes == PC_PROBES_MAX)
            break;
        if (!cJSON_IsObject(e))
            return fail(c, "probes", "an entry is not an object");
        p = &r->probes[r->n_probes];
        if ((p->name = keep(c, e->string)) == NULL)
            return c->rc = pc_err_set(c->err, PC_ENOMEM, "out of memory");
        if (text(c, e, "status", 0, status, sizeof(status)) ||
            text(c, e, "reason", 1, p->reason, sizeof(p->reason)) ||
            text(c, e, "cause", 1, p->cause, sizeof(p->cause)) ||
            text(c, e, "subject", 1, p->subject, sizeof(p->subject)) ||
            text(c, e, "method", 0, p->method, sizeof(p->method)) ||
            flag(c, e, "cut_short", &p->cut_short) || finite_number(c, e, "duration_ms", &ms) ||
            targets(c, p, cJSON_GetObjectItemCaseSensitive(e, "targets")))
            return c->rc;
        if ((st = status_of(status)) < 0)
            return fail(c, "status", "not a probe status");
        if (!(fabs(ms) <= SERIES_T_MAX_MS))
            return fail(c, "duration_ms", "out of range");
        p->status = (enum pc_status)st;
        p->duration_ns = llround(ms * 1e6);
        r->n_probes++;
    }
    return 0;
}

/* The scope an advice or a risk is about; the run when it names none this report has. */
static size_t scope_ref(struct ctx *c, const cJSON *o)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "scope");
    char kind[32], id[512];
    int k, i;

    if (s == NULL || !cJSON_IsObject(s)) {
        fail(c, "scope", "missing or not an object");
        return PC_SCOPE_RUN_ID;
    }
    if (text(c, s, "kind", 0, kind, sizeof(kind)) || text(c, s, "id", 0, id, sizeof(id)))
        return PC_SCOPE_RUN_ID;
    k = scope_kind(kind);
    i = k <= PC_SCOPE_RUN ? PC_SCOPE_RUN_ID : pc_report_scope_find(c->l->report, k, id);
    return i < 0 ? PC_SCOPE_RUN_ID : (size_t)i;
}

/* A metric key, or null: the metric, or -1. */
static int metric_or_none(struct ctx *c, const cJSON *o)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "metric");
    const struct pc_metric_def *d;

    if (m != NULL && cJSON_IsNull(m))
        return -1;
    if (m == NULL || !cJSON_IsString(m))
        return fail(c, "metric", "not a string or null"), -1;
    d = pc_metric_find(m->valuestring);
    return d != NULL ? (int)d->id : -1;
}

/*
 * The advice. Its cause (the words the headline quotes) is not in the JSON:
 * the headline's own advice gets it back from the headline, after "Not
 * ready: " or "No verdict: ".
 */
static int advice(struct ctx *c, const cJSON *a)
{
    struct pc_report *r = c->l->report;
    const cJSON *e;

    if (a == NULL || !cJSON_IsArray(a))
        return fail(c, "advice", "missing or not an array");
    cJSON_ArrayForEach(e, a)
    {
        struct pc_advice *ad;
        char id[64], severity[16];
        double rank = 0;

        if (r->n_advice == PC_ADVICE_MAX)
            break;
        if (!cJSON_IsObject(e))
            return fail(c, "advice", "an entry is not an object");
        ad = &r->advice[r->n_advice];
        memset(ad, 0, sizeof(*ad));
        if (text(c, e, "id", 0, id, sizeof(id)) ||
            text(c, e, "severity", 0, severity, sizeof(severity)) ||
            text(c, e, "text", 0, ad->text, sizeof(ad->text)) ||
            finite_number(c, e, "rank", &rank) || number_or_nan(c, e, "value", &ad->value) ||
            number_or_nan(c, e, "threshold", &ad->threshold))
            return c->rc;
        ad->metric = metric_or_none(c, e);
        ad->scope = scope_ref(c, e);
        if (c->rc)
            return c->rc;
        if ((ad->id = keep(c, id)) == NULL || (ad->severity = keep(c, severity)) == NULL)
            return c->rc = pc_err_set(c->err, PC_ENOMEM, "out of memory");
        ad->rank = rank > 1e6 ? 1000000 : rank < -1e6 ? -1000000 : (int)rank;
        if (r->cause[0] != '\0' && strcmp(r->cause, id) == 0) {
            const char *h = strstr(r->headline, "ready: ");
            const char *n = strstr(r->headline, "verdict: ");

            ad->about_network = h != NULL;
            if (h != NULL || n != NULL)
                pc_strfmt(ad->cause, sizeof(ad->cause), "%s", h != NULL ? h + 7 : n + 9);
        }
        r->n_advice++;
    }
    return 0;
}

static int risks(struct ctx *c, const cJSON *a)
{
    struct pc_report *r = c->l->report;
    const cJSON *e;

    if (a == NULL || !cJSON_IsArray(a))
        return fail(c, "risks", "missing or not an array");
    cJSON_ArrayForEach(e, a)
    {
        struct pc_risk *rk;
        char id[64], adv[600];

        if (r->n_risks == PC_RISKS_MAX)
            break;
        if (!cJSON_IsObject(e))
            return fail(c, "risks", "an entry is not an object");
        rk = &r->risks[r->n_risks];
        memset(rk, 0, sizeof(*rk));
        if (text(c, e, "id", 0, id, sizeof(id)) ||
            text(c, e, "text", 0, rk->text, sizeof(rk->text)) ||
            text(c, e, "advice", 0, adv, sizeof(adv)) || number_or_nan(c, e, "value", &rk->value) ||
            number_or_nan(c, e, "threshold", &rk->level))
            return c->rc;
        rk->metric = metric_or_none(c, e);
        if (c->rc)
            return c->rc;
        if (rk->metric < 0)
            continue; /* a newer minor version's figure: this version cannot name it */
        if ((rk->id = keep(c, id)) == NULL || (rk->advice = keep(c, adv)) == NULL)
            return c->rc = pc_err_set(c->err, PC_ENOMEM, "out of memory");
        r->n_risks++;
    }
    return 0;
}

int pc_report_schema_major(const char *schema)
{
    size_t n = strlen(PC_REPORT_SCHEMA_NAME), digits;
    long major;

    if (strncmp(schema, PC_REPORT_SCHEMA_NAME, n) != 0)
        return -1;
    digits = strspn(schema + n, "0123456789");
    if (digits == 0)
        return -1;
    if (schema[n + digits] != '\0' &&
        (schema[n + digits] != '.' || strspn(schema + n + digits + 1, "0123456789") == 0 ||
         schema[n + digits + 1 + strspn(schema + n + digits + 1, "0123456789")] != '\0'))
        return -1;
    major = digits > 6 ? 1000000 : strtol(schema + n, NULL, 10); /* far newer all the same */
    return (int)major;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar (no timegm in C11). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/*
 * "2024-01-15T14:03:00Z" as nanoseconds since the epoch, 0 when it is not
 * that, or not within 1970 to 2261 (int64 nanoseconds end in April 2262).
 */
static int64_t iso_ns(const char *s)
{
    int y, mo, d, h, mi, sec;
    char z;

    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &z) != 7 || z != 'Z' ||
        mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970 ||
        y > 2261 || h < 0 || mi < 0 || sec < 0)
        return 0;
    return ((days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + sec) * 1000000000;
}

static int root(struct ctx *c, const cJSON *j)
{
    struct pc_report *r = c->l->report;
    const struct pc_command_def *cmd;
    char schema[64], command[32], sig[16];
    double ms;
    int major, interrupted = 0;

    if (!cJSON_IsObject(j))
        return fail(c, "report", "not a JSON object");
    if (text(c, j, "schema", 0, schema, sizeof(schema)))
        return c->rc;
    major = pc_report_schema_major(schema);
    if (major < 0)
        return fail(c, "schema", "not a precall report (\"precall.report/N\")");
    if (major > PC_REPORT_SCHEMA_MAJOR)
        return c->rc = pc_err_set(
                   c->err, PC_EDATA,
                   "the report's schema %s is newer than this precall reads (" PC_REPORT_SCHEMA_NAME
                   "%d): use a newer precall",
                   schema, PC_REPORT_SCHEMA_MAJOR);
    if (text(c, j, "precall_version", 0, c->l->version, sizeof(c->l->version)) ||
        text(c, j, "command", 0, command, sizeof(command)) ||
        text(c, j, "started_at", 0, r->started_at, sizeof(r->started_at)) ||
        text(c, j, "profile", 0, r->profile, sizeof(r->profile)) ||
        text(c, j, "signal", 1, sig, sizeof(sig)) || finite_number(c, j, "duration_ms", &ms) ||
        flag(c, j, "complete", &r->complete) || flag(c, j, "interrupted", &interrupted) ||
        flag(c, j, "deadline_hit", &r->deadline_hit))
        return c->rc;
    if ((cmd = pc_command_find(command)) == NULL)
        return fail(c, "command", "not a command of precall");
    if (!(fabs(ms) <= SERIES_T_MAX_MS))
        return fail(c, "duration_ms", "out of range");
    r->command = cmd->name;
    r->duration_ns = llround(ms * 1e6);
    /* Only a capture's moments are wall-clock times (its packets'); a check counts "N s in". */
    if (strcmp(cmd->name, "analyze") == 0 || strcmp(cmd->name, "capture") == 0)
        r->started_unix_ns = iso_ns(r->started_at);
    if (scopes(c, cJSON_GetObjectItemCaseSensitive(j, "scopes")) ||
        scope_body(c, PC_SCOPE_RUN_ID, j) ||
        verdict(c, cJSON_GetObjectItemCaseSensitive(j, "verdict")) ||
        probes(c, cJSON_GetObjectItemCaseSensitive(j, "probes")) ||
        advice(c, cJSON_GetObjectItemCaseSensitive(j, "advice")) ||
        risks(c, cJSON_GetObjectItemCaseSensitive(j, "risks")))
        return c->rc;
    if (interrupted) {
        double code = 0;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "verdict");

        (void)finite_number(c, v, "exit_code", &code);
        r->interrupted = signal_of(sig, (int)code);
    }
    return c->rc;
}

/* The line and column (from 1) of byte at of text, into err with what was wrong there. */
static int bad_json(const char *text, size_t at, const char *what, struct pc_err *err)
{
    size_t line = 1, col = 1;

    for (size_t i = 0; i < at; i++, col++)
        if (text[i] == '\n') {
            line++;
            col = 0;
        }
    return pc_err_set(err, PC_EDATA, "%s (line %zu, column %zu)", what, line, col);
}

static size_t skip_space(const char *text, size_t at, size_t len)
{
    while (at < len &&
           (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n'))
        at++;
    return at;
}

/* One JSON value from text[from, len), with nothing but space after it. NULL: err says why. */
static cJSON *parse_one(const char *text, size_t from, size_t len, struct pc_err *err)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text + from, len - from, &end, 0);
    size_t at =
        end != NULL && end >= text + from && end <= text + len ? (size_t)(end - text) : from;

    if (j == NULL) {
        bad_json(text, at > from ? at - 1 : at, "not valid JSON", err); /* cJSON points one past */
        return NULL;
    }
    if (skip_space(text, at, len) != len) {
        bad_json(text, skip_space(text, at, len), "text after the report", err);
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/*
 * The report of a JSON file, or of an NDJSON one (--format ndjson: one
 * object a line, the events, then the report on the last line).
 */
static cJSON *parse(const char *text, size_t len, struct pc_err *err)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    size_t at = end != NULL && end >= text && end <= text + len ? (size_t)(end - text) : 0;
    size_t last = len;

    if (j == NULL || skip_space(text, at, len) == len || memchr(text, '\n', at) != NULL ||
        at >= len || (text[at] != '\n' && text[at] != '\r')) {
        cJSON_Delete(j);
        return parse_one(text, 0, len, err); /* one value, or why not */
    }
    cJSON_Delete(j);
    while (last > 0 && (text[last - 1] == '\n' || text[last - 1] == '\r' || text[last - 1] == ' '))
        last--;
    while (last > 0 && text[last - 1] != '\n')
        last--;
    return parse_one(text, last, len, err);
}

int pc_report_load(const char *text, size_t len, struct pc_saved **out, struct pc_err *err)
{
    struct pc_saved *l = calloc(1, sizeof(*l));
    struct ctx c = {l, err, 0};
    cJSON *j;

    *out = NULL;
    if (l == NULL || (l->report = pc_report_new()) == NULL) {
        free(l);
        return pc_err_set(err, PC_ENOMEM, "out of memory");
    }
    j = parse(text, len, err);
    if (j == NULL) {
        pc_saved_free(l);
        return PC_EDATA;
    }
    if (root(&c, j) < 0) {
        cJSON_Delete(j);
        pc_saved_free(l);
        return c.rc;
    }
    cJSON_Delete(j);
    *out = l;
    return 0;
}

#define FILE_MAX_BYTES (256u << 20) /* a report of 256 MB is not one precall wrote */

int pc_report_load_file(const char *path, struct pc_saved **out, struct pc_err *err)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL, q[PC_ERR_QUOTE_BUF];
    size_t len = 0, cap = 0;
    int rc;

    *out = NULL;
    if (f == NULL)
        return pc_err_set(err, PC_ENOENT, "cannot open %s: %s", pc_err_quote(path, q),
                          strerror(errno));
    for (;;) {
        size_t n;

        if (len + 4096 > cap && pc_grow((void **)&data, &cap, len + 4096, 1) < 0) {
            fclose(f);
            free(data);
            return pc_err_set(err, PC_ENOMEM, "%s: out of memory", pc_err_quote(path, q));
        }
        n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0 || len > FILE_MAX_BYTES)
            break;
    }
    if (ferror(f)) {
        int e = errno;

        fclose(f);
        free(data);
        return pc_err_set(err, PC_ENOENT, "cannot read %s: %s", pc_err_quote(path, q), strerror(e));
    }
    fclose(f);
    if (len > FILE_MAX_BYTES) {
        free(data);
        return pc_err_set(err, PC_EDATA, "%s: too large for a report", pc_err_quote(path, q));
    }
    rc = pc_report_load(data, len, out, err);
    free(data);
    if (rc < 0) {
        char prefix[PC_ERR_QUOTE_BUF + 2];

        snprintf(prefix, sizeof(prefix), "%s: ", pc_err_quote(path, q));
        pc_err_prefix(err, prefix);
    }
    return rc;
}

void pc_saved_free(struct pc_saved *l)
{
    if (l == NULL)
        return;
    pc_report_free(l->report);
    for (size_t i = 0; i < l->n_strings; i++)
        free(l->strings[i]);
    free(l->strings);
    free(l);
}
