/* risk.c - the conditional risks and their rules (see precall/risk.h). */
#include <string.h>

#include "precall/buf.h"
#include "precall/risk.h"
#include "precall/tier.h"

static const struct pc_risk_rule rules[] = {
    {.id = "bufferbloat",
     .metric = PC_M_BUFFERBLOAT_MS,
     .level = PC_AL_BUFFERBLOAT_RISK_MS,
     .text = "{tier} now; if someone else uploads or downloads during the session, expect long "
             "delays (the line adds {value} when full).",
     .advice = "Ask others on your network not to upload or download large files during the "
               "session, or turn on smart queue management (SQM, also called fq_codel or CAKE) "
               "in your router's settings, which keeps the delay short when the line is full."},
};

const struct pc_risk_rule *pc_risk_rules(size_t *n)
{
    *n = sizeof(rules) / sizeof(rules[0]);
    return rules;
}

/* The rule's text with {tier} and {value} filled in. */
static void expand(const struct pc_risk_rule *ru, int tier, double value, char *buf, size_t cap)
{
    char piece[64];
    size_t n = 0;

    buf[0] = '\0';
    for (const char *t = ru->text; *t != '\0' && n + 1 < cap;) {
        if (strncmp(t, "{tier}", 6) == 0) {
            pc_strfmt(piece, sizeof(piece), "%s", pc_tier_short_label(tier));
            t += 6;
        } else if (strncmp(t, "{value}", 7) == 0) {
            pc_strfmt(piece, sizeof(piece), "%.0f %s", value, pc_metric_def(ru->metric)->unit);
            t += 7;
        } else {
            piece[0] = *t++;
            piece[1] = '\0';
        }
        pc_strfmt(buf + n, cap - n, "%s", piece);
        n += strlen(buf + n);
    }
}

void pc_risks_build(struct pc_report *r, const struct pc_profile *p)
{
    r->n_risks = 0;
    if (r->tier < PC_TIER_AUDIO)
        return;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]) && r->n_risks < PC_RISKS_MAX; i++) {
        const struct pc_value *v = pc_report_get(r, PC_SCOPE_RUN_ID, rules[i].metric);
        struct pc_risk *rk;

        if (!v->set || !(v->num >= p->advice[rules[i].level]))
            continue;
        rk = &r->risks[r->n_risks++];
        rk->id = rules[i].id;
        rk->metric = rules[i].metric;
        rk->value = v->num;
        rk->level = p->advice[rules[i].level];
        rk->advice = rules[i].advice;
        expand(&rules[i], r->tier, v->num, rk->text, sizeof(rk->text));
    }
}
