/*
 * audio_fixture.h - microphone samples for the tests, through the real
 * libasound: a raw S16_LE mono 48 kHz file the test generates, and an ALSA
 * configuration (ALSA_CONFIG_PATH) whose default device is the 'file'
 * plugin reading it (infile) over the 'null' plugin. Debian 12's
 * alsa-lib 1.2.8 delivers the file's samples as captured audio, without
 * waiting in real time. A configuration without a default device stands
 * for a computer without a microphone.
 */
#ifndef PRECALL_TEST_AUDIO_FIXTURE_H
#define PRECALL_TEST_AUDIO_FIXTURE_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FX_PI   3.14159265358979323846
#define FX_RATE 48000
#define FX_N    (FX_RATE * 6 / 5) /* 1.2 s: more than the probe takes */

enum fx_signal { FX_SILENCE, FX_TONE, FX_CLIPPED, FX_VOICE_NOISY_ROOM, FX_VOICE_QUIET_ROOM };

/* Deterministic noise in [-1, 1). */
static double fx_noise(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return (double)(*state >> 8) / (double)(1u << 23) - 1.0;
}

/*
 * Uniform noise of amplitude a has RMS a / sqrt(3). The voice: a 220 Hz
 * tone at -12 dBFS from 0.15 s to 0.85 s (60 % of the sample), so the
 * quietest 20 % of the 50 ms windows hold only the room.
 */
static double fx_sample(enum fx_signal sig, size_t i, uint32_t *st)
{
    double t = (double)i / FX_RATE, v = 0, room_dbfs;

    switch (sig) {
    case FX_SILENCE:
        return 0;
    case FX_TONE:
        return 0.5 * sin(2 * FX_PI * 1000 * t);
    case FX_CLIPPED:
        v = 1.6 * sin(2 * FX_PI * 440 * t);
        return v > 1 ? 1 : v < -1 ? -1 : v;
    case FX_VOICE_NOISY_ROOM:
    case FX_VOICE_QUIET_ROOM:
        room_dbfs = sig == FX_VOICE_NOISY_ROOM ? -40 : -60;
        v = pow(10, room_dbfs / 20) * sqrt(3) * fx_noise(st);
        if (t >= 0.15 && t < 0.85)
            v += pow(10, -12 / 20.0) * sqrt(2) * sin(2 * FX_PI * 220 * t);
        return v;
    }
    return 0;
}

/* Write the sample and the configuration into dir; set ALSA_CONFIG_PATH. */
static int fx_audio(const char *dir, const char *name, int with_default, enum fx_signal sig)
{
    char raw[512], conf[512];
    FILE *f;
    uint32_t st = 12345;

    snprintf(raw, sizeof(raw), "%s/%s.raw", dir, name);
    snprintf(conf, sizeof(conf), "%s/%s.conf", dir, name);
    if ((f = fopen(raw, "wb")) == NULL)
        return -1;
    for (size_t i = 0; i < FX_N; i++) {
        double v = fx_sample(sig, i, &st) * 32768.0;
        int16_t s = (int16_t)(v >= 32767 ? 32767 : v <= -32768 ? -32768 : lrint(v));

        fputc(s & 0xff, f);
        fputc((s >> 8) & 0xff, f);
    }
    fclose(f);
    if ((f = fopen(conf, "w")) == NULL)
        return -1;
    if (with_default)
        fprintf(f,
                "pcm.!default {\n  type file\n  slave.pcm \"nullpcm\"\n  file \"/dev/null\"\n"
                "  infile \"%s\"\n  format \"raw\"\n}\npcm.nullpcm { type null }\n",
                raw);
    else
        fprintf(f, "# no default device: a computer without sound devices\n");
    fclose(f);
    return setenv("ALSA_CONFIG_PATH", conf, 1);
}

#endif
