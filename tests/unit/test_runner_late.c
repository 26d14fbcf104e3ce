/*
 * test_runner_late.c - a probe that never stops must not reach the caller's
 * event callback after pc_runner_run() returned: by then the caller may
 * have freed what its callback uses (cmd_check.c's sink and -o buffer live
 * on its stack), and a streaming format has already printed the report.
 *
 * (runner.c's emit() does nothing once the run was given up; this test
 * failed before it did.)
 */
#include <stdatomic.h>
#include <time.h>

#include "check.h"
#include "precall/clock.h"
#include "precall/runner.h"

static _Atomic int64_t now;
static atomic_int release, returned, late_events;

static void on_event(void *user, const struct pc_event *ev)
{
    (void)user;
    (void)ev;
    if (atomic_load(&returned))
        atomic_fetch_add(&late_events, 1);
}

static int run_stuck(struct pc_probe_ctx *ctx)
{
    now = ctx->deadline_ns + PC_RUNNER_GRACE_NS + 1;
    while (!atomic_load(&release)) {
        struct timespec ts = {0, 1000000L};

        nanosleep(&ts, NULL);
    }
    return 0;
}

static const struct pc_probe stuck = {.name = "stuck",
                                      .summary = "never stops",
                                      .activity = "S",
                                      .phase = 0,
                                      .budget_share = 1.0,
                                      .run = run_stuck,
                                      .overlap = 0};
static const struct pc_probe *const list[] = {&stuck};

int main(void)
{
    static struct pc_config cfg;
    static struct pc_events ev = {NULL, on_event};
    struct pc_run run = {list, 1, 1u, &cfg, &ev, NULL};
    struct pc_report *r = pc_report_new();
    struct timespec ts = {0, 200000000L};

    pc_clock_set_fake(&now);
    cfg = (struct pc_config){.budget_ns = PC_NS_PER_S, .timeout_ns = PC_NS_PER_S};
    CHECK(pc_runner_run(&run, r) == 1);
    atomic_store(&returned, 1);
    atomic_store(&release, 1);
    nanosleep(&ts, NULL); /* let the probe end */
    CHECK(atomic_load(&late_events) == 0);
    pc_report_free(r);
    pc_clock_set_fake(NULL);
    return check_done();
}
