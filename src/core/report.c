/* report.c - the report model (see precall/report.h). */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/clock.h"
#include "precall/err.h"
#include "precall/report.h"
#include "precall/utf8.h"

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
}

/* Add a scope; the caller holds the lock (or owns the report alone). */
static int scope_add(struct pc_report *r, enum pc_scope_kind kind, const char *id,
                     const char *label)
{
    struct pc_scope *s;

    if (r->n_scopes == r->cap_scopes) {
        size_t cap = r->cap_scopes ? r->cap_scopes * 2 : 8;
        struct pc_scope *n = realloc(r->scopes, cap * sizeof(*n));

        if (n == NULL)
            return PC_ENOMEM;
        r->scopes = n;
        r->cap_scopes = cap;
    }
    s = &r->scopes[r->n_scopes];
    memset(s, 0, sizeof(*s));
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
    return (int)r->n_scopes++;
}

struct pc_report *pc_report_new(void)
{
    struct pc_report *r = calloc(1, sizeof(*r));
    pthread_mutex_t *m;

    if (r == NULL)
        return NULL;
    m = malloc(sizeof(*m));
    if (m == NULL || scope_add(r, PC_SCOPE_RUN, "run", "the whole check") != PC_SCOPE_RUN_ID) {
        free(m);
        free(r->scopes);
        free(r);
        return NULL;
    }
    pthread_mutex_init(m, NULL);
    r->lock = m;
    r->command = "check";
    r->complete = 1;
    r->require = PC_TIER_SD;
    r->tier = PC_TIER_NONE;
    r->started_ns = pc_clock_now_ns();
    return r;
}

void pc_report_free(struct pc_report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_scopes; i++)
        scope_free(&r->scopes[i]);
    free(r->scopes);
    pthread_mutex_destroy(r->lock);
    free(r->lock);
    free(r);
}

void pc_report_lock(struct pc_report *r)
{
    pthread_mutex_lock(r->lock);
}

void pc_report_unlock(struct pc_report *r)
{
    pthread_mutex_unlock(r->lock);
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
    for (size_t i = 0; i < r->n_probes; i++)
        if (strcmp(r->probes[i].name, name) == 0)
            return &r->probes[i];
    return NULL;
}

static int scope_find(const struct pc_report *r, enum pc_scope_kind kind, const char *id)
{
    for (size_t i = 0; i < r->n_scopes; i++)
        if (r->scopes[i].kind == kind && strcmp(r->scopes[i].id, id) == 0)
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
        i = scope_add(r, kind, id, label);
    pc_report_unlock(r);
    return i;
}

void pc_report_scope_compare(struct pc_report *r, size_t scope)
{
    pc_report_lock(r);
    if (!r->sealed && scope < r->n_scopes && scope != PC_SCOPE_RUN_ID)
        r->scopes[scope].for_comparison = 1;
    pc_report_unlock(r);
}

int pc_report_scope_find(const struct pc_report *r, enum pc_scope_kind kind, const char *id)
{
    return scope_find(r, kind, id);
}

/* The value slot of (scope, m) for writing, or NULL; the caller holds the lock. */
static struct pc_value *slot(struct pc_report *r, size_t scope, enum pc_metric m)
{
    const struct pc_metric_def *d = pc_metric_def(m);

    if (r->sealed || d == NULL || scope >= r->n_scopes || d->level == PC_LEVEL_SERIES ||
        !(d->scopes & PC_SCOPE_BIT(r->scopes[scope].kind)))
        return NULL;
    return &r->scopes[scope].values[m];
}

void pc_report_set_num(struct pc_report *r, size_t scope, enum pc_metric m, double v)
{
    struct pc_value *val;

    if (isnan(v))
        return;
    pc_report_lock(r);
    val = slot(r, scope, m);
    if (val != NULL) {
        val->set = 1;
        val->num = v;
    }
    pc_report_unlock(r);
}

void pc_report_set_text(struct pc_report *r, size_t scope, enum pc_metric m, const char *s)
{
    struct pc_value *val;
    char *copy;

    if (s == NULL || (copy = strdup(s)) == NULL)
        return;
    pc_report_lock(r);
    val = slot(r, scope, m);
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

const struct pc_value *pc_report_get(const struct pc_report *r, size_t scope, enum pc_metric m)
{
    static const struct pc_value unset;

    if (scope >= r->n_scopes || (int)m < 0 || m >= PC_M__COUNT)
        return &unset;
    return &r->scopes[scope].values[m];
}

void pc_report_mark_online(struct pc_report *r, int reached)
{
    struct pc_value *v;

    pc_report_lock(r);
    v = slot(r, PC_SCOPE_RUN_ID, PC_M_ONLINE);
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
        !(d->scopes & PC_SCOPE_BIT(r->scopes[scope].kind)))
        goto out;
    rc = PC_ENOMEM;
    s = series_slot(&r->scopes[scope], m);
    if (s == NULL)
        goto out;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        int64_t *t = realloc(s->t_ns, cap * sizeof(*t));
        double *nv;

        if (t == NULL)
            goto out;
        s->t_ns = t;
        nv = realloc(s->v, cap * sizeof(*nv));
        if (nv == NULL)
            goto out;
        s->v = nv;
        s->cap = cap;
    }
    s->t_ns[s->n] = t_ns - r->started_ns;
    s->v[s->n++] = v;
    rc = 0;
out:
    pc_report_unlock(r);
    return rc;
}

const struct pc_series *pc_report_series(const struct pc_report *r, size_t scope, enum pc_metric m)
{
    if (scope >= r->n_scopes)
        return NULL;
    for (size_t i = 0; i < r->scopes[scope].n_series; i++)
        if (r->scopes[scope].series[i].metric == m)
            return &r->scopes[scope].series[i];
    return NULL;
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
    if (r->tier >= r->require)
        return 0;
    if (r->tier >= PC_TIER_AUDIO)
        return 1;
    return 2;
}
