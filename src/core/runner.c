/* runner.c - phases, threads, deadline and cancellation (see precall/runner.h). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/clock.h"
#include "precall/runner.h"

struct runner {
    pthread_mutex_t events_lock;
    const struct pc_events *events;
};

struct job {
    const struct pc_probe *probe;
    struct pc_probe_ctx ctx;
    pthread_t thread;
    int started;
};

static int parse_list(const char *list, unsigned *mask, struct pc_err *err)
{
    char buf[256];
    char *save = NULL;

    *mask = 0;
    if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
        return pc_err_set(err, PC_EINVAL, "probe list too long");
    for (char *tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        int found = 0;
        const struct pc_probe *p;

        for (size_t i = 0; (p = pc_probe_get(i)) != NULL; i++) {
            if (strcmp(p->name, tok) == 0) {
                *mask |= 1u << i;
                found = 1;
            }
        }
        if (!found)
            return pc_err_set(err, PC_EINVAL, "unknown probe '%s'", tok);
    }
    if (*mask == 0)
        return pc_err_set(err, PC_EINVAL, "empty probe list");
    return 0;
}

int pc_runner_select(const char *only, const char *skip, unsigned *mask, struct pc_err *err)
{
    unsigned all = 0, sel, drop = 0;
    int rc;

    for (size_t i = 0; pc_probe_get(i) != NULL; i++)
        all |= 1u << i;
    sel = all;
    if (only != NULL && (rc = parse_list(only, &sel, err)) < 0)
        return rc;
    if (skip != NULL && (rc = parse_list(skip, &drop, err)) < 0)
        return rc;
    *mask = sel & ~drop;
    return 0;
}

int pc_probe_should_stop(const struct pc_probe_ctx *ctx)
{
    return (ctx->cancel != NULL && *ctx->cancel) || pc_clock_now_ns() >= ctx->deadline_ns;
}

void pc_probe_figure(struct pc_probe_ctx *ctx, enum pc_metric m, double value)
{
    struct runner *rn = ctx->runner;

    if (ctx->events == NULL || ctx->events->figure == NULL)
        return;
    pthread_mutex_lock(&rn->events_lock);
    ctx->events->figure(ctx->events->user, ctx->result->name, m, value);
    pthread_mutex_unlock(&rn->events_lock);
}

void pc_probe_finish(struct pc_probe_ctx *ctx, enum pc_status st, const char *fmt, ...)
{
    va_list ap;

    pc_report_lock(ctx->report);
    ctx->result->status = st;
    va_start(ap, fmt);
    vsnprintf(ctx->result->reason, sizeof(ctx->result->reason), fmt, ap);
    va_end(ap);
    pc_report_unlock(ctx->report);
}

static void emit_start(struct runner *rn, const char *probe)
{
    if (rn->events == NULL || rn->events->probe_start == NULL)
        return;
    pthread_mutex_lock(&rn->events_lock);
    rn->events->probe_start(rn->events->user, probe);
    pthread_mutex_unlock(&rn->events_lock);
}

static void emit_done(struct runner *rn, const struct pc_probe_result *res)
{
    if (rn->events == NULL || rn->events->probe_done == NULL)
        return;
    pthread_mutex_lock(&rn->events_lock);
    rn->events->probe_done(rn->events->user, res);
    pthread_mutex_unlock(&rn->events_lock);
}

static void *job_main(void *arg)
{
    struct job *j = arg;
    struct pc_probe_ctx *ctx = &j->ctx;
    int64_t t0 = pc_clock_now_ns();
    int rc;

    emit_start(ctx->runner, j->probe->name);
    rc = j->probe->run(ctx);
    if (rc < 0 && ctx->result->status == PC_STATUS_PENDING)
        pc_probe_finish(ctx, PC_STATUS_FAILED, "internal error in the %s probe", j->probe->name);
    else if (ctx->result->status == PC_STATUS_PENDING && pc_probe_should_stop(ctx))
        pc_probe_finish(ctx, PC_STATUS_FAILED, "stopped before it finished");
    ctx->result->duration_ns = pc_clock_now_ns() - t0;
    emit_done(ctx->runner, ctx->result);
    return NULL;
}

static void run_phase(struct job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        jobs[i].started = pthread_create(&jobs[i].thread, NULL, job_main, &jobs[i]) == 0;
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].started)
            pthread_join(jobs[i].thread, NULL);
        else
            pc_probe_finish(&jobs[i].ctx, PC_STATUS_FAILED, "could not start a thread");
    }
}

void pc_runner_run(const struct pc_config *cfg, unsigned mask, struct pc_report *r,
                   const struct pc_events *events, atomic_int *cancel)
{
    struct runner rn = {.events = events};
    struct job jobs[PC_PROBES_MAX];
    const struct pc_probe *p;
    int64_t t0 = pc_clock_now_ns();
    int64_t deadline = t0 + cfg->timeout_ns;
    int last_phase = -1;
    size_t n = 0;

    pthread_mutex_init(&rn.events_lock, NULL);
    pc_clock_utc_iso(r->started_at, sizeof(r->started_at));
    /* Every probe gets its result slot up front, so the report lists all of them. */
    for (size_t i = 0; (p = pc_probe_get(i)) != NULL; i++) {
        struct pc_probe_result *res = pc_report_probe(r, p->name);

        if (res != NULL && !(mask & (1u << i)))
            pc_probe_finish(&(struct pc_probe_ctx){.report = r, .result = res}, PC_STATUS_SKIPPED,
                            "not selected (--only/--skip)");
    }
    for (size_t i = 0;; i++) {
        p = pc_probe_get(i);
        if (p != NULL && !(mask & (1u << i)))
            continue;
        if (n > 0 && (p == NULL || p->phase != last_phase)) {
            int64_t now = pc_clock_now_ns();

            if ((cancel != NULL && *cancel) || now >= deadline)
                break;
            for (size_t k = 0; k < n; k++)
                jobs[k].ctx.start_ns = now;
            run_phase(jobs, n);
            n = 0;
        }
        if (p == NULL)
            break;
        last_phase = p->phase;
        jobs[n] = (struct job){
            .probe = p,
            .ctx = {.cfg = cfg,
                    .report = r,
                    .result = pc_report_probe(r, p->name),
                    .window_ns = (int64_t)(p->budget_share * (double)cfg->budget_ns),
                    .deadline_ns = deadline,
                    .cancel = cancel,
                    .events = events,
                    .runner = &rn},
        };
        if (jobs[n].ctx.result != NULL)
            n++;
    }
    r->duration_ns = pc_clock_now_ns() - t0;
    r->interrupted = cancel != NULL ? atomic_load(cancel) : 0; /* the signal's number */
    r->deadline_hit = pc_clock_now_ns() >= deadline;
    for (size_t i = 0; i < r->n_probes; i++) {
        if (r->probes[i].status == PC_STATUS_PENDING) {
            snprintf(r->probes[i].reason, sizeof(r->probes[i].reason), "not run: %s",
                     r->interrupted ? "interrupted" : "the time limit was reached");
            r->complete = 0;
        }
        if (r->probes[i].cut_short && !r->interrupted)
            r->deadline_hit = 1;
    }
    if (r->interrupted || r->deadline_hit)
        r->complete = 0;
    pthread_mutex_destroy(&rn.events_lock);
}
