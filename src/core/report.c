/* report.c - the report model (see precall/report.h). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/err.h"
#include "precall/report.h"

const char *pc_status_name(enum pc_status s)
{
    switch (s) {
    case PC_STATUS_OK:
        return "ok";
    case PC_STATUS_FAILED:
        return "failed";
    case PC_STATUS_SKIPPED:
        return "skipped";
    default:
        return "pending";
    }
}

struct pc_report *pc_report_new(void)
{
    struct pc_report *r = calloc(1, sizeof(*r));
    pthread_mutex_t *m;

    if (r == NULL)
        return NULL;
    m = malloc(sizeof(*m));
    if (m == NULL) {
        free(r);
        return NULL;
    }
    pthread_mutex_init(m, NULL);
    r->lock = m;
    r->complete = 1;
    r->require = PC_TIER_SD;
    r->tier = PC_TIER_NONE;
    for (int i = 0; i < PC_M__COUNT; i++)
        r->checks[i].tier = PC_TIER_UNKNOWN;
    return r;
}

void pc_report_free(struct pc_report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_probes; i++)
        free(r->probes[i].samples);
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

void pc_report_set_num(struct pc_report *r, enum pc_metric m, double v)
{
    if ((int)m < 0 || m >= PC_M__COUNT || isnan(v))
        return;
    pc_report_lock(r);
    r->values[m].set = 1;
    r->values[m].num = v;
    pc_report_unlock(r);
}

void pc_report_set_text(struct pc_report *r, enum pc_metric m, const char *s)
{
    if ((int)m < 0 || m >= PC_M__COUNT || s == NULL)
        return;
    pc_report_lock(r);
    r->values[m].set = 1;
    snprintf(r->values[m].text, sizeof(r->values[m].text), "%s", s);
    pc_report_unlock(r);
}

void pc_report_mark_online(struct pc_report *r, int reached)
{
    pc_report_lock(r);
    if (reached || !r->values[PC_M_ONLINE].set) {
        r->values[PC_M_ONLINE].set = 1;
        r->values[PC_M_ONLINE].num = reached ? 1 : 0;
    }
    pc_report_unlock(r);
}

int pc_report_set_samples(struct pc_probe_result *p, const char *label, const double *v, size_t n)
{
    double *copy = NULL;

    if (n > 0) {
        copy = malloc(n * sizeof(*copy));
        if (copy == NULL)
            return PC_ENOMEM;
        memcpy(copy, v, n * sizeof(*copy));
    }
    free(p->samples);
    p->samples = copy;
    p->n_samples = n;
    snprintf(p->samples_label, sizeof(p->samples_label), "%s", label);
    return 0;
}

void pc_report_add_target(struct pc_report *r, struct pc_probe_result *p, const struct pc_target *t)
{
    pc_report_lock(r);
    if (p->n_targets < PC_TARGETS_MAX)
        p->targets[p->n_targets++] = *t;
    pc_report_unlock(r);
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
