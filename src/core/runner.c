/* runner.c - phases, threads, budget, deadline and cancellation (see precall/runner.h). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "precall/cause.h"
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

/* An event waiting for the sink, with its own copies of strings that may not live so long. */
struct queued {
    struct queued *next;
    struct pc_event ev;
    char *phase, *scope_id; /* owned */
};

/*
 * State of one run; on the heap, since a probe that does not stop outlives
 * the call. The sink is called only by the delivery thread, outside every
 * lock, in the order the events were queued: a sink that blocks (a paused
 * terminal, a full pipe) holds up neither a probe nor the deadline.
 */
struct runner {
    pthread_mutex_t lock; /* shared values, job completion, the event queue */
    pthread_cond_t cv;    /* a job is done */
    pthread_cond_t qcv;   /* an event was queued, or the queue closed */
    const struct pc_events *events;
    struct pc_report *report;
    int64_t started_ns; /* the run's start on the monotonic clock */
    int64_t last_t_ns;  /* of the last event queued: t_ns never goes back */
    struct queued *head, *tail;
    int closed; /* RUN_DONE is queued: nothing more goes to the sink */
    struct shared shared[SHARED_MAX];
    size_t n_shared;
    struct job *jobs;
    struct job *bg;   /* overlapping probes: they hold up no phase */
    int running;      /* jobs started and not yet done */
    int users;        /* the run itself and each job started: the last frees all */
    int holds_report; /* a probe did not stop: the runner holds the report for it */
    unsigned phases;  /* bit p: a selected probe of phase p runs in a phase of its own */
    int phase_now;    /* the phase whose probes run now, -1 between, PC_PHASES_DONE after */
};

/*
 * One probe's run. The probe writes only its own result (ctx.result is
 * &own); when it is done, the runner puts that into its slot in the report,
 * unless the report was sealed first.
 */
struct job {
    const struct pc_probe *probe;
    struct pc_probe_ctx ctx;
    struct pc_probe_result own;
    struct pc_probe_result *slot; /* in the report */
    pthread_t thread;
    int started, done;
    int published; /* own is in the slot (under the report's lock) */
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

/* Why probe p, selected, has nothing to do under cfg (NULL: it has); its cause in *cause. */
static const char *idle_why(const struct pc_probe *p, const struct pc_config *cfg,
                            const char **cause)
{
    *cause = "";
    return p->idle != NULL && cfg != NULL ? p->idle(cfg, cause) : NULL;
}

unsigned pc_runner_active(const struct pc_probe *const *probes, size_t n, unsigned mask,
                          const struct pc_config *cfg)
{
    const char *cause;

    for (size_t i = 0; i < n && i < PROBE_LIST_MAX; i++)
        if ((mask & (1u << i)) && idle_why(probes[i], cfg, &cause) != NULL)
            mask &= ~(1u << i);
    return mask;
}

static void queued_free(struct queued *q)
{
    free(q->phase);
    free(q->scope_id);
    free(q);
}

/*
 * Queue an event for the sink, taking ownership of phase and scope_id (heap
 * copies or NULL). Its time is taken under the lock, so the times rise in
 * the order of delivery. Once the run is over nothing is queued: the sink is
 * the caller's, and may be gone.
 */
static void enqueue(struct runner *rn, const struct pc_event *ev, char *phase, char *scope_id)
{
    struct queued *q = calloc(1, sizeof(*q));
    int64_t t;

    if (q == NULL) {
        free(phase);
        free(scope_id);
        return; /* a progress line lost; the report has everything */
    }
    q->ev = *ev;
    q->phase = phase;
    q->scope_id = scope_id;
    pthread_mutex_lock(&rn->lock);
    if (rn->closed || rn->events == NULL || rn->events->emit == NULL) {
        pthread_mutex_unlock(&rn->lock);
        queued_free(q);
        return;
    }
    t = pc_clock_now_ns() - rn->started_ns;
    if (t < rn->last_t_ns)
        t = rn->last_t_ns; /* a fake clock set back by a test */
    rn->last_t_ns = t;
    q->ev.t_ns = t;
    if (rn->tail != NULL)
        rn->tail->next = q;
    else
        rn->head = q;
    rn->tail = q;
    pthread_cond_signal(&rn->qcv);
    pthread_mutex_unlock(&rn->lock);
}

static void emit(struct runner *rn, const struct pc_event *ev)
{
    enqueue(rn, ev, NULL, NULL);
}

/* The next queued event, or NULL; the caller holds the lock. */
static struct queued *dequeue(struct runner *rn)
{
    struct queued *q = rn->head;

