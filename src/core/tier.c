/* tier.c - names of the quality tiers. */
#include <string.h>

#include "precall/tier.h"

static const char *const names[PC_TIER__COUNT] = {"none", "audio", "sd", "hd"};
static const char *const short_labels[PC_TIER__COUNT] = {"Not ready", "Audio only", "SD video",
                                                         "HD video"};

const char *pc_tier_name(int tier)
{
    if (tier < 0 || tier >= PC_TIER__COUNT)
        return "unknown";
    return names[tier];
}

const char *pc_tier_short_label(int tier)
{
    if (tier < 0 || tier >= PC_TIER__COUNT)
        return "Not checked";
    return short_labels[tier];
}

int pc_tier_parse(const char *s)
{
    for (int i = 0; i < PC_TIER__COUNT; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}
