/* report.c - the report model (see precall/report.h). */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "precall/buf.h"
#include "precall/clock.h"
#include "precall/err.h"
#include "precall/report.h"
#include "precall/utf8.h"

/* Behind r->lock: a recursive mutex, and the holds (the last pc_report_free frees). */
struct guard {
    pthread_mutex_t mu;
    int holds;
};

static pthread_mutex_t *mu(const struct pc_report *r)
{
    return &((struct guard *)r->lock)->mu;
}

const char *pc_status_name(enum pc_status s)
{
    switch (s) {
    case PC_STATUS_OK:
        return "ok";
    case PC_STATUS_FAILED:
        return "failed";
    case PC_STATUS_SKIPPED:
        return "skipped";
    case PC_STATUS_INTERRUPTED:
        return "interrupted";
    default:
        return "pending";
    }
}

static void scope_free(struct pc_scope *s)
{
    if (s == NULL)
        return;
    for (int m = 0; m < PC_M__COUNT; m++)
        free(s->values[m].text);
    for (size_t i = 0; i < s->n_series; i++) {
        free(s->series[i].t_ns);
        free(s->series[i].v);
    }
    free(s->series);
    free(s->checks);
    free(s->limited);
    free(s->id);
    free(s->label);
    free(s);
}

/*
 * Add a scope; the caller holds the lock (or owns the report alone). The
 * scope is allocated once and never moves; only the table of pointers grows.
 */
static int scope_add(struct pc_report *r, enum pc_scope_kind kind, const char *id,
                     const char *label)
{
    struct pc_scope *s;

    if (pc_grow((void **)&r->scopes, &r->cap_scopes, r->n_scopes + 1, sizeof(*r->scopes)) < 0)
        return PC_ENOMEM;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return PC_ENOMEM;
    s->kind = kind;
    s->tier = PC_TIER_UNKNOWN;
    s->id = strdup(id);
    s->label = strdup(label != NULL ? label : id);
    s->checks = calloc(PC_M__COUNT, sizeof(*s->checks));
    s->limited = calloc(PC_M__COUNT, sizeof(*s->limited));
    if (s->id == NULL || s->label == NULL || s->checks == NULL || s->limited == NULL) {
        scope_free(s);
        return PC_ENOMEM;
    }
    pc_utf8_sanitize(s->id);
    pc_utf8_sanitize(s->label);
    for (int m = 0; m < PC_M__COUNT; m++)
        s->checks[m].tier = PC_TIER_UNKNOWN;
    r->scopes[r->n_scopes] = s;
    return (int)r->n_scopes++;
}

struct pc_report *pc_report_new(void)
{
    struct pc_report *r = calloc(1, sizeof(*r));
    struct guard *g;
    pthread_mutexattr_t attr;

    if (r == NULL)
        return NULL;
    g = malloc(sizeof(*g));
    if (g == NULL || scope_add(r, PC_SCOPE_RUN, "run", "the whole check") != PC_SCOPE_RUN_ID) {
        free(g);
        free(r->scopes);
        free(r);
        return NULL;
    }
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&g->mu, &attr);
    pthread_mutexattr_destroy(&attr);
    g->holds = 1;
    r->lock = g;
    r->command = "check";
    r->complete = 1;
    r->require = PC_TIER_SD;
    r->tier = PC_TIER_NONE;
    r->started_ns = pc_clock_now_ns();
    return r;
}

void pc_report_free(struct pc_report *r)
{
    struct guard *g;
    int last;

    if (r == NULL)
        return;
    g = r->lock;
    pthread_mutex_lock(&g->mu);
    last = --g->holds == 0;
    pthread_mutex_unlock(&g->mu);
    if (!last)
        return;
    for (size_t i = 0; i < r->n_scopes; i++)
        scope_free(r->scopes[i]);
    free(r->scopes);
    pthread_mutex_destroy(&g->mu);
    free(g);
    free(r);
}

