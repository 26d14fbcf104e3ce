/*
 * test_runner.c - the runner with fake probes on the fake clock: selection,
 * phases in order and probes of a phase in parallel, time shares handed on
 * when probes are left out, windows within the deadline, a probe that
 * overruns its window, one that never stops, values shared between probes,
 * a signal between phases, and the events of a run. Nothing touches the
 * network.
 */
#include <signal.h>
#include <stdio.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "precall/clock.h"
#include "precall/runner.h"

static _Atomic int64_t now; /* the fake clock */
static atomic_int c_started, release_stuck;
static int64_t seen_start[4], seen_window[4], seen_end[4];
static int order[8];
static atomic_int n_order;
static char got_shared[32];

static void sleep_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};

    nanosleep(&ts, NULL);
}

static void note(struct pc_probe_ctx *ctx, int id)
{
    seen_start[id] = ctx->start_ns;
    seen_window[id] = ctx->window_ns;
    seen_end[id] = pc_probe_window_end(ctx);
    order[atomic_fetch_add(&n_order, 1)] = id;
}

/* A: phase 0; shares a value, reports a figure of a scope, can overrun or signal. */
static int64_t a_overrun_ns;
static int a_signal;

static int run_a(struct pc_probe_ctx *ctx)
{
    int sc = pc_report_scope(ctx->report, PC_SCOPE_SERVER, "srv:1", NULL);

    note(ctx, 0);
    pc_probe_share(ctx, "stun.primary", "198.18.1.2:3478", 16);
    pc_probe_phase(ctx, "idle");
    pc_probe_figure(ctx, (size_t)sc, PC_M_RTT_MS, 12.5);
    now += a_overrun_ns;
    if (a_signal)
        atomic_store(ctx->cancel, a_signal);
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "");
    return 0;
}

/* B: phase 1; waits (in real time) until C has started: they run in parallel. */
static int run_b(struct pc_probe_ctx *ctx)
{
    note(ctx, 1);
    for (int i = 0; i < 2000 && !atomic_load(&c_started); i++)
        sleep_ms(1);
    if (!pc_probe_shared(ctx, "stun.primary", got_shared, 16))
        got_shared[0] = '\0';
    pc_probe_finish(ctx, atomic_load(&c_started) ? PC_STATUS_OK : PC_STATUS_FAILED, "", "%s", "");
    return 0;
}

static int run_c(struct pc_probe_ctx *ctx)
{
    note(ctx, 2);
    atomic_store(&c_started, 1);
    return 0; /* leaves its status pending: the runner must say why */
}

/* D: never stops until released; it moves the clock past the deadline first. */
static int run_d(struct pc_probe_ctx *ctx)
{
    note(ctx, 3);
    now = ctx->deadline_ns + PC_RUNNER_GRACE_NS + 1;
    while (!atomic_load(&release_stuck))
        sleep_ms(1);
    pc_report_set_num(ctx->report, PC_SCOPE_RUN_ID, PC_M_DNS_MS, 1); /* sealed: dropped */
    /* Its own result: it never reaches the report now. */
    snprintf(ctx->result->method, sizeof(ctx->result->method), "late");
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "done after all");
    return 0;
}

/* E: a signal arrives while it runs; it returns without a status. */
static int run_e(struct pc_probe_ctx *ctx)
{
    note(ctx, 0);
    atomic_store(ctx->cancel, SIGINT);
    return 0;
}

static const struct pc_probe pa = {.name = "a",
                                   .summary = "probe a",
                                   .activity = "A",
                                   .phase = 0,
                                   .budget_share = 0.1,
                                   .run = run_a,
                                   .overlap = 0};
static const struct pc_probe pb = {.name = "b",
                                   .summary = "probe b",
                                   .activity = "B",
                                   .phase = 1,
                                   .budget_share = 0.3,
                                   .run = run_b,
                                   .overlap = 0};
static const struct pc_probe pc = {.name = "c",
                                   .summary = "probe c",
                                   .activity = "C",
                                   .phase = 1,
                                   .budget_share = 0.2,
                                   .run = run_c,
                                   .overlap = 0};
