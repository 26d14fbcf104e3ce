/*
 * profile.h - scoring profiles: per metric, a threshold for each tier.
 *
 * A profile is JSON (see data/profiles/therapy.json): a name, a description
 * and "thresholds", an object keyed by metric keys of the metric table, each
 * holding "hd", "sd" and "audio" limits (numbers, or booleans for yes/no
 * metrics). The direction of comparison comes from the metric table. A
 * struct pc_profile is a plain value; nothing in it needs freeing.
 *
 * A profile that could make a verdict mislead is refused: text after the
 * object, a key given twice at any level, a limit outside the values the
 * metric can take (the table's lo..hi), a yes/no reachability limit of
 * false, or a metric the table marks required not limited at the tiers
 * it requires (hd down to its 'required' tier: online at all three,
 * udp_reachable at hd at least, since UDP blocked with HTTPS working caps
 * the verdict at sd).
 */
#ifndef PRECALL_PROFILE_H
#define PRECALL_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "precall/clock.h"
#include "precall/err.h"
#include "precall/metrics.h"
#include "precall/tier.h"

#define PC_PROFILE_DEFAULT "therapy"

struct pc_profile {
    char name[64];
    char description[256];
    int has[PC_M__COUNT][PC_TIER__COUNT];
    double limit[PC_M__COUNT][PC_TIER__COUNT];
};

/*
 * Parse a profile from text. origin names it in errors, which read
 * "ORIGIN:LINE: KEY: what is wrong" and come with PC_EDATA.
 */
int pc_profile_parse(const char *text, size_t len, const char *origin, struct pc_profile *out,
                     struct pc_err *err);

/*
 * Load a built-in profile by name, or a file when spec contains a '/' or
 * ends in ".json". PC_ENOENT: the file cannot be opened ("FILE: why"), or
 * cannot be read ("FILE: read error: why"), or is a FIFO or device that
 * gives no data before deadline_ns ("FILE: no data within the time limit");
 * PC_EINVAL: no built-in profile has that name; PC_EDATA: the file is too
 * large or the profile invalid. deadline_ns is on pc_clock_now_ns();
 * INT64_MAX waits without limit. A regular file is read without waiting.
 */
int pc_profile_load_until(const char *spec, int64_t deadline_ns, struct pc_profile *out,
                          struct pc_err *err);

/* pc_profile_load_until without a time limit. */
int pc_profile_load(const char *spec, struct pc_profile *out, struct pc_err *err);

/* The JSON text and name of the i-th built-in profile; NULL past the end. */
const char *pc_profile_builtin(size_t i, const char **name);

/* Does value v meet the limit of metric m for tier t? (1 when no limit.) */
int pc_profile_meets(const struct pc_profile *p, enum pc_metric m, int tier, double v);

#endif