void pc_report_hold(struct pc_report *r)
{
    pthread_mutex_lock(mu(r));
    ((struct guard *)r->lock)->holds++;
    pthread_mutex_unlock(mu(r));
}

void pc_report_lock(struct pc_report *r)
{
    pthread_mutex_lock(mu(r));
}

void pc_report_unlock(struct pc_report *r)
{
    pthread_mutex_unlock(mu(r));
}

void pc_report_seal(struct pc_report *r)
{
    pthread_mutex_lock(mu(r));
    r->sealed = 1;
    pthread_mutex_unlock(mu(r));
}

int pc_report_sealed(const struct pc_report *r)
{
    int sealed;

    pthread_mutex_lock(mu(r));
    sealed = r->sealed;
    pthread_mutex_unlock(mu(r));
    return sealed;
}

struct pc_probe_result *pc_report_probe(struct pc_report *r, const char *name)
{
    struct pc_probe_result *p = NULL;

    pc_report_lock(r);
    for (size_t i = 0; i < r->n_probes; i++)
        if (strcmp(r->probes[i].name, name) == 0)
            p = &r->probes[i];
    if (p == NULL && r->n_probes < PC_PROBES_MAX) {
        p = &r->probes[r->n_probes++];
        p->name = name;
    }
    pc_report_unlock(r);
    return p;
}

const struct pc_probe_result *pc_report_probe_find(const struct pc_report *r, const char *name)
{
    const struct pc_probe_result *p = NULL;

    pthread_mutex_lock(mu(r));
    for (size_t i = 0; i < r->n_probes && p == NULL; i++)
        if (strcmp(r->probes[i].name, name) == 0)
            p = &r->probes[i];
    pthread_mutex_unlock(mu(r));
    return p;
}

/* The caller holds the lock. */
static int scope_find(const struct pc_report *r, enum pc_scope_kind kind, const char *id)
{
    for (size_t i = 0; i < r->n_scopes; i++)
        if (r->scopes[i]->kind == kind && strcmp(r->scopes[i]->id, id) == 0)
            return (int)i;
    return -1;
}

int pc_report_scope(struct pc_report *r, enum pc_scope_kind kind, const char *id, const char *label)
{
    int i;

    if (kind == PC_SCOPE_RUN)
        return PC_SCOPE_RUN_ID;
    pc_report_lock(r);
    i = scope_find(r, kind, id);
    if (i < 0)
        i = r->sealed ? PC_ETIMEDOUT : scope_add(r, kind, id, label);
    pc_report_unlock(r);
    return i;
}

void pc_report_scope_compare(struct pc_report *r, size_t scope)
{
    pc_report_lock(r);
    if (!r->sealed && scope < r->n_scopes && scope != PC_SCOPE_RUN_ID)
        r->scopes[scope]->for_comparison = 1;
    pc_report_unlock(r);
}

int pc_report_scope_find(const struct pc_report *r, enum pc_scope_kind kind, const char *id)
{
    int i;

    pthread_mutex_lock(mu(r));
    i = scope_find(r, kind, id);
    pthread_mutex_unlock(mu(r));
    return i;
}

/*
 * The value slot of (scope, m) for writing, or NULL; the caller holds the
 * lock. The seal holds off the probes (after_run 0), not the steps that
 * derive figures after the run (after_run 1).
 */
static struct pc_value *slot(struct pc_report *r, size_t scope, enum pc_metric m, int after_run)
{
    const struct pc_metric_def *d = pc_metric_def(m);

    if ((r->sealed && !after_run) || d == NULL || scope >= r->n_scopes ||
        d->level == PC_LEVEL_SERIES || !(d->scopes & PC_SCOPE_BIT(r->scopes[scope]->kind)))
        return NULL;
    return &r->scopes[scope]->values[m];
}