static const struct pc_probe pd = {.name = "d",
                                   .summary = "probe d",
                                   .activity = "D",
                                   .phase = 2,
                                   .budget_share = 0.1,
                                   .run = run_d,
                                   .overlap = 0};
static const struct pc_probe pe = {.name = "e",
                                   .summary = "probe e",
                                   .activity = "E",
                                   .phase = 0,
                                   .budget_share = 0.1,
                                   .run = run_e,
                                   .overlap = 0};
static const struct pc_probe *const list[] = {&pa, &pb, &pc};

/* O: overlaps phase 0; stays until B has started (B is in phase 1), in real time. */
static atomic_int b_began;

static int run_o(struct pc_probe_ctx *ctx)
{
    note(ctx, 3);
    for (int i = 0; i < 2000 && !atomic_load(&b_began); i++)
        sleep_ms(1);
    pc_probe_finish(ctx, atomic_load(&b_began) ? PC_STATUS_OK : PC_STATUS_FAILED, "", "%s", "");
    return 0;
}

static int run_b_marks(struct pc_probe_ctx *ctx)
{
    atomic_store(&b_began, 1);
    note(ctx, 1);
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", "");
    return 0;
}

static const struct pc_probe po = {.name = "o",
                                   .summary = "probe o",
                                   .activity = "O",
                                   .phase = 0,
                                   .budget_share = 0.5,
                                   .run = run_o,
                                   .overlap = 1};
static const struct pc_probe pb2 = {.name = "b",
                                    .summary = "probe b",
                                    .activity = "B",
                                    .phase = 1,
                                    .budget_share = 0.3,
                                    .run = run_b_marks,
                                    .overlap = 0};

static char events[64][48];
static int n_events;

static void on_event(void *user, const struct pc_event *ev)
{
    (void)user;
    if (n_events >= 64)
        return;
    snprintf(events[n_events++], sizeof(events[0]), "%s %s %s", pc_event_name(ev->kind),
             ev->probe ? ev->probe : "-",
             ev->kind == PC_EVENT_FIGURE  ? ev->scope_id
             : ev->kind == PC_EVENT_PHASE ? ev->phase
                                          : "-");
}

static struct pc_report *run(unsigned mask, int64_t timeout_ns, atomic_int *cancel,
                             const struct pc_probe *const *probes, size_t n, int *stuck)
{
    /* Static, like cfg: a probe that never stops still emits after the run returned. */
    static struct pc_config cfg;
    static struct pc_events ev = {NULL, on_event};
    struct pc_run rr = {probes, n, mask, &cfg, &ev, cancel};
    struct pc_report *r = pc_report_new();
    int s;

    cfg = (struct pc_config){.budget_ns = 10 * PC_NS_PER_S, .timeout_ns = timeout_ns};
    n_order = n_events = 0;
    atomic_store(&c_started, 0);
    memset(seen_start, 0, sizeof(seen_start));
    s = pc_runner_run(&rr, r);
    if (stuck != NULL)
        *stuck = s;
    return r;
}

static void selection(void)
{
    struct pc_err err = {0};
    unsigned mask;

    CHECK(pc_runner_select(list, 3, NULL, NULL, &mask, &err) == 0 && mask == 7u);
    CHECK(pc_runner_select(list, 3, "b", NULL, &mask, &err) == 0 && mask == 2u);
    CHECK(pc_runner_select(list, 3, NULL, "b", &mask, &err) == 0 && mask == 5u);
    CHECK(pc_runner_select(list, 3, "a,b", "a", &mask, &err) == 0 && mask == 2u);
    CHECK(pc_runner_select(list, 3, "a,bogus", NULL, &mask, &err) == PC_EINVAL);
    CHECK(strstr(err.msg, "unknown probe 'bogus'") != NULL);
    CHECK(pc_runner_select(list, 3, NULL, ",", &mask, &err) == PC_EINVAL);
}

static int event_index(const char *e)
{
    for (int i = 0; i < n_events; i++)
        if (strcmp(events[i], e) == 0)
            return i;
    return -1;
}

