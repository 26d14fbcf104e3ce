/* stunstats.c - figures from STUN request records (see stunstats.h). */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "precall/clock.h"
#include "precall/err.h"
#include "precall/stats.h"
#include "probe/stunstats.h"

/* Is the fate of request r known at now: answered, never sent, or its timeout passed? */
static int decided(const struct pc_stun_session *s, const struct pc_stun_req *r, int64_t now)
{
    return r->answers > 0 || r->send_failed || now - r->sent_ns > s->timeout_ns;
}

static int lost(const struct pc_stun_req *r)
{
    return r->answers == 0 || r->late;
}

static double worst_burst(const struct pc_stun_req **v, size_t n)
{
    double worst = 0;
    size_t j = 0, lost_in = 0;

    /* Slide a window [v[i].sent, v[i].sent + 200 ms) over the requests in send order. */
    for (size_t i = 0; i < n; i++) {
        while (j < n && v[j]->sent_ns - v[i]->sent_ns < PC_BURST_WINDOW_NS)
            lost_in += (size_t)lost(v[j++]);
        if (j - i >= PC_BURST_MIN_PROBES) {
            double f = (double)lost_in / (double)(j - i);

            if (f > worst)
                worst = f;
        }
        lost_in -= (size_t)lost(v[i]);
    }
    return worst * 100.0;
}

static void rtt_figures(struct pc_stun_stats *st)
{
    double *sorted = pc_stats_sorted_copy(st->rtt_ms, st->n_rtt);

    if (sorted == NULL)
        return;
    st->rtt_min_ms = sorted[0];
    st->rtt_max_ms = sorted[st->n_rtt - 1];
    st->rtt_median_ms = pc_stats_percentile(sorted, st->n_rtt, 50);
    st->rtt_p90_ms = pc_stats_percentile(sorted, st->n_rtt, 90);
    st->rtt_p99_ms = pc_stats_percentile(sorted, st->n_rtt, 99);
    st->pdv_p95_ms = pc_stats_percentile(sorted, st->n_rtt, 95) - sorted[0];
    st->jitter_ms = pc_stats_mean_abs_delta(st->rtt_ms, st->n_rtt);
    st->jitter_rfc3550_ms = pc_stats_rfc3550_jitter(st->rtt_ms, st->n_rtt);
    free(sorted);
}

int pc_stun_stats_compute(const struct pc_stun_session *s, size_t server, enum pc_req_kind kind,
                          int64_t now_ns, struct pc_stun_stats *st)
{
    const struct pc_stun_req **v;
    double low, high;
    size_t n = 0;

    memset(st, 0, sizeof(*st));
    st->rtt_median_ms = st->rtt_min_ms = st->rtt_p90_ms = st->rtt_p99_ms = st->rtt_max_ms = NAN;
    st->jitter_ms = st->jitter_rfc3550_ms = st->pdv_p95_ms = NAN;
    st->loss_pct = st->loss_low_pct = st->loss_high_pct = st->burst_loss_pct = NAN;
    v = malloc((s->n_reqs ? s->n_reqs : 1) * sizeof(*v));
    st->rtt_ms = malloc((s->n_reqs ? s->n_reqs : 1) * sizeof(*st->rtt_ms));
    st->rtt_t_ns = malloc((s->n_reqs ? s->n_reqs : 1) * sizeof(*st->rtt_t_ns));
    if (v == NULL || st->rtt_ms == NULL || st->rtt_t_ns == NULL) {
        free(v);
        pc_stun_stats_free(st);
        return PC_ENOMEM;
    }
    for (size_t i = 0; i < s->n_reqs; i++) {
        const struct pc_stun_req *r = &s->reqs[i];

        if (r->server != server || r->kind != kind || !decided(s, r, now_ns))
            continue;
        v[n++] = r;
        st->sent++;
        st->send_failed += r->send_failed;
        if (r->answers > 1)
            st->duplicates += r->answers - 1u;
        st->reordered += r->reordered;
        if (r->answers > 0 && r->late)
            st->late++;
        if (lost(r)) {
            st->lost++;
            continue;
        }
        st->answered++;
        st->rtt_t_ns[st->n_rtt] = r->sent_ns;
        st->rtt_ms[st->n_rtt++] = pc_ns_to_ms(r->rtt_ns);
    }
    if (st->sent > 0) {
        st->loss_pct = 100.0 * (double)st->lost / (double)st->sent;
        pc_stats_wilson95(st->lost, st->sent, &low, &high);
        st->loss_low_pct = 100.0 * low;
        st->loss_high_pct = 100.0 * high;
        st->burst_loss_pct = worst_burst(v, n);
    }
    if (st->n_rtt > 0)
        rtt_figures(st);
    free(v);
    return 0;
}

