/* replay_expect.c - check a corpus file's outcome against its name (see replay_expect.h). */
#include <stdio.h>
#include <string.h>

#include "replay_expect.h"

/* Defined by a harness that reports outcomes; NULL (weak, undefined) otherwise. */
int pc_fuzz_outcome(void) __attribute__((weak));

int replay_expect(const char *path)
{
    const char *base = strrchr(path, '/');
    int want, got;

    base = base != NULL ? base + 1 : path;
    if (strncmp(base, "ok-", 3) == 0)
        want = 1;
    else if (strncmp(base, "bad-", 4) == 0)
        want = 0;
    else
        return 0;
    if (pc_fuzz_outcome == NULL)
        return 0;
    got = pc_fuzz_outcome();
    if (got == want)
        return 0;
    fprintf(stderr, "replay: %s: %s, but its name says it must be %s\n", path,
            got ? "accepted" : "refused", want ? "accepted" : "refused");
    return -1;
}
