/* derive.c - figures computed from other figures (see precall/derive.h). */
#include <math.h>
#include <string.h>

#include "precall/derive.h"
#include "precall/emodel.h"

const char *pc_derive_grade(const struct pc_profile *p, double bufferbloat_ms)
{
    int i = 0;

    while (i < PC_GRADES && !(bufferbloat_ms < p->grade_below_ms[i]))
        i++;
    return pc_profile_grade(i);
}

/*
 * The one-way estimate of each round-trip loss figure: a probe is lost when
 * its request or its answer is, so under symmetric independent loss the
 * round trip loses 1 - (1 - l)^2 of what one way loses l.
 */
static void oneway(struct pc_report *r, size_t scope)
{
    static const enum pc_metric pairs[][2] = {
        {PC_M_LOSS_PCT, PC_M_LOSS_ONEWAY_PCT},
        {PC_M_LOSS_LOW_PCT, PC_M_LOSS_ONEWAY_LOW_PCT},
        {PC_M_LOSS_HIGH_PCT, PC_M_LOSS_ONEWAY_HIGH_PCT},
        {PC_M_BURST_LOSS_PCT, PC_M_BURST_LOSS_ONEWAY_PCT},
    };

    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        const struct pc_value *rt = pc_report_get(r, scope, pairs[i][0]);

        if (rt->set)
            pc_report_derive_num(r, scope, pairs[i][1], pc_emodel_oneway_loss(rt->num));
    }
}

/* The one-way delay of the run, if both directions take alike: half the idle round trip. */
static void delay(struct pc_report *r)
{
    const struct pc_value *rtt = pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_RTT_MEDIAN_MS);

    if (rtt->set)
        pc_report_derive_num(r, PC_SCOPE_RUN_ID, PC_M_DELAY_ONEWAY_MS, rtt->num / 2.0);
}

static void emodel(struct pc_report *r, size_t scope)
{
    const struct pc_value *rtt = pc_report_get(r, scope, PC_M_RTT_MEDIAN_MS);
    const struct pc_value *jit = pc_report_get(r, scope, PC_M_JITTER_MS);
    const struct pc_value *loss = pc_report_get(r, scope, PC_M_LOSS_ONEWAY_PCT);
    double rf;

    if (!rtt->set || !jit->set || !loss->set)
        return;
    rf = pc_emodel_r(rtt->num, jit->num, loss->num);
    pc_report_derive_num(r, scope, PC_M_R_FACTOR, rf);
    pc_report_derive_num(r, scope, PC_M_MOS, pc_emodel_mos(rf));
}

/* The median RTT of a phase scope, or NAN. */
static double phase_rtt(const struct pc_report *r, const char *phase)
{
    int sc = pc_report_scope_find(r, PC_SCOPE_PHASE, phase);
    const struct pc_value *v;

    if (sc < 0)
        return NAN;
    v = pc_report_get(r, (size_t)sc, PC_M_RTT_MEDIAN_MS);
    return v->set ? v->num : NAN;
}

static void bufferbloat(struct pc_report *r, const struct pc_profile *p)
{
    static const char *const loaded[] = {"download", "upload"};
    const struct pc_value *run = pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_RTT_MEDIAN_MS);
    double idle = phase_rtt(r, "idle"), worst = NAN;

    if (isnan(idle) && run->set)
        idle = run->num;
    if (isnan(idle))
        return;
    for (size_t i = 0; i < sizeof(loaded) / sizeof(loaded[0]); i++) {
        double rise = phase_rtt(r, loaded[i]) - idle;

        if (!isnan(rise) && (isnan(worst) || rise > worst))
            worst = rise;
    }
    if (isnan(worst))
        return;
    if (worst < 0)
        worst = 0;
    pc_report_derive_num(r, PC_SCOPE_RUN_ID, PC_M_BUFFERBLOAT_MS, worst);
    pc_report_derive_text(r, PC_SCOPE_RUN_ID, PC_M_BUFFERBLOAT_GRADE, pc_derive_grade(p, worst));
}

/*
 * A camera's picture is backlit when the face region (the centre third) is
 * darker than the profile's share of the background while the background is
 * brighter than its level: a window or lamp behind the person.
 */
static void backlit(struct pc_report *r, size_t scope, const struct pc_profile *p)
{
    const struct pc_value *ratio = pc_report_get(r, scope, PC_M_CAMERA_BACKLIGHT_RATIO);
    const struct pc_value *border = pc_report_get(r, scope, PC_M_CAMERA_BORDER_LUMA);

    if (!ratio->set || !border->set)
        return;
    pc_report_derive_num(r, scope, PC_M_CAMERA_BACKLIT,
                         border->num > p->advice[PC_AL_BACKLIT_BORDER_LUMA] &&
                             ratio->num < p->advice[PC_AL_BACKLIT_RATIO]);
}

void pc_derive_report(struct pc_report *r, const struct pc_profile *p)
{
    for (size_t i = 0; i < r->n_scopes; i++) {
        oneway(r, i);
        emodel(r, i);
        backlit(r, i, p);
    }
    delay(r);
    bufferbloat(r, p);
}