    if (q != NULL) {
        rn->head = q->next;
        if (rn->head == NULL)
            rn->tail = NULL;
    }
    return q;
}

/* Hand one event to the sink, outside every lock. */
static void deliver(struct runner *rn, struct queued *q)
{
    q->ev.phase = q->phase;
    q->ev.scope_id = q->scope_id;
    rn->events->emit(rn->events->user, &q->ev);
    queued_free(q);
}

/* The delivery thread: until the queue is closed and empty. */
static void *deliver_main(void *arg)
{
    struct runner *rn = arg;
    struct queued *q;

    pthread_mutex_lock(&rn->lock);
    for (;;) {
        while (rn->head == NULL && !rn->closed)
            pthread_cond_wait(&rn->qcv, &rn->lock);
        q = dequeue(rn);
        if (q == NULL)
            break;
        pthread_mutex_unlock(&rn->lock);
        deliver(rn, q);
        pthread_mutex_lock(&rn->lock);
    }
    pthread_mutex_unlock(&rn->lock);
    return NULL;
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
    struct pc_event ev = {.kind = PC_EVENT_PHASE, .probe = ctx->result->name};
    char *copy = strdup(phase != NULL ? phase : "");

    if (copy != NULL)
        enqueue(ctx->runner, &ev, copy, NULL);
}

void pc_probe_figure(struct pc_probe_ctx *ctx, size_t scope, enum pc_metric m, double value)
{
    struct pc_event ev = {
        .kind = PC_EVENT_FIGURE, .probe = ctx->result->name, .metric = m, .value = value};
    struct pc_report *r = ctx->report;
    char *id;

    pc_report_lock(r);
    if (scope >= r->n_scopes)
        scope = PC_SCOPE_RUN_ID;
    ev.scope_kind = r->scopes[scope]->kind;
    id = strdup(r->scopes[scope]->id);
    pc_report_unlock(r);
    if (id != NULL)
        enqueue(ctx->runner, &ev, NULL, id);
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

unsigned pc_probe_phases(const struct pc_probe_ctx *ctx, int *now)
{
    struct runner *rn = ctx->runner;
    unsigned planned;

    pthread_mutex_lock(&rn->lock);
    planned = rn->phases;
    *now = rn->phase_now;
    pthread_mutex_unlock(&rn->lock);
    return planned;
}

/* The phase that runs now (see pc_probe_phases). */
static void set_phase(struct runner *rn, int phase)
{
    pthread_mutex_lock(&rn->lock);
    rn->phase_now = phase;
    pthread_mutex_unlock(&rn->lock);
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
    struct queued *q;

    while ((q = dequeue(rn)) != NULL)
        queued_free(q);
    for (size_t i = 0; i < rn->n_shared; i++)
        free(rn->shared[i].v);
    if (rn->holds_report)
        pc_report_free(rn->report);
    pthread_cond_destroy(&rn->qcv);
    pthread_cond_destroy(&rn->cv);
    pthread_mutex_destroy(&rn->lock);
    free(rn->jobs);
    free(rn->bg);
    free(rn);
}

/* One user of rn is done with it; the last one frees it. */
static void runner_leave(struct runner *rn)
{
    int last;

    pthread_mutex_lock(&rn->lock);
    last = --rn->users == 0;
    pthread_mutex_unlock(&rn->lock);
    if (last)
        runner_free(rn);
}

static void *job_main(void *arg)
{
    struct job *j = arg;
    struct pc_probe_ctx *ctx = &j->ctx;
    struct runner *rn = ctx->runner;
    struct pc_report *r = ctx->report;
    struct pc_event ev = {.kind = PC_EVENT_PROBE_START, .probe = j->probe->name};
    int64_t t0 = pc_clock_now_ns();
    int rc;

    emit(rn, &ev);
    rc = j->probe->run(ctx);
    if (rc < 0 && ctx->result->status == PC_STATUS_PENDING)
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL),
                        "internal error in the %s probe", j->probe->name);
    else if (ctx->result->status == PC_STATUS_PENDING && pc_probe_interrupted(ctx))
        pc_probe_finish(ctx, PC_STATUS_INTERRUPTED, pc_cause_id(PC_CAUSE_INTERRUPTED),
                        "interrupted before it measured anything");
    else if (ctx->result->status == PC_STATUS_PENDING)
        pc_probe_finish(ctx, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_TIME_TOO_SHORT),
                        "the time limit ended it before it measured anything");
    ctx->result->duration_ns = pc_clock_now_ns() - t0;
    /* Into the report, unless the run gave up on it (then its slot says so). */
    pc_report_lock(r);
    if (!r->sealed) {
        *j->slot = j->own;
        j->published = 1;
    }
    pc_report_unlock(r);
    if (j->published) {
        ev = (struct pc_event){
            .kind = PC_EVENT_PROBE_DONE, .probe = j->probe->name, .result = j->slot};
        emit(rn, &ev);
    }
    pthread_mutex_lock(&rn->lock);
    j->done = 1;
    rn->running--;
    pthread_cond_broadcast(&rn->cv);
    pthread_mutex_unlock(&rn->lock);
    runner_leave(rn);
    return NULL;
}