void pc_stun_stats_free(struct pc_stun_stats *st)
{
    free(st->rtt_ms);
    free(st->rtt_t_ns);
    st->rtt_ms = NULL;
    st->rtt_t_ns = NULL;
    st->n_rtt = 0;
}

/* Which figure of the STUN statistics each metric takes. */
static const struct {
    enum pc_metric metric;
    size_t offset;
    int count; /* an unsigned long field; otherwise a double */
} stat_map[] = {
    {PC_M_PROBES_SENT, offsetof(struct pc_stun_stats, sent), 1},
    {PC_M_PROBES_ANSWERED, offsetof(struct pc_stun_stats, answered), 1},
    {PC_M_PROBES_LOST, offsetof(struct pc_stun_stats, lost), 1},
    {PC_M_LATE, offsetof(struct pc_stun_stats, late), 1},
    {PC_M_DUPLICATES, offsetof(struct pc_stun_stats, duplicates), 1},
    {PC_M_REORDERED, offsetof(struct pc_stun_stats, reordered), 1},
    {PC_M_SEND_FAILED, offsetof(struct pc_stun_stats, send_failed), 1},
    {PC_M_LOSS_PCT, offsetof(struct pc_stun_stats, loss_pct), 0},
    {PC_M_LOSS_LOW_PCT, offsetof(struct pc_stun_stats, loss_low_pct), 0},
    {PC_M_LOSS_HIGH_PCT, offsetof(struct pc_stun_stats, loss_high_pct), 0},
    {PC_M_BURST_LOSS_PCT, offsetof(struct pc_stun_stats, burst_loss_pct), 0},
    {PC_M_RTT_MEDIAN_MS, offsetof(struct pc_stun_stats, rtt_median_ms), 0},
    {PC_M_RTT_MIN_MS, offsetof(struct pc_stun_stats, rtt_min_ms), 0},
    {PC_M_RTT_P90_MS, offsetof(struct pc_stun_stats, rtt_p90_ms), 0},
    {PC_M_RTT_P99_MS, offsetof(struct pc_stun_stats, rtt_p99_ms), 0},
    {PC_M_RTT_MAX_MS, offsetof(struct pc_stun_stats, rtt_max_ms), 0},
    {PC_M_JITTER_MS, offsetof(struct pc_stun_stats, jitter_ms), 0},
    {PC_M_JITTER_RFC3550_MS, offsetof(struct pc_stun_stats, jitter_rfc3550_ms), 0},
    {PC_M_PDV_P95_MS, offsetof(struct pc_stun_stats, pdv_p95_ms), 0},
};

void pc_stun_stats_report(struct pc_report *r, size_t scope, const struct pc_stun_stats *st)
{
    for (size_t i = 0; i < sizeof(stat_map) / sizeof(stat_map[0]); i++) {
        const char *field = (const char *)st + stat_map[i].offset;
        double v = stat_map[i].count ? (double)*(const unsigned long *)(const void *)field
                                     : *(const double *)(const void *)field;

        pc_report_set_num(r, scope, stat_map[i].metric, v);
    }
    for (size_t i = 0; i < st->n_rtt; i++)
        pc_report_series_add(r, scope, PC_M_RTT_MS, st->rtt_t_ns[i], st->rtt_ms[i]);
}

int pc_stun_stats_server_loss(const struct pc_stun_stats *a, const struct pc_stun_stats *b)
{
    return a->sent >= PC_SERVER_LOSS_MIN_SENT && b->sent >= PC_SERVER_LOSS_MIN_SENT &&
           b->loss_high_pct < a->loss_low_pct;
}
