/* emodel.c - the simplified E-model (docs/thresholds.md, "Call quality"). */
#include <math.h>

#include "precall/emodel.h"

double pc_emodel_r(double rtt_ms, double jitter_ms, double loss_pct)
{
    double el = rtt_ms + 2.0 * jitter_ms + 10.0;
    double r;

    if (el < 160.0)
        r = 93.2 - el / 40.0;
    else
        r = 93.2 - (el - 120.0) / 10.0;
    r -= 2.5 * loss_pct;
    if (r < 0)
        r = 0;
    if (r > 100)
        r = 100;
    return r;
}

double pc_emodel_mos(double r)
{
    double mos;

    if (r <= 0)
        return 1.0;
    if (r >= 100)
        return 4.5;
    mos = 1.0 + 0.035 * r + 7e-6 * r * (r - 60.0) * (100.0 - r);
    return mos < 1.0 ? 1.0 : mos; /* the cubic dips below 1 for R under about 6.5 */
}

double pc_emodel_oneway_loss(double roundtrip_pct)
{
    double l = roundtrip_pct / 100.0;

    if (!(l > 0))
        return 0.0;
    if (l >= 1)
        return 100.0;
    return 100.0 * (1.0 - sqrt(1.0 - l));
}
