/* test_emodel.c - the E-model worked examples of docs/thresholds.md and its bands. */
#include "check.h"
#include "precall/emodel.h"

int main(void)
{
    double r;

    /* RTT 60 ms, jitter 8 ms, loss 0.5 % -> EL 86, R 89.8, MOS 4.33. */
    r = pc_emodel_r(60, 8, 0.5);
    CHECK_NEAR(r, 89.8, 0.05);
    CHECK_NEAR(pc_emodel_mos(r), 4.33, 0.005);
    /* RTT 95, jitter 22, loss 1.8 -> R 85.0, MOS 4.20. */
    r = pc_emodel_r(95, 22, 1.8);
    CHECK_NEAR(r, 85.0, 0.05);
    CHECK_NEAR(pc_emodel_mos(r), 4.20, 0.005);
    /* The second branch, EL >= 160: RTT 300, jitter 20 -> EL 350, R 93.2 - 23 = 70.2. */
    CHECK_NEAR(pc_emodel_r(300, 20, 0), 70.2, 1e-9);
    /* Both branches meet near EL 160 without a jump larger than the slope change. */
    CHECK(pc_emodel_r(149.9, 0, 0) - pc_emodel_r(150.1, 0, 0) < 0.5);
    /* Clamping. */
    CHECK_NEAR(pc_emodel_r(5000, 0, 0), 0, 1e-12);
    CHECK_NEAR(pc_emodel_r(0, 0, 100), 0, 1e-12);
    CHECK_NEAR(pc_emodel_mos(0), 1.0, 1e-12);
    CHECK_NEAR(pc_emodel_mos(100), 4.5, 1e-12);
    /* The MOS bands of docs/thresholds.md: R 80 -> 4.02, R 70 -> 3.60, R 60 -> 3.10. */
    CHECK_NEAR(pc_emodel_mos(80), 4.02, 0.005);
    CHECK_NEAR(pc_emodel_mos(70), 3.60, 0.005);
    CHECK_NEAR(pc_emodel_mos(60), 3.10, 0.005);
    /* MOS rises with R over the whole range: no value falls out of order. */
    for (int i = 1; i <= 1000; i++)
        CHECK(pc_emodel_mos(i / 10.0) >= pc_emodel_mos((i - 1) / 10.0));
    return check_done();
}