static void phases_shares_events(void)
{
    atomic_int cancel = 0;
    struct pc_report *r = run(7u, 60 * PC_NS_PER_S, &cancel, list, 3, NULL);
    const struct pc_probe_result *c = pc_report_probe_find(r, "c");

    /* Phase 0 before phase 1; b and c ran side by side. */
    CHECK(n_order == 3 && order[0] == 0);
    CHECK(pc_report_probe_find(r, "b")->status == PC_STATUS_OK);
    CHECK(strcmp(got_shared, "198.18.1.2:3478") == 0);
    /* Windows: the shares (0.1, then 0.3 beside 0.2) fill a 10 s budget: 0.1 / 0.4, 0.3 / 0.4. */
    CHECK_NEAR((double)seen_window[0], 2.5e9, 1);
    CHECK_NEAR((double)seen_window[1], 7.5e9, 1);
    CHECK_NEAR((double)seen_window[2], 5e9, 1);
    /* A probe that returned without a status is not taken for measured. */
    CHECK(c->status == PC_STATUS_FAILED && strcmp(c->cause, "time-too-short") == 0);
    CHECK(r->complete && !r->interrupted && !r->deadline_hit);
    /* Events: the run's bounds, each probe's start and end, phases and figures with scopes. */
    CHECK(n_events == 10);
    CHECK(strcmp(events[0], "run_start - -") == 0);
    CHECK(strcmp(events[n_events - 1], "run_done - -") == 0);
    CHECK(event_index("probe_start a -") == 1);
    CHECK(event_index("phase a idle") == 2);
    CHECK(event_index("figure a srv:1") == 3);
    CHECK(event_index("probe_done a -") == 4);
    CHECK(event_index("probe_start b -") > 4 && event_index("probe_done c -") > 4);
    pc_report_free(r);

    /* Left out with --only: a's share is handed on to b and c (0.3 / 0.3, 0.2 / 0.3). */
    r = run(6u, 60 * PC_NS_PER_S, &cancel, list, 3, NULL);
    CHECK(pc_report_probe_find(r, "a")->status == PC_STATUS_SKIPPED);
    CHECK(strcmp(pc_report_probe_find(r, "a")->cause, "not-selected") == 0);
    CHECK_NEAR((double)seen_window[1], 1e10, 1);
    CHECK_NEAR((double)seen_window[2], 0.2 / 0.3 * 1e10, 1);
    CHECK(strcmp(got_shared, "") == 0); /* nobody shared it */
    pc_report_free(r);
}

/*
 * An overlapping probe runs beside the later phases: phase 1 starts while it
 * still runs, and its share takes no time of its own (a and b keep theirs).
 */
static void overlap(void)
{
    const struct pc_probe *const three[] = {&pa, &po, &pb2};
    atomic_int cancel = 0;
    struct pc_report *r;

    now = 0;
    atomic_store(&b_began, 0);
    r = run(7u, 60 * PC_NS_PER_S, &cancel, three, 3, NULL);
    CHECK(pc_report_probe_find(r, "o")->status == PC_STATUS_OK);
    CHECK(pc_report_probe_find(r, "b")->status == PC_STATUS_OK);
    CHECK(seen_window[3] == 5 * PC_NS_PER_S);
    CHECK_NEAR((double)seen_window[0], 0.1 / 0.4 * 1e10, 1); /* a and b fill the budget */
    CHECK_NEAR((double)seen_window[1], 0.3 / 0.4 * 1e10, 1);
    CHECK(event_index("probe_done o -") > event_index("probe_start b -"));
    CHECK(r->complete);
    pc_report_free(r);

    /* Only the overlapping probe: its own share of the budget. */
    atomic_store(&b_began, 1);
    r = run(2u, 60 * PC_NS_PER_S, &cancel, three, 3, NULL);
    CHECK(pc_report_probe_find(r, "o")->status == PC_STATUS_OK);
    CHECK(seen_window[3] == 5 * PC_NS_PER_S);
    pc_report_free(r);
}

