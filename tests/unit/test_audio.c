/*
 * test_audio.c - the microphone code through the real libasound, with a
 * configuration made here whose default capture device reads a generated
 * file (audio_fixture.h): silence, a tone, clipped audio, and a voice over
 * a noisy and over a quiet room (the room, not the voice, sets the
 * background level); no default device at all. Also the level arithmetic
 * on its own.
 */
#include <string.h>
#include <unistd.h>

#include "audio_fixture.h"
#include "check.h"
#include "precall/clock.h"
#include "probe/audio.h"

static char dir[64];

static void sample(const char *name, int with_default, enum fx_signal sig, struct pc_audio *a)
{
    CHECK(fx_audio(dir, name, with_default, sig) == 0);
    pc_audio_probe(a, 1.0, pc_clock_now_ns() + 5 * PC_NS_PER_S);
}

static void through_alsa(void)
{
    struct pc_audio a;

    sample("tone", 1, FX_TONE, &a);
    CHECK(a.supported && a.default_capture && a.captured);
    CHECK(strcmp(a.capture[0].name, "default") == 0);
    CHECK(a.default_playback && a.n_playback >= 1);
    CHECK(a.mic == PC_MIC_OK);
    CHECK(a.levels.samples == FX_RATE);
    CHECK_NEAR(a.levels.peak_dbfs, -6.02, 0.01);
    CHECK_NEAR(a.levels.rms_dbfs, -9.03, 0.01);
    CHECK_NEAR(a.levels.background_dbfs, -9.03, 0.05);
    CHECK(a.levels.clipped_pct == 0);

    sample("silence", 1, FX_SILENCE, &a);
    CHECK(a.captured && a.mic == PC_MIC_SILENT && a.levels.silent);
    CHECK(a.levels.peak_dbfs == PC_DBFS_FLOOR);
    CHECK(strstr(a.why, "silence") != NULL);

    sample("clipped", 1, FX_CLIPPED, &a);
    CHECK(a.mic == PC_MIC_OK);
    CHECK(a.levels.peak_dbfs > -0.01);
    /* |1.6 sin| >= 1 for 2 * (pi/2 - asin(1/1.6)) / pi of the time: 57.0 %. */
    CHECK_NEAR(a.levels.clipped_pct, 100 * (1 - 2 * asin(1 / 1.6) / FX_PI), 1.0);

    /* The voice is loud, but the room decides the background: -40 dBFS. */
    sample("noisy", 1, FX_VOICE_NOISY_ROOM, &a);
    CHECK(a.mic == PC_MIC_OK);
    CHECK(a.levels.rms_dbfs > -20);
    CHECK_NEAR(a.levels.background_dbfs, -40, 0.5);
    sample("quiet", 1, FX_VOICE_QUIET_ROOM, &a);
    CHECK(a.levels.rms_dbfs > -20);
    CHECK_NEAR(a.levels.background_dbfs, -60, 0.5);

    sample("none", 0, FX_SILENCE, &a);
    CHECK(a.supported && !a.default_capture && !a.captured);
    CHECK(a.mic == PC_MIC_MISSING && strcmp(pc_mic_state_name(a.mic), "missing") == 0);
    CHECK(strstr(a.why, "no microphone") != NULL);
    CHECK(!a.default_playback);
}

static void arithmetic(void)
{
    int16_t s[4800];
    struct pc_levels l;

    /* A DC offset is not sound. */
    for (size_t i = 0; i < 4800; i++)
        s[i] = 1000;
    pc_levels_compute(s, 4800, 48000, &l);
    CHECK(l.rms_dbfs == PC_DBFS_FLOOR && l.background_dbfs == PC_DBFS_FLOOR);
    CHECK_NEAR(l.peak_dbfs, 20 * log10(1000 / 32768.0), 1e-9);
    /* Two windows: one silent, one loud; the quietest 20 % (one window) is silent. */
    for (size_t i = 0; i < 4800; i++)
        s[i] = i < 2400 ? 0 : (i % 2 ? 16384 : -16384);
    pc_levels_compute(s, 4800, 48000, &l);
    CHECK(l.background_dbfs == PC_DBFS_FLOOR);
    pc_levels_compute(s, 0, 48000, &l);
    CHECK(l.silent && l.samples == 0);
}

int main(void)
{
    char cmd[128];

    snprintf(dir, sizeof(dir), "/tmp/precall-audio-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return 1;
    CHECK(pc_audio_supported());
    through_alsa();
    arithmetic();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
