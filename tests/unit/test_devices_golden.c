/*
 * test_devices_golden.c - the 'devices' and 'system' probes end to end, as
 * the runner runs them, on each fixture machine: a sysroot tree of
 * tests/fixtures/sysroot (interface, Wi-Fi, battery, processors, memory,
 * /dev/video* nodes), a camera scenario answered by the V4L2 double, and a
 * microphone sample read by the real libasound (audio_fixture.h). The
 * verdict and the advice, scored with the built-in 'therapy' profile, must
 * match tests/golden/devices/CASE.txt; PRECALL_REGEN=1 rewrites those
 * files on purpose.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio_fixture.h"
#include "check.h"
#include "precall/profile.h"
#include "precall/runner.h"
#include "precall/score.h"
#include "v4l2_double.h"

struct gcase {
    const char *name; /* the sysroot fixture and the golden file */
    struct fake_cam cam[2];
    int n_cams;
    int with_mic;
    enum fx_signal sig;
};

#define CAM(...)                                                                                   \
    {                                                                                              \
        .card = "Test Camera", .n_sizes = 1, .fps = {30}, __VA_ARGS__                              \
    }

static const struct gcase cases[] = {
    /* HD MJPEG camera in a dim room, the metadata node beside it; quiet room. */
    {"wired-laptop",
     {CAM(.node = "video0", .fourcc = V4L2_PIX_FMT_MJPEG, .w = {1280}, .h = {720}, .centre = 55,
          .border = 60),
      {.node = "video1", .metadata = 1, .card = "Test Camera"}},
     2,
     1,
     FX_VOICE_QUIET_ROOM},
    /* SD NV12 camera with a window behind; a voice over a noisy room; weak Wi-Fi, low battery. */
    {"wifi-weak-battery-low",
     {CAM(.node = "video0", .fourcc = V4L2_PIX_FMT_NV12, .w = {640}, .h = {360}, .centre = 70,
          .border = 220)},
     1,
     1,
     FX_VOICE_NOISY_ROOM},
    /* No camera; a muted microphone; VPN; one core and 2 GiB. */
    {"vpn-small-desktop", {{0}}, 0, 1, FX_SILENCE},
    /* A camera busy in another application; a clipping microphone; cellular. */
    {"cellular-v6",
     {CAM(.node = "video0", .fourcc = V4L2_PIX_FMT_YUYV, .w = {1280}, .h = {720},
          .streamon_errno = EBUSY)},
     1,
     1,
     FX_CLIPPED},
    /* A camera this user may not open; no sound devices at all. */
    {"no-route", {CAM(.node = "video0", .open_errno = EACCES)}, 1, 0, FX_SILENCE},
};

static void render(const struct pc_report *r, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "verdict: %s\n", r->headline);

    for (size_t s = 1; s < r->n_scopes && n < cap; s++)
        n += (size_t)snprintf(out + n, cap - n, "scope %s: %s\n", r->scopes[s]->label,
                              r->scopes[s]->tier < 0 ? "not scored"
                                                     : pc_tier_name(r->scopes[s]->tier));
    for (size_t i = 0; i < r->n_advice && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "[%s] %s: %s\n", r->advice[i].id,
                              r->advice[i].severity, r->advice[i].text);
}

static void run_case(const struct gcase *g, const char *tmp, const struct pc_profile *prof)
{
    static const struct pc_probe *const probes[] = {&pc_probe_devices, &pc_probe_system};
    struct fake_v4l2 f = {g->cam, g->n_cams, NULL, 0, 0, 0, 0, 0, {NULL, NULL}, 0, 0, 0, 0};
    struct pc_v4l2_ops ops = fake_ops(&f);
    char root[512], golden[512], got[8192], want[8192] = "";
    struct pc_config cfg = {.budget_ns = 10 * PC_NS_PER_S, .timeout_ns = 20 * PC_NS_PER_S};
    struct pc_run run = {probes, 2, 3u, &cfg, NULL, NULL};
    struct pc_report *r = pc_report_new();
    FILE *fp;
    size_t len;

    snprintf(root, sizeof(root), "%s/%s", PRECALL_SYSROOTS, g->name);
    snprintf(golden, sizeof(golden), "%s/%s.txt", PRECALL_GOLDEN, g->name);
    cfg.sysroot = root;
    cfg.v4l2 = &ops;
    CHECK(fx_audio(tmp, g->name, g->with_mic, g->sig) == 0);
    CHECK(pc_runner_run(&run, r) == 0);
    r->require = PC_TIER_SD;
    pc_score_report(r, prof);
    render(r, got, sizeof(got));
    if (getenv("PRECALL_REGEN") != NULL && (fp = fopen(golden, "w")) != NULL) {
        fputs(got, fp);
        fclose(fp);
    }
    if ((fp = fopen(golden, "r")) != NULL) {
        len = fread(want, 1, sizeof(want) - 1, fp);
        want[len] = '\0';
        fclose(fp);
    }
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "%s: differs from %s; got:\n%s", g->name, golden, got);
        CHECK(0);
    } else {
        CHECK(1);
    }
    CHECK(f.opens == f.closes && f.maps == f.unmaps);
    pc_report_free(r);
}

int main(void)
{
    char tmp[64], cmd[128];
    struct pc_profile prof;
    struct pc_err err = {0};

    snprintf(tmp, sizeof(tmp), "/tmp/precall-golden-XXXXXX");
    if (mkdtemp(tmp) == NULL)
        return 1;
    CHECK(pc_profile_load(PC_PROFILE_DEFAULT, &prof, &err) == 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i], tmp, &prof);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return check_done();
}