/* Wait for the phase's jobs, until the deadline plus grace at most. Returns how many still run. */
static size_t wait_phase(struct runner *rn, struct job *jobs, size_t n, int64_t deadline)
{
    unsigned done = 0; /* bit i: jobs[i] has ended, to be joined */
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
    for (size_t i = 0; i < n; i++)
        if (jobs[i].done)
            done |= 1u << i;
    pthread_mutex_unlock(&rn->lock);
    /* Outside the lock: an ending job still takes it once, to leave. */
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].started && (done & (1u << i)))
            pthread_join(jobs[i].thread, NULL);
        else if (jobs[i].started)
            pthread_detach(jobs[i].thread);
    }
    return running;
}

double pc_runner_shares(const struct pc_probe *const *probes, size_t n, unsigned mask)
{
    double sum = 0, phase_max = 0;
    int phase = -1;

    for (size_t i = 0; i < n; i++) {
        const struct pc_probe *p = probes[i];

        if (!(mask & (1u << i)) || p->overlap)
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
    pc_report_lock(r);
    for (size_t i = 0; i < r->n_probes; i++) {
        if (r->probes[i].status != PC_STATUS_PENDING)
            continue;
        snprintf(r->probes[i].reason, sizeof(r->probes[i].reason), "not run: %s", why);
        snprintf(r->probes[i].cause, sizeof(r->probes[i].cause), "%s", cause);
        r->complete = 0;
    }
    pc_report_unlock(r);
}

/* Probes that did not stop: say so in their slots, then seal the report against their writes. */
static void abandon(struct pc_report *r, struct job *const *lists, const size_t *counts,
                    size_t n_lists)
{
    pc_report_lock(r);
    for (size_t l = 0; l < n_lists; l++) {
        for (size_t i = 0; i < counts[l]; i++) {
            const struct job *j = &lists[l][i];
            struct pc_probe_result *res = j->slot;

            if (!j->started || j->published)
                continue;
            res->status = PC_STATUS_FAILED;
            res->cut_short = 1;
            snprintf(res->cause, sizeof(res->cause), "%s", pc_cause_id(PC_CAUSE_DID_NOT_STOP));
            snprintf(res->reason, sizeof(res->reason), "did not stop by the deadline");
        }
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
    rn->users += j->started;
    pthread_mutex_unlock(&rn->lock);
    if (!j->started)
        pc_report_finish(rn->report, j->slot, PC_STATUS_FAILED, pc_cause_id(PC_CAUSE_INTERNAL),
                         "could not start a thread");
}

/* Set up a job in place (its context points into it). Returns 0, or -1 when the table is full. */
static int make_job(struct job *j, const struct pc_run *run, struct runner *rn, struct pc_report *r,
                    const struct pc_probe *p, double scale, int64_t deadline)
{
    *j = (struct job){
        .probe = p,
        .slot = pc_report_probe(r, p->name),
        .ctx = {.cfg = run->cfg,
                .report = r,
                .result = &j->own,
                .window_ns = (int64_t)(p->budget_share * scale * (double)run->cfg->budget_ns),
                .deadline_ns = deadline,
                .cancel = run->cancel,
                .runner = rn},
    };
    if (j->slot == NULL)
        return -1;
    pc_report_lock(r);
    j->own = *j->slot; /* its name, and pending */
    pc_report_unlock(r);
    return 0;
}

/* The run is over: the last events go to the sink, then nothing more. Returns the jobs still
 * running. */
static int close_run(struct runner *rn, struct pc_report *r, pthread_t deliverer, int delivering)
{
    struct pc_event ev = {.kind = PC_EVENT_RUN_DONE, .report = r};
    struct queued *q;
    int stuck;

    emit(rn, &ev);
    pthread_mutex_lock(&rn->lock);
    rn->closed = 1;
    stuck = rn->running;
    pthread_cond_broadcast(&rn->qcv);
    pthread_mutex_unlock(&rn->lock);
    /* A stuck probe may end after the caller freed the report: hold it until then. */
    if (stuck > 0) {
        pc_report_hold(r);
        pthread_mutex_lock(&rn->lock);
        rn->holds_report = 1;
        pthread_mutex_unlock(&rn->lock);
    }
    if (delivering) {
        pthread_join(deliverer, NULL);
    } else {
        /* No delivery thread: the events go now, in order (nothing else queues any more). */
        pthread_mutex_lock(&rn->lock);
        while ((q = dequeue(rn)) != NULL) {
            pthread_mutex_unlock(&rn->lock);
            deliver(rn, q);
            pthread_mutex_lock(&rn->lock);
        }
        pthread_mutex_unlock(&rn->lock);
    }
    return stuck;
}

int pc_runner_run(const struct pc_run *run, struct pc_report *r)
{
    const struct pc_config *cfg = run->cfg;
    struct runner *rn = calloc(1, sizeof(*rn));
    struct job *jobs = calloc(run->n_probes ? run->n_probes : 1, sizeof(*jobs));
    struct job *bg = calloc(run->n_probes ? run->n_probes : 1, sizeof(*bg));
    int64_t t0 = pc_clock_now_ns(), deadline = t0 + cfg->timeout_ns;
    /* The probes that run: those selected that have something to do. */
    unsigned mask = pc_runner_active(run->probes, run->n_probes, run->mask, cfg);
    /* The selected probes fill the budget: the shares of those left out are handed on. */
    double sel = pc_runner_shares(run->probes, run->n_probes, mask),
           scale = sel > 0 ? 1.0 / sel : 1;
    struct pc_event ev = {.kind = PC_EVENT_RUN_START, .report = r};
    size_t n = 0, stuck = 0, n_bg = 0;
    int last_phase = -1, delivering, still;
    pthread_t deliverer;

    if (rn == NULL || jobs == NULL || bg == NULL) {
        free(rn);
        free(jobs);
        free(bg);
        finish_unrun(r, "out of memory", pc_cause_id(PC_CAUSE_INTERNAL));
        return 0;
    }
    memset(&deliverer, 0, sizeof(deliverer));
    pthread_mutex_init(&rn->lock, NULL);
    pthread_cond_init(&rn->cv, NULL);
    pthread_cond_init(&rn->qcv, NULL);
    rn->events = run->events;
    rn->report = r;
    rn->started_ns = t0;
    rn->jobs = jobs;
    rn->bg = bg;
    rn->users = 1; /* this call */
    rn->phase_now = -1;
    for (size_t i = 0; i < run->n_probes && i < PROBE_LIST_MAX; i++)
        if ((run->mask & (1u << i)) && !run->probes[i]->overlap && run->probes[i]->phase >= 0 &&
            run->probes[i]->phase < 32)
            rn->phases |= 1u << run->probes[i]->phase;
    r->started_ns = t0;
    pc_clock_utc_iso(r->started_at, sizeof(r->started_at));
    emit(rn, &ev);
    /* Without a delivery thread (no sink, or none could start) the events go at the end. */
    delivering = run->events != NULL && run->events->emit != NULL &&
                 pthread_create(&deliverer, NULL, deliver_main, rn) == 0;
    /* Every probe gets its result slot up front, so the report lists all of them. */
    for (size_t i = 0; i < run->n_probes; i++) {
        struct pc_probe_result *res = pc_report_probe(r, run->probes[i]->name);
        const char *cause, *why;

        if (res != NULL && !(run->mask & (1u << i)))
            pc_report_finish(r, res, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_NOT_SELECTED),
                             "not selected (--only/--skip)");
        else if (res != NULL && (why = idle_why(run->probes[i], cfg, &cause)) != NULL)
            pc_report_finish(r, res, PC_STATUS_SKIPPED, cause, "%s", why);
    }
    /* Overlapping probes start now and run beside the phases. */
    for (size_t i = 0; i < run->n_probes; i++) {
        if (!(mask & (1u << i)) || !run->probes[i]->overlap)
            continue;
        /* Its window is its own share of the budget: it takes no time from the phases. */
        if (make_job(&bg[n_bg], run, rn, r, run->probes[i], 1.0, deadline) == 0)
            start_job(rn, &bg[n_bg++], t0);
    }
    for (size_t i = 0; i <= run->n_probes && stuck == 0; i++) {
        const struct pc_probe *p = i < run->n_probes ? run->probes[i] : NULL;

        if (p != NULL && (!(mask & (1u << i)) || p->overlap))
            continue;
        if (n > 0 && (p == NULL || p->phase != last_phase)) {
            int64_t now = pc_clock_now_ns();

            if (pc_probe_should_stop(&jobs[0].ctx))
                break;
            set_phase(rn, last_phase);
            for (size_t k = 0; k < n; k++)
                start_job(rn, &jobs[k], now);
            stuck = wait_phase(rn, jobs, n, deadline);
            set_phase(rn, -1);
            if (stuck > 0)
                break;
            n = 0;
        }
        if (p == NULL)
            break;
        last_phase = p->phase;
        if (make_job(&jobs[n], run, rn, r, p, scale, deadline) == 0)
            n++;
    }
    set_phase(rn, PC_PHASES_DONE);
    /* The overlapping probes, by the same deadline. */
    if (n_bg > 0 && wait_phase(rn, bg, n_bg, deadline) > 0)
        stuck = 1;
    if (stuck > 0) {
        struct job *const lists[] = {bg, jobs};
        const size_t counts[] = {n_bg, n};

        abandon(r, lists, counts, 2);
    }
    pc_report_lock(r);
    r->duration_ns = pc_clock_now_ns() - t0;
    r->interrupted = run->cancel != NULL ? atomic_load(run->cancel) : 0;
    r->deadline_hit = pc_clock_now_ns() >= deadline;
    pc_report_unlock(r);
    finish_unrun(r, r->interrupted ? "interrupted" : "the time limit was reached",
                 pc_cause_id(r->interrupted ? PC_CAUSE_INTERRUPTED : PC_CAUSE_TIME_TOO_SHORT));
    pc_report_lock(r);
    for (size_t i = 0; i < r->n_probes; i++)
        if (r->probes[i].cut_short && !r->interrupted)
            r->deadline_hit = 1;
    if (r->interrupted || r->deadline_hit)
        r->complete = 0;
    pc_report_unlock(r);
    still = close_run(rn, r, deliverer, delivering);
    /* A stuck probe still uses rn and its job: the last of them frees them. */
    runner_leave(rn);
    return still;
}
