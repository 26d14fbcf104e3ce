/*
 * test_runner.c - probe selection, and a run that ends before its probes:
 * cut by the deadline (on the fake clock) or by Ctrl-C. No probe runs, so
 * nothing touches the network.
 */
#include <signal.h>
#include <string.h>

#include "check.h"
#include "precall/clock.h"
#include "precall/runner.h"

static void selection(void)
{
    struct pc_err err = {0};
    unsigned mask, all;

    CHECK(pc_runner_select(NULL, NULL, &all, &err) == 0);
    CHECK(all == 3u); /* dns and udp */
    CHECK(pc_runner_select("udp", NULL, &mask, &err) == 0 && mask == 2u);
    CHECK(pc_runner_select(NULL, "udp", &mask, &err) == 0 && mask == 1u);
    CHECK(pc_runner_select("dns,udp", "dns", &mask, &err) == 0 && mask == 2u);
    CHECK(pc_runner_select("dns,bogus", NULL, &mask, &err) == PC_EINVAL);
    CHECK(strstr(err.msg, "unknown probe 'bogus'") != NULL);
    CHECK(pc_runner_select(NULL, ",", &mask, &err) == PC_EINVAL);
}

static struct pc_report *run(int64_t timeout_ns, atomic_int *cancel, unsigned mask)
{
    struct pc_config cfg = {.n_stun = 1, .budget_ns = 10 * PC_NS_PER_S, .timeout_ns = timeout_ns};
    struct pc_report *r = pc_report_new();

    cfg.stun[0] = "198.18.1.2";
    pc_runner_run(&cfg, mask, r, NULL, cancel);
    return r;
}

int main(void)
{
    int64_t now = 5 * PC_NS_PER_S;
    atomic_int stop = 0;
    const struct pc_probe_result *p;
    struct pc_report *r;

    selection();
    pc_clock_set_fake(&now);

    /* A deadline already reached: no probe starts; the report says why. */
    r = run(0, &stop, 3u);
    CHECK(r->n_probes == 2);
    p = pc_report_probe_find(r, "udp");
    CHECK(p != NULL && p->status == PC_STATUS_PENDING);
    CHECK(p != NULL && strcmp(p->reason, "not run: the time limit was reached") == 0);
    CHECK(!r->complete && r->deadline_hit && !r->interrupted);
    CHECK(r->duration_ns == 0); /* the fake clock stood still */
    pc_report_free(r);

    /* Ctrl-C before the first phase. */
    stop = SIGINT;
    r = run(10 * PC_NS_PER_S, &stop, 3u);
    p = pc_report_probe_find(r, "dns");
    CHECK(p != NULL && strcmp(p->reason, "not run: interrupted") == 0);
    CHECK(r->interrupted && !r->complete);
    CHECK(r->interrupted == SIGINT && pc_report_exit_code(r) == 130);
    pc_report_free(r);
    stop = SIGTERM;
    r = run(10 * PC_NS_PER_S, &stop, 3u);
    CHECK(r->interrupted == SIGTERM && pc_report_exit_code(r) == 143);
    pc_report_free(r);

    /* Probes left out by --only/--skip are skipped, not pending. */
    r = run(0, &stop, 2u);
    p = pc_report_probe_find(r, "dns");
    CHECK(p != NULL && p->status == PC_STATUS_SKIPPED);
    pc_report_free(r);

    pc_clock_set_fake(NULL);
    CHECK(pc_clock_now_ns() != now);
    return check_done();
}
