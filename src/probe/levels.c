/*
 * levels.c - levels of a microphone sample (see audio.h): peak, RMS with
 * the DC offset removed, samples at full scale, and the room's background
 * level, the RMS of the quietest 20 % of its 50 ms windows, so that a word
 * spoken during the sample does not hide a noisy room (docs/thresholds.md, "Advice levels").
 * dBFS are against a full-scale square wave: a full-scale sine is -3 dBFS.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "probe/audio.h"

#define FULL_SCALE 32768.0
#define WINDOW_S   0.050
#define QUIET_PART 0.20

static double dbfs(double amplitude_ratio)
{
    double db = amplitude_ratio > 0 ? 20.0 * log10(amplitude_ratio) : PC_DBFS_FLOOR;

    return db < PC_DBFS_FLOOR ? PC_DBFS_FLOOR : db > 0 ? 0 : db;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

void pc_levels_compute(const int16_t *s, size_t n, unsigned rate, struct pc_levels *out)
{
    double mean = 0, sq = 0;
    size_t win = (size_t)(rate * WINDOW_S), n_win, quiet;
    int peak = 0;
    size_t clipped = 0;
    double *power;

    memset(out, 0, sizeof(*out));
    out->samples = n;
    out->peak_dbfs = out->rms_dbfs = out->background_dbfs = PC_DBFS_FLOOR;
    out->silent = 1;
    if (n == 0 || win == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        int a = s[i] < 0 ? -(int)s[i] : s[i];

        mean += s[i];
        if (a > peak)
            peak = a;
        clipped += a >= 32767;
    }
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (s[i] - mean) * (s[i] - mean);
    out->peak_dbfs = dbfs(peak / FULL_SCALE);
    out->rms_dbfs = dbfs(sqrt(sq / (double)n) / FULL_SCALE);
    out->clipped_pct = 100.0 * (double)clipped / (double)n;
    out->silent = out->peak_dbfs <= PC_SILENT_PEAK_DBFS;
    n_win = n / win;
    if (n_win == 0)
        n_win = 1, win = n;
    power = malloc(n_win * sizeof(*power));
    if (power == NULL)
        return;
    for (size_t w = 0; w < n_win; w++) {
        double p = 0;

        for (size_t i = w * win; i < (w + 1) * win; i++)
            p += (s[i] - mean) * (s[i] - mean);
        power[w] = p / (double)win;
    }
    qsort(power, n_win, sizeof(*power), cmp_double);
    quiet = (size_t)ceil((double)n_win * QUIET_PART);
    sq = 0;
    for (size_t w = 0; w < quiet; w++)
        sq += power[w];
    out->background_dbfs = dbfs(sqrt(sq / (double)quiet) / FULL_SCALE);
    free(power);
}
