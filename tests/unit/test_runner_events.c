/*
 * test_runner_events.c - the run's events between threads: a sink that
 * blocks (a paused terminal, a full pipe) holds up neither the probes nor
 * the deadline; events reach the sink while the run goes on, not only at
 * its end; their times never go back in the order they are delivered, also
 * when probes of one phase emit at once (issue 12 saw t_ms 0.465 then
 * 0.24). On the fake clock; nothing touches the network.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "precall/clock.h"
#include "precall/runner.h"

static _Atomic int64_t now;

static void sleep_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};

    nanosleep(&ts, NULL);
}

/* What the sink saw; written only by the delivering thread, read after the run returned. */
#define SEEN_MAX 1200
static struct seen {
    enum pc_event_kind kind;
    int64_t t_ns;
    char what[48];
} seen[SEEN_MAX];
static int n_seen;
static atomic_int block_sink, sink_release, saw_live;

static void on_event(void *user, const struct pc_event *ev)
{
    (void)user;
    if (n_seen < SEEN_MAX) {
        struct seen *s = &seen[n_seen++];

        s->kind = ev->kind;
        s->t_ns = ev->t_ns;
        snprintf(s->what, sizeof(s->what), "%s %s %s", pc_event_name(ev->kind),
                 ev->probe ? ev->probe : "-",
                 ev->kind == PC_EVENT_PHASE    ? ev->phase
                 : ev->kind == PC_EVENT_FIGURE ? ev->scope_id
                                               : "-");
    }
    if (ev->kind == PC_EVENT_PHASE && strcmp(ev->phase, "live") == 0)
        atomic_store(&saw_live, 1);
    /* A paused terminal: the first event blocks until released (10 s at most). */
    for (int i = 0; atomic_load(&block_sink) && !atomic_load(&sink_release) && i < 10000; i++)
        sleep_ms(1);
    atomic_store(&block_sink, 0);
}

static int run_probes(const struct pc_probe *const *probes, size_t n, int64_t timeout_ns,
                      struct pc_report *r)
{
    static struct pc_config cfg; /* static: a probe that never stops outlives the call */
    static struct pc_events ev = {NULL, on_event};
    struct pc_run rr = {probes, n, (1u << n) - 1, &cfg, &ev, NULL};

    cfg = (struct pc_config){.budget_ns = 10 * PC_NS_PER_S, .timeout_ns = timeout_ns};
    n_seen = 0;
    return pc_runner_run(&rr, r);
}

static int find(const char *what)
{
    for (int i = 0; i < n_seen; i++)
        if (strcmp(seen[i].what, what) == 0)
            return i;
    return -1;
}

static int times_rise(void)
{
    for (int i = 1; i < n_seen; i++)
        if (seen[i].t_ns < seen[i - 1].t_ns)
            return 0;
    return 1;
}

/* a: a phase and a figure of a scope. */
static int run_a(struct pc_probe_ctx *ctx)
{
    int sc = pc_report_scope(ctx->report, PC_SCOPE_SERVER, "srv:1", NULL);

    pc_probe_phase(ctx, "idle");
    pc_probe_figure(ctx, (size_t)sc, PC_M_RTT_MS, 12.5);
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "");
    return 0;
}

/* d: never stops until released; it moves the clock past the deadline and its grace. */
static atomic_int release_stuck;

static int run_d(struct pc_probe_ctx *ctx)
{
    atomic_store(&now, ctx->deadline_ns + PC_RUNNER_GRACE_NS + 1);
    while (!atomic_load(&release_stuck))
        sleep_ms(1);
    return 0;
}

static const struct pc_probe pa = {.name = "a",
                                   .summary = "probe a",
                                   .activity = "A",
                                   .phase = 0,
                                   .budget_share = 0.5,
                                   .run = run_a,
                                   .overlap = 0};
static const struct pc_probe pd = {.name = "d",
                                   .summary = "probe d",
                                   .activity = "D",
                                   .phase = 1,
                                   .budget_share = 0.5,
                                   .run = run_d,
                                   .overlap = 0};

/* The helper: has the runner given up on d (sealed the report) while the sink is blocked? */
static atomic_int sealed_while_blocked;

static void *watch(void *arg)
{
    struct pc_report *r = arg;

    for (int i = 0; i < 3000 && !pc_report_sealed(r); i++)
        sleep_ms(1);
    atomic_store(&sealed_while_blocked, pc_report_sealed(r) && !atomic_load(&sink_release));
    atomic_store(&sink_release, 1);
    return NULL;
}

/*
 * The sink blocks on the very first event. The probes run all the same,
 * the runner gives up on the one that does not stop by the deadline and
 * seals the report, and only then waits for the sink to take the rest.
 */
