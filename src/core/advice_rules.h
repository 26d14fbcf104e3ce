/*
 * advice_rules.h - the shape of an advice rule (private to advice.c and
 * advice_rules.c, and to the unit tests that check every row).
 *
 * Each rule is a row: a stable identifier, a rank (the most effective fix
 * first), what it matches in the scored report, the cause it names in the
 * headline, and its text, written for a person who is not technical and
 * saying what to do. Advice about the user's network comes only from
 * evidence about it: a probe's cause, or a measured value.
 *
 * Texts are templates: {value} the measured value, {limit} the limit the
 * check line quotes (the tier above the one reached), {tier} that tier,
 * {subject} what a probe's cause is about, {probes} the checks that gave the
 * cause ("the udp check", "the http and bandwidth checks"; {Probes} capitalised), {per} the value a
 * RATIO divides by, {scope} where it was seen, {label} the label of that scope ("Camera: Integrated
 * Webcam (/dev/video0)"); and for a rule that names a series, {when} the
 * wall-clock second of its worst point and {for} how many seconds in a row
 * around it missed the limit.
 *
 * Value rules (ABOVE, AT_LEAST, BELOW, TEXT_IS, VALUE_IS, RATIO_ABOVE) look
 * at every scope, the run first, and match in the first scope where the
 * value meets them. A rule may also require a condition (when: on a value of
 * the scope where it matched, or of the run), yield to stronger rules
 * (unless: their ids) or to an earlier row of the same id (rows sharing an
 * id are alternatives: the first that matches is used), and set its own
 * severity. Device findings count as "about the network" in the headline's
 * sense: they are about the user's setup, not about how the check ran.
 */
#ifndef PRECALL_CORE_ADVICE_RULES_H
#define PRECALL_CORE_ADVICE_RULES_H

#include <stddef.h>

#include "precall/cause.h"
#include "precall/metrics.h"
#include "precall/profile.h"

enum pc_rule_match {
    PC_RULE_CAUSE,       /* a probe finished with this cause */
    PC_RULE_MISS,        /* a metric missed the HD limit in some gating scope */
    PC_RULE_ABOVE,       /* a value above a level (advice only) */
    PC_RULE_AT_LEAST,    /* a value at or above a level (advice only) */
    PC_RULE_BELOW,       /* a value below a level (advice only) */
    PC_RULE_TEXT_IS,     /* a text value equals the string */
    PC_RULE_VALUE_IS,    /* a value equals the number */
    PC_RULE_RATIO_ABOVE, /* 100 * value / the value of 'per' above a level */
    PC_RULE_TEXT_ISNT    /* conditions only: a text value set and not the string */
};

/* A level: the profile's advice level 'of' (when 'from_profile'), or the number 'fixed'. */
struct pc_rule_level {
    int from_profile;
    enum pc_advice_level of;
    double fixed;
};

/* A further condition: AT_LEAST, VALUE_IS, TEXT_IS or TEXT_ISNT on a value. */
struct pc_rule_cond {
    enum pc_metric metric;
    enum pc_rule_match match;
    struct pc_rule_level level;
    const char *text;
};

struct pc_rule {
    const char *id;
    int rank;
    enum pc_rule_match match;
    int metric;                 /* the value rules and MISS; -1 for CAUSE */
    enum pc_cause cause_is;     /* CAUSE */
    const char *arg;            /* TEXT_IS: the text */
    struct pc_rule_level level; /* ABOVE, AT_LEAST, BELOW, VALUE_IS, RATIO_ABOVE */
    int per;                    /* RATIO_ABOVE: the metric divided by */
    int network;                /* the cause is about the network (1) or only the run (0) */
    const char *cause;          /* what the headline names, NULL for none */
    const char *text;
    const char *severity; /* NULL: from the match */
    const char *unless;   /* comma-separated ids of rules that, matching, silence this one */
    const struct pc_rule_cond *when; /* NULL, or must hold too */
    int series;   /* {when} and {for} come from this metric's series in the scope; 0 none */
    int praises;  /* praise of this tier: shown only when the verdict claims it; 0 none */
    int run_only; /* not when the run was interrupted: the user stopped it, time did not */
};

/* The rules, sorted by rank; *n gets their number. */
const struct pc_rule *pc_advice_rules(size_t *n);

#endif
