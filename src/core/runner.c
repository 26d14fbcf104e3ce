/* runner.c - phases, threads, budget, deadline and cancellation (see precall/runner.h). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "precall/clock.h"
#include "precall/runner.h"

#define SHARED_MAX     16
#define WAIT_SLICE_NS  (10 * PC_NS_PER_MS)
#define PROBE_LIST_MAX 32

struct shared {
    char key[32];
    void *v;
    size_t len;
};

/* State of one run; on the heap, since a probe that does not stop outlives the call. */
struct runner {
    pthread_mutex_t lock; /* events, shared values, job completion */
    pthread_cond_t cv;
    const struct pc_events *events;
    struct pc_report *report;
    struct shared shared[SHARED_MAX];
    size_t n_shared;
    struct job *jobs;
    struct job *bg; /* overlapping probes: they hold up no phase */
    int running;    /* jobs started and not yet done */
    int abandoned;  /* the run ended without them: the last one frees all */
};

struct job {
    const struct pc_probe *probe;
    struct pc_probe_ctx ctx;
    pthread_t thread;
    int started, done;
};

static int parse_list(const struct pc_probe *const *probes, size_t n, const char *list,
                      unsigned *mask, struct pc_err *err)
{
    char buf[256];
    char *save = NULL;

    *mask = 0;
    if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
        return pc_err_set(err, PC_EINVAL, "probe list too long");
    for (char *tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        int found = 0;

        for (size_t i = 0; i < n && i < PROBE_LIST_MAX; i++) {
            if (strcmp(probes[i]->name, tok) == 0) {
                *mask |= 1u << i;
                found = 1;
            }
        }
        if (!found)
            return pc_err_set(err, PC_EINVAL, "unknown probe '%.40s'", tok);
    }
    if (*mask == 0)
        return pc_err_set(err, PC_EINVAL, "empty probe list");
    return 0;
}

int pc_runner_select(const struct pc_probe *const *probes, size_t n, const char *only,
                     const char *skip, unsigned *mask, struct pc_err *err)
{
    unsigned all = 0, sel, drop = 0;
    int rc;

    for (size_t i = 0; i < n && i < PROBE_LIST_MAX; i++)
        all |= 1u << i;
    sel = all;
    if (only != NULL && (rc = parse_list(probes, n, only, &sel, err)) < 0)
        return rc;
    if (skip != NULL && (rc = parse_list(probes, n, skip, &drop, err)) < 0)
        return rc;
    *mask = sel & ~drop;
    return 0;
}

/* The sink is the caller's: once the run has returned, no event goes there. */
static void emit(struct runner *rn, struct pc_event *ev)
{
    ev->t_ns = pc_clock_now_ns() - rn->report->started_ns;
    pthread_mutex_lock(&rn->lock);
    if (!rn->abandoned && rn->events != NULL && rn->events->emit != NULL)
        rn->events->emit(rn->events->user, ev);
    pthread_mutex_unlock(&rn->lock);
}

int pc_probe_interrupted(const struct pc_probe_ctx *ctx)
{
    return ctx->cancel != NULL && atomic_load(ctx->cancel) != 0;
}

int pc_probe_should_stop(const struct pc_probe_ctx *ctx)
{
    return pc_probe_interrupted(ctx) || pc_clock_now_ns() >= ctx->deadline_ns;
}

const char *pc_probe_name_cause(const struct pc_config *cfg)
{
    return cfg->stun_defaults ? "name-filtered" : "name-not-found";
}

int64_t pc_probe_window_end(const struct pc_probe_ctx *ctx)
{
    int64_t end = ctx->start_ns + ctx->window_ns;

    return end < ctx->deadline_ns ? end : ctx->deadline_ns;
}

void pc_probe_phase(struct pc_probe_ctx *ctx, const char *phase)
{
    struct pc_event ev = {.kind = PC_EVENT_PHASE, .probe = ctx->result->name, .phase = phase};

    emit(ctx->runner, &ev);
}

