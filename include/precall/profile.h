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
 *
 * Two more sections hold levels that decide no tier. "advice": the levels
 * only advice uses (a Wi-Fi signal that is weak, a room that is noisy, a
 * lookup that is slow; enum pc_advice_level), each a number within its
 * range, the pairs in order (very weak below weak). "bufferbloat_grades":
 * the upper ends (exclusive) of the grades A+, A, B, C and D of the delay
 * added under load, in milliseconds, rising; F is anything above. A profile
 * may leave either section out, or any key of "advice": what it leaves out
 * comes from the built-in therapy profile, which gives them all.
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

/* The levels only advice uses: the keys of the profile's "advice" section. */
enum pc_advice_level {
    PC_AL_DNS_SLOW_MS,        /* a lookup slower than this delays joining a call */
    PC_AL_HTTP_SLOW_MS,       /* a first answer slower than this delays joining a call */
    PC_AL_FULL_HD_MBPS,       /* both ways at least this: full HD (1080p) possible */
    PC_AL_WIFI_WEAK_DBM,      /* a Wi-Fi signal below this is weak */
    PC_AL_WIFI_VERY_WEAK_DBM, /* ... and below this very weak */
    PC_AL_ROOM_NOISY_DBFS,    /* background noise above this is noticeable */
    PC_AL_ROOM_VERY_NOISY_DBFS,
    PC_AL_PICTURE_VERY_DARK_LUMA, /* mean luma (0-255) below this: very dark */
    PC_AL_PICTURE_DARK_LUMA,
    PC_AL_PICTURE_WASHED_OUT_LUMA, /* mean luma above this: washed out */
    PC_AL_BACKLIT_RATIO,           /* the face below this share of the background's brightness */
    PC_AL_BACKLIT_BORDER_LUMA,     /* ... while the background is brighter than this: backlit */
    PC_AL_BATTERY_LOW_PCT,         /* on battery and below this: low */
    PC_AL_MIC_CLIPPED_PCT,         /* more samples than this at full scale: distorted */
    PC_AL_CPU_BUSY_PCT,            /* 1-minute load above this share of the cores: busy */
    PC_AL_LOAD_RISE_MS,            /* a rise of the delay under load of at least this: other traffic
                                      on the network makes itself felt */
    PC_AL_DUPLICATES_PCT,          /* more duplicated answers than this share of the answers */
    PC_AL_CONVERSATION_DELAY_MS,   /* one-way delay above this: a conversation note (G.114) */
    PC_AL_BUFFERBLOAT_RISK_MS,     /* delay added under full load of at least this: a risk */
    PC_AL__COUNT
};

/* The bufferbloat grades with an upper end: A+, A, B, C, D (F has none). */
#define PC_GRADES 5

struct pc_profile {
    char name[64];
    char description[256];
    int has[PC_M__COUNT][PC_TIER__COUNT];
    double limit[PC_M__COUNT][PC_TIER__COUNT];
    double advice[PC_AL__COUNT];      /* enum pc_advice_level */
    double grade_below_ms[PC_GRADES]; /* a delay under load below [i] earns pc_profile_grade(i) */
};

/* The key of an advice level in the profile ("wifi_weak_dbm"). */
const char *pc_profile_advice_key(enum pc_advice_level l);

/* The name of grade i: "A+", "A", "B", "C", "D", and for i == PC_GRADES "F". */
const char *pc_profile_grade(int i);

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
