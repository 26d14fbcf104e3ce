/*
 * score_capture.c - the scoring pipeline for a capture's report (see
 * precall/score.h): pc_score_report()'s steps, and between scoring and
 * advice what the capture holds but could not be measured, which the
 * scoring step does not know of.
 */
#include "precall/advice.h"
#include "precall/buf.h"
#include "precall/cause.h"
#include "precall/derive.h"
#include "precall/headline.h"
#include "precall/risk.h"
#include "precall/score.h"

/* Leave metric m out of the verdict (partial), as --skip would, when the profile judges it. */
static void leave_out(struct pc_report *r, const struct pc_profile *p, enum pc_metric m)
{
    enum pc_metric k = pc_metric_limit_key(m);

    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
        if (!p->has[k][t])
            continue;
        r->left_out[m] = 1;
        r->partial = 1;
        if (r->tier > t - 1) /* the checks not made can only lower it */
            r->tier = t - 1;
        return;
    }
}

/*
 * A stream judged whose clock rate is not known (no --clock-rate, SDP,
 * static payload type, sound RTCP pair or fit) has no jitter and no
 * dropout figure: they are not checked, and the "rtp" result says why (the
 * "not checked" line gives its reason). Media relayed over TURNS (the
 * "relay-tls" result, its advice media-in-tls) has no figure at all: the
 * verdict from the rest is partial.
 */
void pc_score_capture_unseen(struct pc_report *r, const struct pc_profile *p)
{
    const struct pc_probe_result *tls = pc_report_probe_find(r, "relay-tls");
    struct pc_probe_result *pr;
    size_t n = 0, judged = 0;

    for (size_t i = 0; i < r->n_scopes; i++) {
        judged += r->scopes[i]->kind == PC_SCOPE_STREAM && r->scopes[i]->gates;
        n += r->scopes[i]->kind == PC_SCOPE_STREAM && r->scopes[i]->gates &&
             !r->scopes[i]->values[PC_M_STREAM_JITTER_MS].set;
    }
    /* what the rest of the capture shows stands; only the media inside TLS is missing */
    if (tls != NULL && judged > 0)
        r->partial = 1;
    if (n == 0)
        return;
    leave_out(r, p, PC_M_STREAM_JITTER_MS);
    leave_out(r, p, PC_M_STREAM_GAP_EXCESS_MS);
    if ((pr = pc_report_probe(r, pc_producer_name(PC_PRODUCER_RTP))) == NULL)
        return;
    pc_strfmt(pr->method, sizeof(pr->method), "%zu RTP stream%s judged without a clock rate", n,
              n == 1 ? "" : "s");
    pc_report_finish(r, pr, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_NO_CLOCK_RATE),
                     "no clock rate known for %zu stream%s", n, n == 1 ? "" : "s");
}

void pc_score_capture(struct pc_report *r, const struct pc_profile *p)
{
    int gated;

    pc_derive_report(r, p);
    gated = pc_score_checks(r, p);
    pc_score_capture_unseen(r, p);
    pc_risks_build(r, p);
    pc_advice_build(r, p);
    pc_headline_write(r, gated);
}