void pc_probe_figure(struct pc_probe_ctx *ctx, size_t scope, enum pc_metric m, double value)
{
    struct pc_event ev = {
        .kind = PC_EVENT_FIGURE, .probe = ctx->result->name, .metric = m, .value = value};
    struct pc_report *r = ctx->report;

    pc_report_lock(r);
    if (scope >= r->n_scopes)
        scope = PC_SCOPE_RUN_ID;
    ev.scope_kind = r->scopes[scope].kind;
    ev.scope_id = r->scopes[scope].id; /* the string itself never moves */
    pc_report_unlock(r);
    emit(ctx->runner, &ev);
}

void pc_probe_finish(struct pc_probe_ctx *ctx, enum pc_status st, const char *cause,
                     const char *fmt, ...)
{
    char reason[sizeof(ctx->result->reason)];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    pc_report_finish(ctx->report, ctx->result, st, cause, "%s", reason);
}

int pc_probe_share(struct pc_probe_ctx *ctx, const char *key, const void *v, size_t len)
{
    struct runner *rn = ctx->runner;
    struct shared *s = NULL;
    void *copy = malloc(len ? len : 1);
    int rc = 0;

    if (copy == NULL)
        return PC_ENOMEM;
    memcpy(copy, v, len);
    pthread_mutex_lock(&rn->lock);
    for (size_t i = 0; i < rn->n_shared; i++)
        if (strcmp(rn->shared[i].key, key) == 0)
            s = &rn->shared[i];
    if (s == NULL && rn->n_shared < SHARED_MAX) {
        s = &rn->shared[rn->n_shared++];
        snprintf(s->key, sizeof(s->key), "%s", key);
        s->v = NULL;
    }
    if (s != NULL) {
        free(s->v);
        s->v = copy;
        s->len = len;
        copy = NULL;
    } else {
        rc = PC_ENOMEM;
    }
    pthread_mutex_unlock(&rn->lock);
    free(copy);
    return rc;
}

int pc_probe_shared(struct pc_probe_ctx *ctx, const char *key, void *out, size_t len)
{
    struct runner *rn = ctx->runner;
    int found = 0;

    pthread_mutex_lock(&rn->lock);
    for (size_t i = 0; i < rn->n_shared; i++) {
        if (strcmp(rn->shared[i].key, key) == 0 && rn->shared[i].len == len) {
            memcpy(out, rn->shared[i].v, len);
            found = 1;
        }
    }
    pthread_mutex_unlock(&rn->lock);
    return found;
}

static void runner_free(struct runner *rn)
{
    for (size_t i = 0; i < rn->n_shared; i++)
        free(rn->shared[i].v);
    pthread_cond_destroy(&rn->cv);
    pthread_mutex_destroy(&rn->lock);
    free(rn->jobs);
    free(rn->bg);
    free(rn);
}

static void *job_main(void *arg)
{
    struct job *j = arg;
    struct pc_probe_ctx *ctx = &j->ctx;
    struct runner *rn = ctx->runner;
    struct pc_event ev = {.kind = PC_EVENT_PROBE_START, .probe = j->probe->name};
    int64_t t0 = pc_clock_now_ns();
    int rc, last;

    emit(rn, &ev);
    rc = j->probe->run(ctx);
    if (rc < 0 && ctx->result->status == PC_STATUS_PENDING)
        pc_probe_finish(ctx, PC_STATUS_FAILED, "internal", "internal error in the %s probe",
                        j->probe->name);
    else if (ctx->result->status == PC_STATUS_PENDING && pc_probe_interrupted(ctx))
        pc_probe_finish(ctx, PC_STATUS_INTERRUPTED, "interrupted",
                        "interrupted before it measured anything");
    else if (ctx->result->status == PC_STATUS_PENDING)
        pc_probe_finish(ctx, PC_STATUS_FAILED, "time-too-short",
                        "the time limit ended it before it measured anything");
    ctx->result->duration_ns = pc_clock_now_ns() - t0;
    ev = (struct pc_event){
        .kind = PC_EVENT_PROBE_DONE, .probe = j->probe->name, .result = ctx->result};
    emit(rn, &ev);
    pthread_mutex_lock(&rn->lock);
    j->done = 1;
    last = --rn->running == 0 && rn->abandoned;
    pthread_cond_broadcast(&rn->cv);
    pthread_mutex_unlock(&rn->lock);
    if (last)
        runner_free(rn);
    return NULL;
}