static void set_num(struct pc_report *r, size_t scope, enum pc_metric m, double v, int after_run)
{
    struct pc_value *val;

    if (isnan(v))
        return;
    pc_report_lock(r);
    val = slot(r, scope, m, after_run);
    if (val != NULL) {
        val->set = 1;
        val->num = v;
    }
    pc_report_unlock(r);
}

static void set_text(struct pc_report *r, size_t scope, enum pc_metric m, const char *s,
                     int after_run)
{
    struct pc_value *val;
    char *copy;

    if (s == NULL || (copy = strdup(s)) == NULL)
        return;
    pc_report_lock(r);
    val = slot(r, scope, m, after_run);
    pc_utf8_sanitize(copy);
    if (val != NULL) {
        free(val->text);
        val->text = copy;
        val->set = 1;
        copy = NULL;
    }
    pc_report_unlock(r);
    free(copy);
}

void pc_report_set_num(struct pc_report *r, size_t scope, enum pc_metric m, double v)
{
    set_num(r, scope, m, v, 0);
}

void pc_report_set_text(struct pc_report *r, size_t scope, enum pc_metric m, const char *s)
{
    set_text(r, scope, m, s, 0);
}

void pc_report_derive_num(struct pc_report *r, size_t scope, enum pc_metric m, double v)
{
    set_num(r, scope, m, v, 1);
}

void pc_report_derive_text(struct pc_report *r, size_t scope, enum pc_metric m, const char *s)
{
    set_text(r, scope, m, s, 1);
}

const struct pc_value *pc_report_get(const struct pc_report *r, size_t scope, enum pc_metric m)
{
    static const struct pc_value unset;
    const struct pc_value *v = &unset;

    pthread_mutex_lock(mu(r));
    if (scope < r->n_scopes && (int)m >= 0 && m < PC_M__COUNT)
        v = &r->scopes[scope]->values[m];
    pthread_mutex_unlock(mu(r));
    return v;
}

int pc_report_get_copy(const struct pc_report *r, size_t scope, enum pc_metric m, double *num,
                       char *text, size_t text_cap)
{
    const struct pc_value *v = NULL;
    int set = 0;

    pthread_mutex_lock(mu(r));
    if (scope < r->n_scopes && (int)m >= 0 && m < PC_M__COUNT)
        v = &r->scopes[scope]->values[m];
    set = v != NULL && v->set;
    if (num != NULL)
        *num = set ? v->num : NAN;
    if (text != NULL && text_cap > 0)
        pc_strfmt(text, text_cap, "%s", set && v->text != NULL ? v->text : "");
    pthread_mutex_unlock(mu(r));
    return set;
}

void pc_report_mark_online(struct pc_report *r, int reached)
{
    struct pc_value *v;

    pc_report_lock(r);
    v = slot(r, PC_SCOPE_RUN_ID, PC_M_ONLINE, 0);
    if (v != NULL && (reached || !v->set)) {
        v->set = 1;
        v->num = reached ? 1 : 0;
    }
    pc_report_unlock(r);
}

static struct pc_series *series_slot(struct pc_scope *s, enum pc_metric m)
{
    struct pc_series *n;

    for (size_t i = 0; i < s->n_series; i++)
        if (s->series[i].metric == m)
            return &s->series[i];
    n = realloc(s->series, (s->n_series + 1) * sizeof(*n));
    if (n == NULL)
        return NULL;
    s->series = n;
    n = &s->series[s->n_series++];
    memset(n, 0, sizeof(*n));
    n->metric = m;
    return n;
}

