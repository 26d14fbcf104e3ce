/*
 * tier.h - the quality tiers a check can reach, best last in value order.
 */
#ifndef PRECALL_TIER_H
#define PRECALL_TIER_H

enum pc_tier {
    PC_TIER_NONE = 0, /* not even an audio call */
    PC_TIER_AUDIO = 1,
    PC_TIER_SD = 2, /* 360p-480p video */
    PC_TIER_HD = 3, /* 720p video both ways */
    PC_TIER__COUNT
};

#define PC_TIER_UNKNOWN (-1) /* a metric that does not gate (its probe was not run) */

const char *pc_tier_name(int tier);        /* "hd", "sd", "audio", "none" */
const char *pc_tier_short_label(int tier); /* "HD video", "SD video", "Audio", "Nothing" */

/* Parse "hd" | "sd" | "audio" | "none"; returns the tier or -1. */
int pc_tier_parse(const char *s);

#endif