/* Wait for the phase's jobs, until the deadline plus grace at most. Returns how many still run. */
static size_t wait_phase(struct runner *rn, struct job *jobs, size_t n, int64_t deadline)
{
    size_t running;

    pthread_mutex_lock(&rn->lock);
    for (;;) {
        struct timespec ts;

        running = 0;
        for (size_t i = 0; i < n; i++)
            running += jobs[i].started && !jobs[i].done;
        if (running == 0 || pc_clock_now_ns() >= deadline + PC_RUNNER_GRACE_NS)
            break;
        /* Real time slices, so a fake clock in tests is re-read often. */
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += WAIT_SLICE_NS;
        if (ts.tv_nsec >= PC_NS_PER_S) {
            ts.tv_sec++;
            ts.tv_nsec -= PC_NS_PER_S;
        }
        pthread_cond_timedwait(&rn->cv, &rn->lock, &ts);
    }
    pthread_mutex_unlock(&rn->lock);
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].started && jobs[i].done)
            pthread_join(jobs[i].thread, NULL);
        else if (jobs[i].started)
            pthread_detach(jobs[i].thread);
    }
    return running;
}

/* Shares of time: per phase, the largest share among its selected probes (they run in parallel). */
static double phase_shares(const struct pc_run *run, int selected_only)
{
    double sum = 0, phase_max = 0;
    int phase = -1;

    for (size_t i = 0; i < run->n_probes; i++) {
        const struct pc_probe *p = run->probes[i];

        if ((selected_only && !(run->mask & (1u << i))) || p->overlap)
            continue; /* an overlapping probe takes no time of its own */
        if (p->phase != phase) {
            sum += phase_max;
            phase_max = 0;
            phase = p->phase;
        }
        if (p->budget_share > phase_max)
            phase_max = p->budget_share;
    }
    return sum + phase_max;
}

static void finish_unrun(struct pc_report *r, const char *why, const char *cause)
{
    for (size_t i = 0; i < r->n_probes; i++) {
        if (r->probes[i].status != PC_STATUS_PENDING)
            continue;
        snprintf(r->probes[i].reason, sizeof(r->probes[i].reason), "not run: %s", why);
        snprintf(r->probes[i].cause, sizeof(r->probes[i].cause), "%s", cause);
        r->complete = 0;
    }
}

/* A probe that did not stop: say so, then seal the report against its late writes. */
static void abandon(struct pc_report *r, struct job *jobs, size_t n)
{
    pc_report_lock(r);
    for (size_t i = 0; i < n; i++) {
        struct pc_probe_result *res = jobs[i].ctx.result;

        if (!jobs[i].started || jobs[i].done)
            continue;
        res->status = PC_STATUS_FAILED;
        res->cut_short = 1;
        snprintf(res->cause, sizeof(res->cause), "did-not-stop");
        snprintf(res->reason, sizeof(res->reason), "did not stop by the deadline");
    }
    r->sealed = 1;
    pc_report_unlock(r);
}

static void start_job(struct runner *rn, struct job *j, int64_t now)
{
    j->ctx.start_ns = now;
    pthread_mutex_lock(&rn->lock);
    j->started = pthread_create(&j->thread, NULL, job_main, j) == 0;
    rn->running += j->started;
    pthread_mutex_unlock(&rn->lock);
    if (!j->started)
        pc_report_finish(rn->report, j->ctx.result, PC_STATUS_FAILED, "internal",
                         "could not start a thread");
}

static struct job make_job(const struct pc_run *run, struct runner *rn, struct pc_report *r,
                           const struct pc_probe *p, double scale, int64_t deadline)
{
    return (struct job){
        .probe = p,
        .ctx = {.cfg = run->cfg,
                .report = r,
                .result = pc_report_probe(r, p->name),
                .window_ns = (int64_t)(p->budget_share * scale * (double)run->cfg->budget_ns),
                .deadline_ns = deadline,
                .cancel = run->cancel,
                .runner = rn},
    };
}