static void overrun_and_deadline(void)
{
    atomic_int cancel = 0;
    struct pc_report *r;

    /* a overruns its 1 s window by 4 s: b starts late, and its window ends at the deadline. */
    now = 0;
    a_overrun_ns = 5 * PC_NS_PER_S;
    r = run(7u, 7 * PC_NS_PER_S, &cancel, list, 3, NULL);
    CHECK(seen_start[1] == 5 * PC_NS_PER_S);
    CHECK(seen_end[1] == 7 * PC_NS_PER_S); /* not 5 + 7.5 */
    CHECK(r->complete);
    pc_report_free(r);

    /* A deadline already passed after phase 0: phase 1 never starts, and says why. */
    now = 0;
    a_overrun_ns = 8 * PC_NS_PER_S;
    r = run(7u, 7 * PC_NS_PER_S, &cancel, list, 3, NULL);
    CHECK(n_order == 1);
    CHECK(pc_report_probe_find(r, "b")->status == PC_STATUS_PENDING);
    CHECK(strcmp(pc_report_probe_find(r, "b")->reason, "not run: the time limit was reached") == 0);
    CHECK(!r->complete && r->deadline_hit && !r->interrupted);
    pc_report_free(r);
    a_overrun_ns = 0;
}

static void signal_between_phases(void)
{
    atomic_int cancel = 0;
    struct pc_report *r;

    now = 0;
    a_signal = SIGTERM;
    r = run(7u, 60 * PC_NS_PER_S, &cancel, list, 3, NULL);
    a_signal = 0;
    CHECK(n_order == 1);
    CHECK(r->interrupted == SIGTERM && !r->complete);
    CHECK(strcmp(pc_report_probe_find(r, "c")->reason, "not run: interrupted") == 0);
    CHECK(strcmp(pc_report_probe_find(r, "c")->cause, "interrupted") == 0);
    CHECK(pc_report_exit_code(r) == 128 + SIGTERM);
    pc_report_free(r);
}

/* A probe the signal stopped before it measured anything is interrupted, not failed. */
static void pending_when_interrupted(void)
{
    const struct pc_probe *const one[] = {&pe, &pb};
    atomic_int cancel = 0;
    struct pc_report *r;
    const struct pc_probe_result *e;

    now = 0;
    r = run(3u, 60 * PC_NS_PER_S, &cancel, one, 2, NULL);
    e = pc_report_probe_find(r, "e");
    CHECK(e->status == PC_STATUS_INTERRUPTED);
    CHECK(strcmp(e->cause, "interrupted") == 0);
    CHECK(strcmp(e->reason, "interrupted before it measured anything") == 0);
    CHECK(r->interrupted == SIGINT && !r->complete && !r->deadline_hit);
    CHECK(strcmp(pc_report_probe_find(r, "b")->reason, "not run: interrupted") == 0);
    pc_report_free(r);
}

static void probe_that_never_stops(void)
{
    const struct pc_probe *const two[] = {&pa, &pd};
    atomic_int cancel = 0;
    struct pc_report *r;
    const struct pc_probe_result *d;
    int stuck = 0;

    now = 0;
    r = run(3u, 5 * PC_NS_PER_S, &cancel, two, 2, &stuck);
    CHECK(stuck == 1);
    CHECK(r->sealed);
    CHECK(pc_report_probe_find(r, "d")->status == PC_STATUS_FAILED);
    CHECK(strcmp(pc_report_probe_find(r, "d")->cause, "did-not-stop") == 0);
    CHECK(strcmp(events[n_events - 1], "run_done - -") == 0);
    atomic_store(&release_stuck, 1);
    sleep_ms(200); /* let it end */
    CHECK(!pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_DNS_MS)->set);
    /* What it wrote when it ended late stays out of the report. */
    pc_report_lock(r);
    d = pc_report_probe_find(r, "d");
    CHECK(d->status == PC_STATUS_FAILED && strcmp(d->cause, "did-not-stop") == 0);
    CHECK(strcmp(d->reason, "did not stop by the deadline") == 0 && d->method[0] == '\0');
    pc_report_unlock(r);
    pc_report_free(r);
}

int main(void)
{
    pc_clock_set_fake(&now);
    selection();
    phases_shares_events();
    overlap();
    overrun_and_deadline();
    signal_between_phases();
    pending_when_interrupted();
    probe_that_never_stops();
    pc_clock_set_fake(NULL);
    CHECK(pc_clock_now_ns() != now);
    return check_done();
}
