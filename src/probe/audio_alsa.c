/*
 * audio_alsa.c - microphones and speakers through ALSA (see audio.h).
 *
 * Devices: ALSA's "default" PCM first (when it opens for the stream), then
 * every card's PCM devices for that stream (snd_ctl_pcm_next_device).
 * The sample: "default" opened non-blocking for capture, S16_LE mono at
 * 48 kHz through ALSA's conversions (snd_pcm_set_params with resampling),
 * read a period at a time until about the requested time has been captured
 * or the deadline. (alsa-lib 1.2.8's file plugin, which the tests use,
 * fills a read larger than its buffer with nothing from its infile.)
 * Open errors name the state: ENOENT/ENODEV (no device) missing, EBUSY
 * busy, EACCES/EPERM no permission; ENOENT while /dev/snd holds devices
 * this user cannot open is a permission problem too. ALSA's own messages
 * on stderr are silenced.
 */
#define _GNU_SOURCE
#include <alsa/asoundlib.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "precall/clock.h"
#include "probe/audio.h"

#define RATE       48000
#define LATENCY_US 100000

int pc_audio_supported(void)
{
    return 1;
}

const char *pc_mic_state_name(enum pc_mic_state s)
{
    static const char *const names[] = {"ok",     "missing", "busy", "no-permission",
                                        "silent", "failed"};

    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "failed";
}

static void quiet_handler(const char *file, int line, const char *function, int err,
                          const char *fmt, ...)
{
    (void)file;
    (void)line;
    (void)function;
    (void)err;
    (void)fmt;
}

/* Sound devices exist in /dev/snd but this user may not open them. */
static int snd_denied(void)
{
    DIR *d = opendir("/dev/snd");
    struct dirent *e;
    int denied = 0;

    if (d == NULL)
        return errno == EACCES;
    while ((e = readdir(d)) != NULL) {
        char p[300];

        if (strncmp(e->d_name, "pcmC", 4) != 0 && strncmp(e->d_name, "controlC", 8) != 0)
            continue;
        snprintf(p, sizeof(p), "/dev/snd/%s", e->d_name);
        if (access(p, R_OK | W_OK) != 0 && (errno == EACCES || errno == EPERM))
            denied = 1;
    }
    closedir(d);
    return denied;
}

static void list_cards(snd_pcm_stream_t stream, struct pc_audio_dev *devs, size_t *n)
{
    int card = -1;

    while (snd_card_next(&card) == 0 && card >= 0 && *n < PC_AUDIO_DEVS_MAX) {
        char hw[32];
        snd_ctl_t *ctl;
        snd_ctl_card_info_t *info;
        int dev = -1;

        snprintf(hw, sizeof(hw), "hw:%d", card);
        if (snd_ctl_open(&ctl, hw, SND_CTL_NONBLOCK) < 0)
            continue;
        snd_ctl_card_info_alloca(&info);
        if (snd_ctl_card_info(ctl, info) < 0) {
            snd_ctl_close(ctl);
            continue;
        }
        while (snd_ctl_pcm_next_device(ctl, &dev) == 0 && dev >= 0 && *n < PC_AUDIO_DEVS_MAX) {
            snd_pcm_info_t *pi;

            snd_pcm_info_alloca(&pi);
            snd_pcm_info_set_device(pi, (unsigned)dev);
            snd_pcm_info_set_subdevice(pi, 0);
            snd_pcm_info_set_stream(pi, stream);
            if (snd_ctl_pcm_info(ctl, pi) < 0)
                continue;
            snprintf(devs[*n].name, sizeof(devs[*n].name), "hw:%d,%d", card, dev);
            snprintf(devs[*n].desc, sizeof(devs[*n].desc), "%s: %s",
                     snd_ctl_card_info_get_name(info), snd_pcm_info_get_name(pi));
            (*n)++;
        }
        snd_ctl_close(ctl);
    }
}

static enum pc_mic_state open_state(int err)
{
    if (err == -EBUSY || err == -EAGAIN)
        return PC_MIC_BUSY;
    if (err == -EACCES || err == -EPERM || ((err == -ENOENT || err == -ENODEV) && snd_denied()))
        return PC_MIC_NO_PERMISSION;
    if (err == -ENOENT || err == -ENODEV || err == -ENXIO)
        return PC_MIC_MISSING;
    return PC_MIC_FAILED;
}

