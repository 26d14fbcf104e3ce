/* audio_none.c - builds without ALSA (libasound), or systems without it (see audio.h). */
#include <stdio.h>
#include <string.h>

#include "probe/audio.h"

int pc_audio_supported(void)
{
    return 0;
}

const char *pc_mic_state_name(enum pc_mic_state s)
{
    (void)s;
    return "failed";
}

void pc_audio_probe(struct pc_audio *a, double seconds, int64_t deadline_ns)
{
    (void)seconds;
    (void)deadline_ns;
    memset(a, 0, sizeof(*a));
#ifdef __linux__
    snprintf(a->why, sizeof(a->why), "skipped: built without libasound (ALSA)");
#else
    snprintf(a->why, sizeof(a->why), "skipped: not supported on this system");
#endif
}