static void blocked_sink(void)
{
    const struct pc_probe *const two[] = {&pa, &pd};
    struct pc_report *r = pc_report_new();
    pthread_t th;
    int stuck;

    atomic_store(&now, 0);
    atomic_store(&block_sink, 1);
    atomic_store(&sink_release, 0);
    CHECK(pthread_create(&th, NULL, watch, r) == 0);
    stuck = run_probes(two, 2, 5 * PC_NS_PER_S, r);
    pthread_join(th, NULL);
    CHECK(atomic_load(&sealed_while_blocked) == 1);
    CHECK(stuck == 1);
    CHECK(pc_report_probe_find(r, "a")->status == PC_STATUS_OK);
    CHECK(strcmp(pc_report_probe_find(r, "d")->cause, "did-not-stop") == 0);
    CHECK(r->deadline_hit && !r->complete);
    /* Every event of the run reached the sink, in order, the run's end last. */
    CHECK(n_seen == 7);
    CHECK(find("run_start - -") == 0);
    CHECK(find("probe_start a -") == 1);
    CHECK(find("phase a idle") == 2);
    CHECK(find("figure a srv:1") == 3);
    CHECK(find("probe_done a -") == 4);
    CHECK(find("probe_start d -") == 5);
    CHECK(find("run_done - -") == 6);
    CHECK(times_rise());
    atomic_store(&release_stuck, 1);
    sleep_ms(100);
    pc_report_free(r);
}

/* l: waits (in real time, 3 s at most) until the sink has seen its phase: events go out live. */
static atomic_int live_ok;

static int run_l(struct pc_probe_ctx *ctx)
{
    pc_probe_phase(ctx, "live");
    for (int i = 0; i < 3000 && !atomic_load(&saw_live); i++)
        sleep_ms(1);
    atomic_store(&live_ok, atomic_load(&saw_live));
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "");
    return 0;
}

static void live(void)
{
    static const struct pc_probe pl = {.name = "l",
                                       .summary = "probe l",
                                       .activity = "L",
                                       .phase = 0,
                                       .budget_share = 1.0,
                                       .run = run_l,
                                       .overlap = 0};
    const struct pc_probe *const one[] = {&pl};
    struct pc_report *r = pc_report_new();

    atomic_store(&now, 0);
    atomic_store(&saw_live, 0);
    CHECK(run_probes(one, 1, 5 * PC_NS_PER_S, r) == 0);
    CHECK(atomic_load(&live_ok) == 1);
    pc_report_free(r);
}

/* b: the clock at 5 s, then set back to 4 s: the second event keeps 5 s. */
static int run_back(struct pc_probe_ctx *ctx)
{
    atomic_store(&now, 5 * PC_NS_PER_S);
    pc_probe_phase(ctx, "one");
    atomic_store(&now, 4 * PC_NS_PER_S);
    pc_probe_phase(ctx, "two");
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "");
    return 0;
}

static void time_never_back(void)
{
    static const struct pc_probe pb = {.name = "b",
                                       .summary = "probe b",
                                       .activity = "B",
                                       .phase = 0,
                                       .budget_share = 1.0,
                                       .run = run_back,
                                       .overlap = 0};
    const struct pc_probe *const one[] = {&pb};
    struct pc_report *r = pc_report_new();
    int one_i, two_i;

    atomic_store(&now, 0);
    CHECK(run_probes(one, 1, 60 * PC_NS_PER_S, r) == 0);
    one_i = find("phase b one");
    two_i = find("phase b two");
    CHECK(one_i == 2 && two_i == 3);
    CHECK(one_i >= 0 && seen[one_i].t_ns == 5 * PC_NS_PER_S);
    CHECK(two_i >= 0 && seen[two_i].t_ns == 5 * PC_NS_PER_S);
    CHECK(seen[n_seen - 1].t_ns == 5 * PC_NS_PER_S); /* run_done */
    CHECK(times_rise());
    pc_report_free(r);
}

/* p, q: two probes of one phase, each moving the clock on and emitting 500 figures at once. */
#define FIGURES 500

static int run_many(struct pc_probe_ctx *ctx)
{
    for (int i = 0; i < FIGURES; i++) {
        atomic_fetch_add(&now, 1000);
        pc_probe_figure(ctx, PC_SCOPE_RUN_ID, PC_M_RTT_MS, i);
    }
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "");
    return 0;
}

static void parallel_order(void)
{
    static const struct pc_probe pp = {.name = "p",
                                       .summary = "probe p",
                                       .activity = "P",
                                       .phase = 0,
                                       .budget_share = 1.0,
                                       .run = run_many,
                                       .overlap = 0};
    static const struct pc_probe pq = {.name = "q",
                                       .summary = "probe q",
                                       .activity = "Q",
                                       .phase = 0,
                                       .budget_share = 1.0,
                                       .run = run_many,
                                       .overlap = 0};
    const struct pc_probe *const two[] = {&pp, &pq};
    struct pc_report *r = pc_report_new();
    int figures = 0;

    atomic_store(&now, 0);
    CHECK(run_probes(two, 2, 60 * PC_NS_PER_S, r) == 0);
    for (int i = 0; i < n_seen; i++)
        figures += seen[i].kind == PC_EVENT_FIGURE;
    CHECK(figures == 2 * FIGURES);
    CHECK(n_seen == 2 * FIGURES + 6);
    CHECK(times_rise());
    CHECK(seen[n_seen - 1].t_ns == 2 * FIGURES * 1000);
    pc_report_free(r);
}

int main(void)
{
    pc_clock_set_fake(&now);
    blocked_sink();
    live();
    time_never_back();
    parallel_order();
    pc_clock_set_fake(NULL);
    return check_done();
}
