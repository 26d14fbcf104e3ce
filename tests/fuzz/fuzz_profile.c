/*
 * fuzz_profile.c - libFuzzer harness for the profile parser (src/core/profile.c).
 *
 * Feeds arbitrary bytes to pc_profile_parse and checks what a sanitizer alone
 * would not: the result is accepted or PC_EDATA; a refusal is one line
 * "fuzz:LINE: ..." with LINE within the input; an accepted profile keeps the
 * promises of profile.h (a name, every limit within its metric's range, no
 * false reachability limit, the required metrics limited down to the tier
 * each requires, hd at least as strict as sd and sd as audio; the advice
 * levels in their pairs' order, the bufferbloat grades rising).
 *
 * The seed corpus is corpus/profile/: a file named ok-* must be accepted,
 * bad-* refused; pc_fuzz_accepts tells the corpus replay which it was (see
 * replay_main.c). Built with -fsanitize=fuzzer under PRECALL_FUZZ, and
 * always with replay_main.c so ctest replays the corpus.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precall/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pc_fuzz_accepts(const uint8_t *data, size_t size);

static void check_refusal(const struct pc_err *err, const uint8_t *data, size_t size)
{
    size_t lines = 1;
    char *end;
    long line;

    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    if (memchr(err->msg, '\0', sizeof(err->msg)) == NULL || strncmp(err->msg, "fuzz:", 5) != 0)
        abort();
    line = strtol(err->msg + 5, &end, 10);
    if (end == err->msg + 5 || *end != ':' || line < 1 || (size_t)line > lines)
        abort();
    for (const char *c = err->msg; *c != '\0'; c++)
        if ((unsigned char)*c < 32)
            abort();
}

static void check_profile(const struct pc_profile *p)
{
    if (p->name[0] == '\0' || memchr(p->name, '\0', sizeof(p->name)) == NULL ||
        memchr(p->description, '\0', sizeof(p->description)) == NULL)
        abort();
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def((enum pc_metric)m);

        for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
            double v = p->limit[m][t];

            /* required: limited at hd and every tier down to d->required */
            if (d->required && t >= d->required && !p->has[m][t])
                abort();
            if (!p->has[m][t])
                continue;
            if (d->better == PC_BETTER_NONE || !(v >= d->lo && v <= d->hi))
                abort();
            if (d->kind == PC_KIND_BOOL && d->better == PC_BETTER_HIGHER && v != 1)
                abort();
            for (int lower = PC_TIER_AUDIO; lower < t; lower++) {
                if (!p->has[m][lower])
                    continue;
                if (d->better == PC_BETTER_LOWER ? v > p->limit[m][lower] : v < p->limit[m][lower])
                    abort();
            }
        }
    }
}

/* The advice levels in order (very weak below weak, ...), the grades rising. */
static void check_levels(const struct pc_profile *p)
{
    const double *a = p->advice;

    if (!(a[PC_AL_WIFI_VERY_WEAK_DBM] < a[PC_AL_WIFI_WEAK_DBM]) ||
        !(a[PC_AL_ROOM_NOISY_DBFS] < a[PC_AL_ROOM_VERY_NOISY_DBFS]) ||
        !(a[PC_AL_PICTURE_VERY_DARK_LUMA] < a[PC_AL_PICTURE_DARK_LUMA]) ||
        !(a[PC_AL_PICTURE_DARK_LUMA] < a[PC_AL_PICTURE_WASHED_OUT_LUMA]))
        abort();
    for (int i = 1; i < PC_GRADES; i++)
        if (!(p->grade_below_ms[i] > p->grade_below_ms[i - 1]))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_profile p;
    struct pc_err err = {0};
    int rc = pc_profile_parse((const char *)data, size, "fuzz", &p, &err);

    if (rc == 0) {
        check_profile(&p);
        check_levels(&p);
    } else if (rc == PC_EDATA)
        check_refusal(&err, data, size);
    else
        abort();
    return 0;
}

int pc_fuzz_accepts(const uint8_t *data, size_t size)
{
    struct pc_profile p;

    return pc_profile_parse((const char *)data, size, "fuzz", &p, NULL) == 0;
}
