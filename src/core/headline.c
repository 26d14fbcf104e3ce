/* headline.c - the last step of scoring: the verdict in one line (see precall/headline.h). */
#include <stdio.h>
#include <string.h>

#include "precall/buf.h"
#include "precall/headline.h"
#include "precall/score.h"

/* The first advice that names a cause of its own, or NULL. */
static const struct pc_advice *first_cause(const struct pc_report *r)
{
    for (size_t i = 0; i < r->n_advice; i++)
        if (r->advice[i].cause[0] != '\0')
            return &r->advice[i];
    return NULL;
}

/*
 * "Devices: " before a headline that covers part of what a call needs, which
 * goes on as a sentence: "Devices: ready for HD video", "Devices: ready for
 * audio only".
 */
static void covers(struct pc_report *r)
{
    char whole[sizeof(r->headline)];

    if (r->covers == NULL || r->covers[0] == '\0')
        return;
    if (strcmp(r->headline, pc_score_verdict_label(PC_TIER_AUDIO)) == 0)
        snprintf(whole, sizeof(whole), "ready for audio only");
    else
        snprintf(whole, sizeof(whole), "%s", r->headline);
    if (whole[0] >= 'A' && whole[0] <= 'Z')
        whole[0] = (char)(whole[0] - 'A' + 'a');
    pc_strfmt(r->headline, sizeof(r->headline), "%s: %s", r->covers, whole);
}

void pc_headline_write(struct pc_report *r, int gated)
{
    const struct pc_advice *a = first_cause(r);
    int reached = pc_score_measured_tier(r); /* what the checks made reach */
    char *h = r->headline;
    size_t cap = sizeof(r->headline);

    r->cause[0] = '\0';
    if (a != NULL && (reached == PC_TIER_NONE || !a->about_network))
        snprintf(r->cause, sizeof(r->cause), "%s", a->id);
    else
        a = NULL;
    if (r->interrupted)
        snprintf(h, cap, "No verdict: the check was interrupted before it finished");
    else if (a != NULL)
        pc_strfmt(h, cap, "%s: %s", a->about_network ? "Not ready" : "No verdict", a->cause);
    else if (gated == 0)
        snprintf(h, cap, "No verdict: nothing was checked");
    else if (r->partial && reached == PC_TIER_HD)
        snprintf(h, cap, "Partial check: no problem found in what was checked");
    else if (r->partial && reached > PC_TIER_NONE) /* the checks not made can only lower it */
        snprintf(h, cap, "Partial check: at best %s", pc_tier_short_label(reached));
    else
        snprintf(h, cap, "%s", pc_score_verdict_label(r->tier));
    /* Without a verdict nothing is promised: the tier says so too. */
    if (r->interrupted || gated == 0 || (a != NULL && !a->about_network))
        r->tier = PC_TIER_NONE;
    r->reached = reached;
    r->no_verdict = !r->interrupted && (gated == 0 || (a != NULL && !a->about_network));
    covers(r);
}