static void capture(struct pc_audio *a, snd_pcm_t *pcm, double seconds, int64_t deadline_ns)
{
    size_t want = (size_t)(seconds * RATE), got = 0;
    snd_pcm_uframes_t buffer_size = 0, period = 0;
    int16_t *buf = malloc(want * sizeof(*buf));
    int rc;

    a->rate = RATE;
    if (buf == NULL) {
        a->mic = PC_MIC_FAILED;
        snprintf(a->why, sizeof(a->why), "out of memory");
        return;
    }
    rc = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, RATE, 1,
                            LATENCY_US);
    if (rc < 0) {
        a->mic = rc == -EBUSY ? PC_MIC_BUSY : PC_MIC_FAILED;
        a->err = -rc;
        snprintf(a->why, sizeof(a->why), "the default microphone cannot record 16-bit mono: %s",
                 snd_strerror(rc));
        free(buf);
        return;
    }
    /* Read a period at a time: the file plugin (and some drivers) refuse larger reads. */
    if (snd_pcm_get_params(pcm, &buffer_size, &period) < 0 || period == 0)
        period = 1024;
    snd_pcm_start(pcm);
    while (got < want) {
        int64_t left = deadline_ns - pc_clock_now_ns();
        snd_pcm_sframes_t n;

        if (left <= 0)
            break;
        n = snd_pcm_readi(pcm, buf + got, want - got < period ? want - got : period);
        if (n == -EAGAIN) {
            snd_pcm_wait(pcm, (int)(left / PC_NS_PER_MS < 200 ? left / PC_NS_PER_MS + 1 : 200));
            continue;
        }
        if (n == -EPIPE || n == -ESTRPIPE || n == -EINTR) {
            if (snd_pcm_recover(pcm, (int)n, 1) < 0)
                break;
            continue;
        }
        if (n < 0) {
            a->err = (int)-n;
            break;
        }
        got += (size_t)n;
    }
    if (got < (size_t)(RATE * 0.05)) {
        a->mic = PC_MIC_FAILED;
        snprintf(a->why, sizeof(a->why), "the default microphone gave %s",
                 a->err ? snd_strerror(-a->err) : "no sound data in time");
        free(buf);
        return;
    }
    pc_levels_compute(buf, got, RATE, &a->levels);
    a->captured = 1;
    a->mic = a->levels.silent ? PC_MIC_SILENT : PC_MIC_OK;
    if (a->levels.silent)
        snprintf(a->why, sizeof(a->why), "the default microphone gave silence for %.1f s",
                 (double)got / RATE);
    free(buf);
}

void pc_audio_probe(struct pc_audio *a, double seconds, int64_t deadline_ns)
{
    snd_pcm_t *pcm = NULL;
    int rc;

    memset(a, 0, sizeof(*a));
    a->supported = 1;
    snd_lib_error_set_handler(quiet_handler);
    snprintf(a->method, sizeof(a->method),
             "ALSA %s: the 'default' PCM (capture %.1f s, S16_LE mono %d Hz) and each card's "
             "PCM devices",
             snd_asoundlib_version(), seconds, RATE);
    /* Speakers: does the default playback device open? */
    if (snd_pcm_open(&pcm, "default", SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK) == 0) {
        a->default_playback = 1;
        snprintf(a->playback[a->n_playback].name, sizeof(a->playback[0].name), "default");
        snprintf(a->playback[a->n_playback++].desc, sizeof(a->playback[0].desc), "%s",
                 snd_pcm_name(pcm));
        snd_pcm_close(pcm);
    }
    list_cards(SND_PCM_STREAM_PLAYBACK, a->playback, &a->n_playback);
    rc = snd_pcm_open(&pcm, "default", SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK);
    if (rc == 0) {
        a->default_capture = 1;
        snprintf(a->capture[a->n_capture].name, sizeof(a->capture[0].name), "default");
        snprintf(a->capture[a->n_capture++].desc, sizeof(a->capture[0].desc), "%s",
                 snd_pcm_name(pcm));
    }
    list_cards(SND_PCM_STREAM_CAPTURE, a->capture, &a->n_capture);
    if (rc < 0) {
        a->mic = open_state(rc);
        a->err = -rc;
        if (a->mic == PC_MIC_NO_PERMISSION)
            snprintf(a->why, sizeof(a->why),
                     "no permission to use the sound devices (%s); the user needs to be in the "
                     "'audio' group or logged in at the computer",
                     snd_strerror(rc));
        else if (a->mic == PC_MIC_BUSY)
            snprintf(a->why, sizeof(a->why), "the microphone is in use by another application (%s)",
                     snd_strerror(rc));
        else
            snprintf(a->why, sizeof(a->why), "%s (ALSA's default capture device: %s)",
                     a->mic == PC_MIC_MISSING ? "no microphone" : "the microphone cannot be opened",
                     snd_strerror(rc));
    } else {
        capture(a, pcm, seconds, deadline_ns);
        snd_pcm_close(pcm);
    }
    snd_config_update_free_global();
}
