/*
 * devices.c - the 'devices' probe: cameras, microphones and speakers.
 *
 * The camera a call would use (the first video capture node) is opened
 * and must deliver frames at its largest size offered at 15 fps or more;
 * its last frame is judged for brightness and backlight. Meanwhile, on a
 * thread of its own, the default microphone is sampled for about a second
 * (at most the probe's window) for its levels and the room's background
 * level, and the speakers are listed. Each device is a scope: "camera",
 * "microphone" and "speaker" are the ones a call would use and are scored;
 * further cameras are listed for support staff. What a device lacks is
 * recorded as a value (camera_video_height_px 0, mic_present false), so a
 * missing device is scored, not overlooked.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "precall/buf.h"
#include "precall/cause.h"
#include "precall/clock.h"
#include "precall/probe.h"
#include "probe/audio.h"
#include "probe/camera.h"

#define MIC_SAMPLE_S 1.0

struct mic_job {
    struct pc_audio audio;
    double seconds;
    int64_t deadline_ns;
};

static void *mic_main(void *arg)
{
    struct mic_job *j = arg;

    pc_audio_probe(&j->audio, j->seconds, j->deadline_ns);
    return NULL;
}

static void text(struct pc_report *r, int sc, enum pc_metric m, const char *s)
{
    if (s != NULL && s[0] != '\0')
        pc_report_set_text(r, (size_t)sc, m, s);
}

static void camera_values(struct pc_report *r, int sc, const struct pc_camera *c)
{
    text(r, sc, PC_M_DEVICE_NAME, c->name);
    text(r, sc, PC_M_DEVICE_DRIVER, c->driver);
    text(r, sc, PC_M_DEVICE_BUS, c->bus);
    text(r, sc, PC_M_CAMERA_STATE, pc_camera_state_name(c->state));
    text(r, sc, PC_M_CAMERA_FORMATS, c->formats);
    if (c->max_w > 0) {
        pc_report_set_num(r, (size_t)sc, PC_M_CAMERA_MAX_WIDTH_PX, c->max_w);
        pc_report_set_num(r, (size_t)sc, PC_M_CAMERA_MAX_HEIGHT_PX, c->max_h);
    }
}

/* The camera a call would use: scored on the video it delivers. */
static const char *default_camera(struct pc_probe_ctx *ctx, struct pc_camera *cams, size_t n)
{
    struct pc_report *r = ctx->report;
    struct pc_camera *c = n > 0 ? &cams[0] : NULL;
    char label[200];
    int sc;

    if (c == NULL) {
        sc = pc_report_scope(r, PC_SCOPE_DEVICE, "camera", "Camera (none found)");
        if (sc < 0)
            return "no camera";
        pc_report_set_text(r, (size_t)sc, PC_M_CAMERA_STATE, "missing");
        pc_report_set_num(r, (size_t)sc, PC_M_CAMERA_VIDEO_HEIGHT_PX, 0);
        return "no camera found";
    }
    if (c->state == PC_CAMERA_OK)
        pc_camera_grab(ctx->cfg->sysroot, ctx->cfg->v4l2 ? ctx->cfg->v4l2 : pc_v4l2_system(), c,
                       ctx->deadline_ns);
    snprintf(label, sizeof(label), "Camera: %s (%s)", c->name[0] ? c->name : "unnamed", c->path);
    sc = pc_report_scope(r, PC_SCOPE_DEVICE, "camera", label);
    if (sc < 0)
        return "camera";
    camera_values(r, sc, c);
    pc_report_set_num(r, (size_t)sc, PC_M_CAMERA_VIDEO_HEIGHT_PX, c->delivered ? c->frame_h : 0);
    if (c->delivered)
        pc_probe_figure(ctx, (size_t)sc, PC_M_CAMERA_VIDEO_HEIGHT_PX, c->frame_h);
    if (c->picture.analysed) {
        pc_report_set_num(r, (size_t)sc, PC_M_CAMERA_LUMA, c->picture.luma);
        if (!isnan(c->picture.ratio))
            pc_report_set_num(r, (size_t)sc, PC_M_CAMERA_BACKLIGHT_RATIO, c->picture.ratio);
        pc_report_set_num(r, (size_t)sc, PC_M_CAMERA_BORDER_LUMA, c->picture.border);
    }
    return NULL;
}

static void microphone(struct pc_probe_ctx *ctx, const struct pc_audio *a)
{
    struct pc_report *r = ctx->report;
    const struct pc_levels *l = &a->levels;
    char label[200];
    int sc;

    if (a->default_capture)
        snprintf(label, sizeof(label), "Microphone: %s", a->capture[0].desc);
    else
        snprintf(label, sizeof(label), "Microphone (%s)",
                 a->mic == PC_MIC_MISSING ? "none found" : pc_mic_state_name(a->mic));
    if ((sc = pc_report_scope(r, PC_SCOPE_DEVICE, "microphone", label)) < 0)
        return;
    if (a->default_capture)
        text(r, sc, PC_M_DEVICE_NAME, a->capture[0].desc);
    text(r, sc, PC_M_MIC_STATE, pc_mic_state_name(a->mic));
    pc_report_set_num(r, (size_t)sc, PC_M_MIC_PRESENT, a->mic != PC_MIC_MISSING);
    if (a->mic != PC_MIC_MISSING)
        pc_report_set_num(r, (size_t)sc, PC_M_MIC_HEARS_SOUND, a->mic == PC_MIC_OK);
    if (!a->captured)
        return;
    pc_report_set_num(r, (size_t)sc, PC_M_MIC_PEAK_DBFS, l->peak_dbfs);
    pc_report_set_num(r, (size_t)sc, PC_M_MIC_RMS_DBFS, l->rms_dbfs);
    pc_report_set_num(r, (size_t)sc, PC_M_MIC_CLIPPED_PCT, l->clipped_pct);
    pc_report_set_num(r, (size_t)sc, PC_M_ROOM_NOISE_DBFS, l->background_dbfs);
    pc_probe_figure(ctx, (size_t)sc, PC_M_MIC_RMS_DBFS, l->rms_dbfs);
}