int pc_report_series_add(struct pc_report *r, size_t scope, enum pc_metric m, int64_t t_ns,
                         double v)
{
    const struct pc_metric_def *d = pc_metric_def(m);
    struct pc_series *s;
    int rc = PC_EINVAL;

    pc_report_lock(r);
    if (r->sealed || d == NULL || scope >= r->n_scopes ||
        !(d->scopes & PC_SCOPE_BIT(r->scopes[scope]->kind)))
        goto out;
    rc = PC_ENOMEM;
    s = series_slot(r->scopes[scope], m);
    if (s == NULL)
        goto out;
    if (s->n == s->cap) { /* two arrays of one length: cap is the smaller room */
        size_t ct = s->cap, cv = s->cap;

        if (pc_grow((void **)&s->t_ns, &ct, s->n + 1, sizeof(*s->t_ns)) < 0 ||
            pc_grow((void **)&s->v, &cv, s->n + 1, sizeof(*s->v)) < 0)
            goto out;
        s->cap = ct < cv ? ct : cv;
    }
    /* kept at the precision every format writes (see the header) */
    s->t_ns[s->n] = llround((double)(t_ns - r->started_ns) / 1e3) * 1000;
    s->v[s->n++] = round(v * 1e3) / 1e3;
    rc = 0;
out:
    pc_report_unlock(r);
    return rc;
}

const struct pc_series *pc_report_series(const struct pc_report *r, size_t scope, enum pc_metric m)
{
    const struct pc_series *found = NULL;

    pthread_mutex_lock(mu(r));
    for (size_t i = 0; scope < r->n_scopes && i < r->scopes[scope]->n_series; i++)
        if (r->scopes[scope]->series[i].metric == m)
            found = &r->scopes[scope]->series[i];
    pthread_mutex_unlock(mu(r));
    return found;
}

void pc_report_add_target(struct pc_report *r, struct pc_probe_result *p, const struct pc_target *t)
{
    pc_report_lock(r);
    if (!r->sealed && p->n_targets < PC_TARGETS_MAX) {
        struct pc_target *c = &p->targets[p->n_targets++];

        *c = *t;
        pc_utf8_sanitize(c->host);
        pc_utf8_sanitize(c->detail);
    }
    pc_report_unlock(r);
}

void pc_report_finish(struct pc_report *r, struct pc_probe_result *p, enum pc_status st,
                      const char *cause, const char *fmt, ...)
{
    va_list ap;

    pc_report_lock(r);
    if (!r->sealed) {
        p->status = st;
        snprintf(p->cause, sizeof(p->cause), "%s", cause != NULL ? cause : "");
        va_start(ap, fmt);
        vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
        va_end(ap);
        pc_utf8_sanitize(p->reason);
        pc_utf8_sanitize(p->cause);
    }
    pc_report_unlock(r);
}

void pc_report_subject(struct pc_report *r, struct pc_probe_result *p, const char *subject)
{
    pc_report_lock(r);
    if (!r->sealed)
        snprintf(p->subject, sizeof(p->subject), "%s", subject);
    pc_utf8_sanitize(p->subject);
    pc_report_unlock(r);
}

int pc_report_ready(const struct pc_report *r)
{
    return !r->interrupted && r->tier >= r->require;
}

int pc_report_exit_code(const struct pc_report *r)
{
    if (r->interrupted)
        return 128 + r->interrupted;
    if (r->no_verdict)
        return 3;
    if (r->tier >= r->require)
        return 0;
    if (r->tier >= PC_TIER_AUDIO || (r->partial && r->reached >= PC_TIER_AUDIO))
        return 1;
    return 2;
}

const char *pc_report_status(const struct pc_report *r)
{
    static const char *const names[] = {"ready", "degraded", "not-ready", "no-verdict"};
    int code = pc_report_exit_code(r);

    return code >= 0 && code <= 3 ? names[code] : "interrupted";
}

void pc_report_moment(const struct pc_report *r, int64_t t_ns, char *buf, size_t cap)
{
    time_t sec = (time_t)((r->started_unix_ns + t_ns) / 1000000000);
    struct tm tm;

    if (r->started_unix_ns != 0 && gmtime_r(&sec, &tm) != NULL &&
        strftime(buf, cap, "%H:%M:%S UTC", &tm) > 0)
        return;
    snprintf(buf, cap, "%.0f s in", (double)t_ns / 1e9);
}
