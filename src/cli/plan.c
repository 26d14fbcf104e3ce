/*
 * plan.c - the time plan of a check, decided before it starts: how long the
 * probes may measure within --duration and --timeout, and whether that is
 * long enough for each selected probe to measure anything at all.
 *
 * The runner (src/core/runner.c) gives each probe a window of its share of
 * the budget, the shares of the probes left out handed on to those that
 * run, the probes of one phase in parallel; plan.c follows the same rule to
 * find the budget each probe's shortest useful window needs.
 */
#include <math.h>
#include <string.h>

#include "cli/options.h"
#include "precall/clock.h"
#include "precall/runner.h"

/* What --timeout keeps for itself: a tenth, at most the default grace. */
#define TIMEOUT_MARGIN_MAX_NS (10 * PC_NS_PER_S)
#define ROUND_NS              (100 * PC_NS_PER_MS) /* durations named to a tenth of a second */

int64_t pc_plan_budget(int64_t duration_ns, int64_t timeout_ns)
{
    int64_t margin = timeout_ns / 10, fit;

    if (margin > TIMEOUT_MARGIN_MAX_NS)
        margin = TIMEOUT_MARGIN_MAX_NS;
    fit = timeout_ns - margin;
    return duration_ns < fit ? duration_ns : fit;
}

/* Up to the next tenth of a second (a value a hair over a tenth is that tenth). */
static int64_t round_up(double ns)
{
    return (int64_t)ceil(ns / (double)ROUND_NS - 1e-6) * ROUND_NS;
}

int64_t pc_plan_timeout_for(int64_t budget_ns)
{
    /* The inverse of pc_plan_budget: budget + min(timeout / 10, 10 s) <= timeout. */
    double t = (double)budget_ns / 0.9;

    if (t / 10 > (double)TIMEOUT_MARGIN_MAX_NS)
        t = (double)(budget_ns + TIMEOUT_MARGIN_MAX_NS);
    return round_up(t);
}

int64_t pc_plan_min_budget(const struct pc_probe *const *probes, size_t n, unsigned mask,
                           const char **probe, const char **what)
{
    double sel = pc_runner_shares(probes, n, mask), need = 0;

    *probe = *what = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!(mask & (1u << i)) || probes[i]->overlap || probes[i]->budget_share <= 0)
            continue;
        /* window = share / sel * budget, so budget = window * sel / share */
        double b = (double)probes[i]->min_window_ns * sel / probes[i]->budget_share;

        if (b <= need)
            continue;
        need = b;
        *probe = probes[i]->name;
        *what = probes[i]->min_what;
    }
    return need > 0 ? round_up(need) : 0;
}
