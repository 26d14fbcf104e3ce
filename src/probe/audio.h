/*
 * audio.h - microphones and speakers: list them, take a short sample from
 * the default microphone and measure its levels.
 *
 * Capture goes through ALSA's "default" device, as every application's
 * does, so PipeWire or PulseAudio is used where they own the sound cards
 * (audio_alsa.c, built when libasound is found; audio_none.c says why not
 * otherwise). pc_levels_compute() is pure: samples in, levels out.
 */
#ifndef PRECALL_PROBE_AUDIO_H
#define PRECALL_PROBE_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#define PC_SILENT_PEAK_DBFS (-80.0) /* a peak at or below this for the whole sample: silent */
#define PC_DBFS_FLOOR       (-120.0)
#define PC_AUDIO_DEVS_MAX   8

struct pc_levels {
    size_t samples;
    double peak_dbfs;       /* largest |sample| against full scale */
    double rms_dbfs;        /* of the whole sample, DC removed */
    double clipped_pct;     /* samples at full scale */
    double background_dbfs; /* RMS of the quietest 20 % of 50 ms windows */
    int silent;             /* peak <= PC_SILENT_PEAK_DBFS */
};

/* Levels of mono signed 16-bit samples at rate Hz. */
void pc_levels_compute(const int16_t *s, size_t n, unsigned rate, struct pc_levels *out);

enum pc_mic_state {
    PC_MIC_OK,
    PC_MIC_MISSING,
    PC_MIC_BUSY,
    PC_MIC_NO_PERMISSION,
    PC_MIC_SILENT,
    PC_MIC_FAILED
};

/* "ok", "missing", "busy", "no-permission", "silent", "failed" (mic_state values) */
const char *pc_mic_state_name(enum pc_mic_state s);

struct pc_audio_dev {
    char name[64];  /* "default", "hw:0,0" */
    char desc[128]; /* "HDA Intel PCH: ALC257 Analog" */
};

struct pc_audio {
    int supported;    /* 0: this build or system has no audio support */
    char why[200];    /* unsupported, or why the microphone is not ok */
    char method[200]; /* what was used */
    struct pc_audio_dev capture[PC_AUDIO_DEVS_MAX], playback[PC_AUDIO_DEVS_MAX];
    size_t n_capture, n_playback;          /* the default first, when it opens */
    int default_capture, default_playback; /* the default device opens */
    enum pc_mic_state mic;
    int err;      /* errno behind the mic state */
    int captured; /* levels hold a sample */
    unsigned rate;
    struct pc_levels levels;
};

int pc_audio_supported(void);

/*
 * List capture and playback devices and sample the default microphone for
 * about seconds (never past deadline_ns on pc_clock_now_ns()).
 */
void pc_audio_probe(struct pc_audio *a, double seconds, int64_t deadline_ns);

#endif