int pc_runner_run(const struct pc_run *run, struct pc_report *r)
{
    const struct pc_config *cfg = run->cfg;
    struct runner *rn = calloc(1, sizeof(*rn));
    struct job *jobs = calloc(run->n_probes ? run->n_probes : 1, sizeof(*jobs));
    struct job *bg = calloc(run->n_probes ? run->n_probes : 1, sizeof(*bg));
    int64_t t0 = pc_clock_now_ns(), deadline = t0 + cfg->timeout_ns;
    /* The selected probes fill the budget: the shares of those left out are handed on. */
    double sel = phase_shares(run, 1), scale = sel > 0 ? 1.0 / sel : 1;
    struct pc_event ev = {.kind = PC_EVENT_RUN_START, .report = r};
    size_t n = 0, stuck = 0, n_bg = 0;
    int last_phase = -1;

    if (rn == NULL || jobs == NULL || bg == NULL) {
        free(rn);
        free(jobs);
        free(bg);
        finish_unrun(r, "out of memory", "internal");
        return 0;
    }
    pthread_mutex_init(&rn->lock, NULL);
    pthread_cond_init(&rn->cv, NULL);
    rn->events = run->events;
    rn->report = r;
    rn->jobs = jobs;
    rn->bg = bg;
    r->started_ns = t0;
    pc_clock_utc_iso(r->started_at, sizeof(r->started_at));
    emit(rn, &ev);
    /* Every probe gets its result slot up front, so the report lists all of them. */
    for (size_t i = 0; i < run->n_probes; i++) {
        struct pc_probe_result *res = pc_report_probe(r, run->probes[i]->name);

        if (res != NULL && !(run->mask & (1u << i)))
            pc_report_finish(r, res, PC_STATUS_SKIPPED, "not-selected",
                             "not selected (--only/--skip)");
    }
    /* Overlapping probes start now and run beside the phases. */
    for (size_t i = 0; i < run->n_probes; i++) {
        if (!(run->mask & (1u << i)) || !run->probes[i]->overlap)
            continue;
        /* Its window is its own share of the budget: it takes no time from the phases. */
        bg[n_bg] = make_job(run, rn, r, run->probes[i], 1.0, deadline);
        if (bg[n_bg].ctx.result != NULL)
            start_job(rn, &bg[n_bg++], t0);
    }
    for (size_t i = 0; i <= run->n_probes && stuck == 0; i++) {
        const struct pc_probe *p = i < run->n_probes ? run->probes[i] : NULL;

        if (p != NULL && (!(run->mask & (1u << i)) || p->overlap))
            continue;
        if (n > 0 && (p == NULL || p->phase != last_phase)) {
            int64_t now = pc_clock_now_ns();

            if (pc_probe_should_stop(&jobs[0].ctx))
                break;
            for (size_t k = 0; k < n; k++)
                start_job(rn, &jobs[k], now);
            stuck = wait_phase(rn, jobs, n, deadline);
            if (stuck > 0)
                break;
            n = 0;
        }
        if (p == NULL)
            break;
        last_phase = p->phase;
        jobs[n] = make_job(run, rn, r, p, scale, deadline);
        if (jobs[n].ctx.result != NULL)
            n++;
    }
    /* The overlapping probes, by the same deadline. */
    if (n_bg > 0 && wait_phase(rn, bg, n_bg, deadline) > 0) {
        abandon(r, bg, n_bg);
        stuck = 1;
    }
    if (stuck > 0)
        abandon(r, jobs, n);
    r->duration_ns = pc_clock_now_ns() - t0;
    r->interrupted = run->cancel != NULL ? atomic_load(run->cancel) : 0;
    r->deadline_hit = pc_clock_now_ns() >= deadline;
    finish_unrun(r, r->interrupted ? "interrupted" : "the time limit was reached",
                 r->interrupted ? "interrupted" : "time-too-short");
    for (size_t i = 0; i < r->n_probes; i++)
        if (r->probes[i].cut_short && !r->interrupted)
            r->deadline_hit = 1;
    if (r->interrupted || r->deadline_hit)
        r->complete = 0;
    ev = (struct pc_event){.kind = PC_EVENT_RUN_DONE, .report = r};
    emit(rn, &ev);
    /* A stuck probe still uses rn and its job: the last of them frees them. */
    pthread_mutex_lock(&rn->lock);
    rn->abandoned = 1;
    stuck = (size_t)rn->running;
    pthread_mutex_unlock(&rn->lock);
    if (stuck == 0)
        runner_free(rn);
    return (int)stuck;
}