static void speaker(struct pc_probe_ctx *ctx, const struct pc_audio *a)
{
    struct pc_report *r = ctx->report;
    char label[200];
    int sc;

    if (a->n_playback > 0)
        snprintf(label, sizeof(label), "Speaker: %s", a->playback[0].desc);
    else
        snprintf(label, sizeof(label), "Speaker (none found)");
    if ((sc = pc_report_scope(r, PC_SCOPE_DEVICE, "speaker", label)) < 0)
        return;
    if (a->n_playback > 0)
        text(r, sc, PC_M_DEVICE_NAME, a->playback[0].desc);
    pc_report_set_num(r, (size_t)sc, PC_M_SPEAKER_PRESENT, a->n_playback > 0);
}

static int run(struct pc_probe_ctx *ctx)
{
    struct pc_report *r = ctx->report;
    struct pc_camera cams[PC_CAMERAS_MAX];
    struct mic_job mic = {.deadline_ns = pc_probe_window_end(ctx)};
    const struct pc_v4l2_ops *ops = ctx->cfg->v4l2 ? ctx->cfg->v4l2 : pc_v4l2_system();
    const char *cam_note = NULL;
    char cam_why[220] = "", summary[400];
    pthread_t thread;
    int threaded;
    size_t n = 0;

    if (!pc_camera_supported() && !pc_audio_supported()) {
        pc_probe_finish(ctx, PC_STATUS_SKIPPED, pc_cause_id(PC_CAUSE_NOT_SUPPORTED),
                        "skipped: not supported on this system");
        return 0;
    }
    mic.seconds = (double)(mic.deadline_ns - pc_clock_now_ns()) / 1e9 - 0.1;
    if (mic.seconds > MIC_SAMPLE_S)
        mic.seconds = MIC_SAMPLE_S;
    if (mic.seconds < 0.1)
        mic.seconds = 0.1;
    pc_probe_phase(ctx, "devices");
    threaded = pc_audio_supported() && pthread_create(&thread, NULL, mic_main, &mic) == 0;
    if (pc_camera_supported() && ops != NULL) {
        n = pc_camera_list(ctx->cfg->sysroot, ops, cams, PC_CAMERAS_MAX);
        cam_note = default_camera(ctx, cams, n);
        for (size_t i = 1; i < n; i++) {
            char id[80], label[200];
            int sc;

            snprintf(id, sizeof(id), "camera:%s", cams[i].path);
            snprintf(label, sizeof(label), "Other camera: %s (%s)",
                     cams[i].name[0] ? cams[i].name : "unnamed", cams[i].path);
            if ((sc = pc_report_scope(r, PC_SCOPE_DEVICE, id, label)) >= 0)
                camera_values(r, sc, &cams[i]);
        }
        pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_CAMERA_COUNT, (double)n);
        if (n > 0 && cams[0].state != PC_CAMERA_OK)
            snprintf(cam_why, sizeof(cam_why), "%s", cams[0].why);
        else if (n > 0)
            snprintf(cam_why, sizeof(cam_why), "camera delivers %dx%d%s%s", cams[0].frame_w,
                     cams[0].frame_h, cams[0].picture.analysed ? "" : "; picture ",
                     cams[0].picture.analysed ? "" : cams[0].picture.why);
        else
            snprintf(cam_why, sizeof(cam_why), "%s", cam_note);
    } else {
        snprintf(cam_why, sizeof(cam_why), "cameras skipped: not supported on this system");
    }
    if (threaded) {
        pthread_join(thread, NULL);
        microphone(ctx, &mic.audio);
        speaker(ctx, &mic.audio);
        pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_MIC_COUNT, (double)mic.audio.n_capture);
        pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_SPEAKER_COUNT, (double)mic.audio.n_playback);
        pc_strfmt(ctx->result->method, sizeof(ctx->result->method),
                  "V4L2: /dev/video* (QUERYCAP, ENUM_FMT/FRAMESIZES/FRAMEINTERVALS), frames from "
                  "the first camera for 0.3 s, the last one judged; %s",
                  mic.audio.method);
    } else {
        pc_audio_probe(&mic.audio, 0, 0); /* says why there is no audio */
        pc_strfmt(ctx->result->method, sizeof(ctx->result->method),
                  "V4L2: /dev/video* (QUERYCAP, ENUM_FMT/FRAMESIZES/FRAMEINTERVALS), frames from "
                  "the first camera for 0.3 s, the last one judged; microphones %s",
                  mic.audio.why);
    }
    pc_strfmt(summary, sizeof(summary), "%s; microphone: %s%s%s", cam_why,
              mic.audio.supported ? pc_mic_state_name(mic.audio.mic) : mic.audio.why,
              mic.audio.why[0] && mic.audio.supported && mic.audio.mic != PC_MIC_OK ? " - " : "",
              mic.audio.supported && mic.audio.mic != PC_MIC_OK ? mic.audio.why : "");
    pc_probe_finish(ctx, PC_STATUS_OK, "", "%s", summary);
    return 0;
}

const struct pc_probe pc_probe_devices = {
    .name = "devices",
    .summary = "cameras (formats, largest size, frames, picture), microphone level and room "
               "noise, speakers",
    .activity = "Trying the camera and microphone",
    .phase = 0,
    .budget_share = 0.15,
    .run = run,
    .overlap = 1,
};
