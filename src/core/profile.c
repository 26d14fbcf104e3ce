/* profile.c - loading and validating scoring profiles (see precall/profile.h). */
#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/builtin.h"
#include "precall/profile.h"
#include "precall/utf8.h"

#define PROFILE_FILE_MAX (1024 * 1024)
#define KEY_SHOWN_MAX    40 /* longer keys are cut in messages */

static const char *const tier_keys[] = {
    [PC_TIER_AUDIO] = "audio", [PC_TIER_SD] = "sd", [PC_TIER_HD] = "hd"};

/* The advice levels: key, range, and the level that must lie above it (-1 none). */
static const struct level_def {
    const char *key;
    double lo, hi;
    int below; /* enum pc_advice_level this one must be lower than, or -1 */
} levels[PC_AL__COUNT] = {
    [PC_AL_DNS_SLOW_MS] = {.key = "dns_slow_ms", .lo = 1, .hi = 60000, .below = -1},
    [PC_AL_HTTP_SLOW_MS] = {.key = "http_slow_ms", .lo = 1, .hi = 60000, .below = -1},
    [PC_AL_FULL_HD_MBPS] = {.key = "full_hd_mbps", .lo = 0.1, .hi = 100000, .below = -1},
    [PC_AL_WIFI_WEAK_DBM] = {.key = "wifi_weak_dbm", .lo = -120, .hi = 0, .below = -1},
    [PC_AL_WIFI_VERY_WEAK_DBM] = {.key = "wifi_very_weak_dbm",
                                  .lo = -120,
                                  .hi = 0,
                                  .below = PC_AL_WIFI_WEAK_DBM},
    [PC_AL_ROOM_NOISY_DBFS] = {.key = "room_noisy_dbfs",
                               .lo = -120,
                               .hi = 0,
                               .below = PC_AL_ROOM_VERY_NOISY_DBFS},
    [PC_AL_ROOM_VERY_NOISY_DBFS] = {.key = "room_very_noisy_dbfs",
                                    .lo = -120,
                                    .hi = 0,
                                    .below = -1},
    [PC_AL_PICTURE_VERY_DARK_LUMA] = {.key = "picture_very_dark_luma",
                                      .lo = 0,
                                      .hi = 255,
                                      .below = PC_AL_PICTURE_DARK_LUMA},
    [PC_AL_PICTURE_DARK_LUMA] = {.key = "picture_dark_luma",
                                 .lo = 0,
                                 .hi = 255,
                                 .below = PC_AL_PICTURE_WASHED_OUT_LUMA},
    [PC_AL_PICTURE_WASHED_OUT_LUMA] = {.key = "picture_washed_out_luma",
                                       .lo = 0,
                                       .hi = 255,
                                       .below = -1},
    [PC_AL_BACKLIT_RATIO] = {.key = "backlit_ratio", .lo = 0, .hi = 1, .below = -1},
    [PC_AL_BACKLIT_BORDER_LUMA] = {.key = "backlit_border_luma", .lo = 0, .hi = 255, .below = -1},
    [PC_AL_BATTERY_LOW_PCT] = {.key = "battery_low_pct", .lo = 0, .hi = 100, .below = -1},
    [PC_AL_MIC_CLIPPED_PCT] = {.key = "mic_clipped_pct", .lo = 0, .hi = 100, .below = -1},
    [PC_AL_CPU_BUSY_PCT] = {.key = "cpu_busy_pct", .lo = 1, .hi = 10000, .below = -1},
    [PC_AL_LOAD_RISE_MS] = {.key = "load_rise_ms", .lo = 0, .hi = 60000, .below = -1},
    [PC_AL_DUPLICATES_PCT] = {.key = "duplicates_pct", .lo = 0, .hi = 100000, .below = -1},
    [PC_AL_CONVERSATION_DELAY_MS] = {.key = "conversation_delay_ms",
                                     .lo = 0,
                                     .hi = 60000,
                                     .below = -1},
    [PC_AL_BUFFERBLOAT_RISK_MS] = {.key = "bufferbloat_risk_ms", .lo = 0, .hi = 60000, .below = -1},
};

static const char *const grade_names[PC_GRADES + 1] = {"A+", "A", "B", "C", "D", "F"};

#define GRADE_MS_MAX 60000.0

const char *pc_profile_advice_key(enum pc_advice_level l)
{
    return (int)l >= 0 && l < PC_AL__COUNT ? levels[l].key : NULL;
}

const char *pc_profile_grade(int i)
{
    return i >= 0 && i <= PC_GRADES ? grade_names[i] : NULL;
}

/* The tiers in the order people read them. */
static const int tiers_shown[] = {PC_TIER_HD, PC_TIER_SD, PC_TIER_AUDIO};

struct parse {
    const char *text;
    size_t len;
    const char *origin;
    struct pc_err *err;
    const cJSON *root;
};

/*
 * Locating members in the text, for line numbers. cJSON keeps no positions,
 * but it keeps an object's members in document order, duplicates included,
 * so the n-th child of an object is the n-th member in its text. The text
 * has passed cJSON_Parse, so the scanner below only needs to agree with
 * cJSON on where tokens end; it still checks every bound.
 */

static int line_at(const struct parse *ps, size_t off)
{
    int line = 1;

    for (size_t i = 0; i < off && i < ps->len; i++)
        if (ps->text[i] == '\n')
            line++;
    return line;
}

/* cJSON takes every byte up to 32 for whitespace. */
static size_t skip_ws(const struct parse *ps, size_t off)
{
    while (off < ps->len && (unsigned char)ps->text[off] <= 32)
        off++;
    return off;
}

/* off is at an opening quote; returns the offset after the closing one. */
static size_t skip_string(const struct parse *ps, size_t off)
{
    for (off++; off < ps->len && ps->text[off] != '"'; off++)
        if (ps->text[off] == '\\')
            off++;
    return off < ps->len ? off + 1 : ps->len;
}

/* The offset just after the value starting at off. */
static size_t skip_value(const struct parse *ps, size_t off)
{
    size_t depth = 0;

    while (off < ps->len) {
        char c = ps->text[off];

        if (c == '"') {
            off = skip_string(ps, off);
            if (depth == 0)
                return off;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return off;
            if (--depth == 0)
                return off + 1;
        } else if (depth == 0 && (c == ',' || c == ':' || (unsigned char)c <= 32)) {
            return off;
        }
        off++;
    }
    return off;
}

/*
 * The member number index of the object whose '{' is at obj: the offsets of
 * its name and of its value. 0 when found, -1 when the text disagrees.
 */
static int member_at(const struct parse *ps, size_t obj, size_t index, size_t *key, size_t *val)
{
    size_t off = obj + 1;

    if (obj >= ps->len || ps->text[obj] != '{')
        return -1;
    for (size_t i = 0;; i++) {
        off = skip_ws(ps, off);
        if (off >= ps->len || ps->text[off] != '"')
            return -1;
        *key = off;
        off = skip_ws(ps, skip_string(ps, off));
        if (off >= ps->len || ps->text[off] != ':')
            return -1;
        *val = off = skip_ws(ps, off + 1);
        if (i == index)
            return 0;
        off = skip_ws(ps, skip_value(ps, off));
        if (off >= ps->len || ps->text[off] != ',')
            return -1;
        off++;
    }
}

/* The offset of the root value (after a UTF-8 byte order mark, as cJSON). */
static size_t root_at(const struct parse *ps)
{
    size_t off = ps->len > 4 && memcmp(ps->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

    return skip_ws(ps, off);
}

/*
 * A path from the root: node[0] is a member of the root, node[i] a member of
 * node[i - 1]; n of them (0: the root itself).
 */
struct path {
    const cJSON *node[3];
    int n;
};

/* Offsets of the name and the value of the path's last member (the root: both its value). */
static void locate(const struct parse *ps, const struct path *pa, size_t *key, size_t *val)
{
    const cJSON *parent = ps->root;
    size_t obj = root_at(ps);

    *key = *val = obj;
    for (int i = 0; i < pa->n; i++) {
        size_t index = 0, k, v;
        const cJSON *c;

        for (c = parent->child; c != NULL && c != pa->node[i]; c = c->next)
            index++;
        if (c == NULL || member_at(ps, obj, index, &k, &v) < 0)
            return;
        *key = k;
        *val = obj = v;
        parent = c;
    }
}

static int line_of(const struct parse *ps, const struct path *pa)
{
    size_t key, val;

    locate(ps, pa, &key, &val);
    return line_at(ps, key);
}

/* Append name to buf, printable and cut to KEY_SHOWN_MAX, so a message stays one line. */
static void append_key(char *buf, size_t cap, const char *name)
{
    size_t n = strlen(buf), i;

    for (i = 0; name[i] != '\0' && n + 4 < cap; i++) {
        if (i == KEY_SHOWN_MAX) {
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
        buf[n++] = (unsigned char)name[i] < 32 || name[i] == 127 ? '?' : name[i];
    }
    buf[n] = '\0';
}

/* The path as people read it: the metric and tier below "thresholds". */
static void path_name(const struct path *pa, char *buf, size_t cap)
{
    int first = pa->n > 1 ? 1 : 0;

    buf[0] = '\0';
    for (int i = first; i < pa->n; i++) {
        if (i > first)
            append_key(buf, cap, ".");
        append_key(buf, cap, pa->node[i]->string);
    }
}

static int vfail(const struct parse *ps, int line, const char *key, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static int fail_line(const struct parse *ps, int line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(const struct parse *ps, const struct path *pa, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record "ORIGIN:LINE: KEY: why" (KEY omitted when NULL) with PC_EDATA. */
static int vfail(const struct parse *ps, int line, const char *key, const char *fmt, va_list ap)
{
    char why[160];

    vsnprintf(why, sizeof(why), fmt, ap);
    if (key == NULL)
        return pc_err_set(ps->err, PC_EDATA, "%s:%d: %s", ps->origin, line, why);
    return pc_err_set(ps->err, PC_EDATA, "%s:%d: %s: %s", ps->origin, line, key, why);
}

/* Fail at a line, naming key. */
static int fail_line(const struct parse *ps, int line, const char *key, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfail(ps, line, key, fmt, ap);
    va_end(ap);
    return rc;
}

/* Fail at the member the path names, naming it. */
static int fail(const struct parse *ps, const struct path *pa, const char *fmt, ...)
{
    char key[128];
    va_list ap;
    int rc;

    path_name(pa, key, sizeof(key));
    va_start(ap, fmt);
    rc = vfail(ps, line_of(ps, pa), key, fmt, ap);
    va_end(ap);
    return rc;
}

/* A member of obj before item with the same name, or NULL. */
static const cJSON *earlier(const cJSON *obj, const cJSON *item)
{
    for (const cJSON *c = obj->child; c != NULL && c != item; c = c->next)
        if (strcmp(c->string, item->string) == 0)
            return c;
    return NULL;
}

/* Fail when the path's last member repeats an earlier one of its object. */
static int check_unique(const struct parse *ps, const cJSON *obj, const struct path *pa)
{
    struct path first = *pa;

    first.node[pa->n - 1] = earlier(obj, pa->node[pa->n - 1]);
    if (first.node[pa->n - 1] == NULL)
        return 0;
    return fail(ps, pa, "duplicate key (first on line %d)", line_of(ps, &first));
}

/* The number of the path's last member as written (so 1e999 is not shown as inf). */
static void number_text(const struct parse *ps, const struct path *pa, char *buf, size_t cap)
{
    size_t key, val, n = 0;

    locate(ps, pa, &key, &val);
    while (val + n < ps->len && n + 1 < cap && ps->text[val + n] != '\0' &&
           strchr("0123456789+-eE.", ps->text[val + n]) != NULL)
        n++;
    if (n == 0 || n + 1 == cap)
        snprintf(buf, cap, "%.17g", pa->node[pa->n - 1]->valuedouble);
    else
        snprintf(buf, cap, "%.*s", (int)n, ps->text + val);
}

static int tier_of_key(const char *k)
{
    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++)
        if (strcmp(k, tier_keys[t]) == 0)
            return t;
    return -1;
}

/* hd must be at least as strict as sd, and sd as audio. */
static int check_order(const struct parse *ps, const struct pc_profile *p,
                       const struct pc_metric_def *d, struct path *pa)
{
    for (int t = PC_TIER_SD; t < PC_TIER__COUNT; t++) {
        for (int lower = PC_TIER_AUDIO; lower < t; lower++) {
            double a, b;

            if (!p->has[d->id][t] || !p->has[d->id][lower])
                continue;
            a = p->limit[d->id][t];
            b = p->limit[d->id][lower];
            if ((d->better == PC_BETTER_LOWER && a <= b) ||
                (d->better == PC_BETTER_HIGHER && a >= b))
                continue;
            pa->node[2] = cJSON_GetObjectItemCaseSensitive(pa->node[1], tier_keys[t]);
            pa->n = 3;
            return fail(ps, pa, "the %s limit must be at least as strict as the %s limit",
                        tier_keys[t], tier_keys[lower]);
        }
    }
    return 0;
}

/* One tier's limit: pa names it. */
static int parse_limit(const struct parse *ps, const struct pc_metric_def *d, struct path *pa,
                       struct pc_profile *p)
{
    const cJSON *lim = pa->node[2];
    int t = tier_of_key(lim->string);
    double v;

    if (t < 0)
        return fail(ps, pa, "unknown tier (expected \"hd\", \"sd\" or \"audio\")");
    if (d->kind == PC_KIND_BOOL) {
        if (!cJSON_IsBool(lim))
            return fail(ps, pa, "expected true or false");
        /* A reachability check that passes when it fails would hide "offline". */
        if (d->better == PC_BETTER_HIGHER && !cJSON_IsTrue(lim))
            return fail(ps, pa, "false would let a failed check pass");
        v = cJSON_IsTrue(lim) ? 1 : 0;
    } else {
        if (!cJSON_IsNumber(lim))
            return fail(ps, pa, "expected a number");
        v = lim->valuedouble;
        if (!(v >= d->lo && v <= d->hi)) {
            char num[48];

            number_text(ps, pa, num, sizeof(num));
            return fail(ps, pa, "%s is out of range (%g to %g%s%s)", num, d->lo, d->hi,
                        d->unit[0] != '\0' ? " " : "", d->unit);
        }
    }
    p->has[d->id][t] = 1;
    p->limit[d->id][t] = v;
    return 0;
}

static int parse_metric(const struct parse *ps, const cJSON *thresholds, const cJSON *item,
                        struct pc_profile *p)
{
    struct path pa = {{thresholds, item, NULL}, 2};
    const struct pc_metric_def *d;
    const cJSON *lim;
    int rc;

    rc = check_unique(ps, thresholds, &pa);
    if (rc < 0)
        return rc;
    d = pc_metric_find(item->string);
    if (d == NULL)
        return fail(ps, &pa, "unknown metric (see 'precall profiles --json')");
    if (d->better == PC_BETTER_NONE || d->level == PC_LEVEL_SERIES)
        return fail(ps, &pa, "this metric is informational and takes no limits");
    if (pc_metric_limit_key(d->id) != d->id)
        return fail(ps, &pa, "judged by the limits of %s: give them there",
                    pc_metric_def(pc_metric_limit_key(d->id))->key);
    if (!cJSON_IsObject(item))
        return fail(ps, &pa, "expected an object of \"hd\", \"sd\", \"audio\"");
    cJSON_ArrayForEach(lim, item)
    {
        pa.node[2] = lim;
        pa.n = 3;
        rc = check_unique(ps, item, &pa);
        if (rc == 0)
            rc = parse_limit(ps, d, &pa, p);
        if (rc < 0)
            return rc;
    }
    pa.n = 2;
    rc = check_order(ps, p, d, &pa);
    if (rc < 0)
        return rc;
    for (size_t i = 0; d->required && i < sizeof(tiers_shown) / sizeof(tiers_shown[0]); i++) {
        char need[32] = "";

        if (tiers_shown[i] < d->required || p->has[d->id][tiers_shown[i]])
            continue;
        /* "hd", "hd and sd", "hd, sd and audio": the tiers the table requires */
        for (size_t k = 0; k < sizeof(tiers_shown) / sizeof(tiers_shown[0]); k++) {
            int last = k + 1 == sizeof(tiers_shown) / sizeof(tiers_shown[0]) ||
                       tiers_shown[k + 1] < d->required;

            if (tiers_shown[k] < d->required)
                break;
            snprintf(need + strlen(need), sizeof(need) - strlen(need), "%s%s",
                     k == 0 ? ""
                     : last ? " and "
                            : ", ",
                     tier_keys[tiers_shown[k]]);
        }
        return fail(ps, &pa, "missing \"%s\" (every profile must limit it at %s)",
                    tier_keys[tiers_shown[i]], need);
    }
    return 0;
}

static int parse_thresholds(const struct parse *ps, const cJSON *thresholds, struct pc_profile *p)
{
    struct path pa = {{thresholds}, 1};
    const cJSON *item;
    int rc;

    cJSON_ArrayForEach(item, thresholds)
    {
        rc = parse_metric(ps, thresholds, item, p);
        if (rc < 0)
            return rc;
    }
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def((enum pc_metric)m);

        if (d->required && cJSON_GetObjectItemCaseSensitive(thresholds, d->key) == NULL)
            return fail(ps, &pa, "missing \"%s\" (every profile must limit it)", d->key);
    }
    return 0;
}

/* One number of a section: pa names it; within lo..hi. */
static int parse_level(const struct parse *ps, const struct path *pa, double lo, double hi,
                       const char *unit, double *out)
{
    const cJSON *v = pa->node[pa->n - 1];

    if (!cJSON_IsNumber(v))
        return fail(ps, pa, "expected a number");
    if (!(v->valuedouble >= lo && v->valuedouble <= hi)) {
        char num[48];

        number_text(ps, pa, num, sizeof(num));
        return fail(ps, pa, "%s is out of range (%g to %g%s)", num, lo, hi, unit);
    }
    *out = v->valuedouble;
    return 0;
}

/*
 * "advice": the levels only advice uses. complete: every key must be there
 * (the built-in therapy profile, where the others take theirs from).
 */
static int parse_advice(const struct parse *ps, const cJSON *advice, int complete,
                        struct pc_profile *p)
{
    struct path pa = {{advice, NULL}, 2};
    int given[PC_AL__COUNT] = {0};
    const cJSON *item;
    int rc;

    if (!cJSON_IsObject(advice))
        return fail_line(ps, line_of(ps, &(struct path){{advice}, 1}), "advice",
                         "expected an object of advice levels");
    cJSON_ArrayForEach(item, advice)
    {
        int l;

        pa.node[1] = item;
        if ((rc = check_unique(ps, advice, &pa)) < 0)
            return rc;
        for (l = 0; l < PC_AL__COUNT && strcmp(levels[l].key, item->string) != 0; l++)
            ;
        if (l == PC_AL__COUNT)
            return fail(ps, &pa, "unknown advice level");
        if ((rc = parse_level(ps, &pa, levels[l].lo, levels[l].hi, "", &p->advice[l])) < 0)
            return rc;
        given[l] = 1;
    }
    for (int l = 0; l < PC_AL__COUNT; l++) {
        int above = levels[l].below;

        if (complete && !given[l])
            return fail_line(ps, line_of(ps, &(struct path){{advice}, 1}), "advice",
                             "missing \"%s\"", levels[l].key);
        if (above >= 0 && !(p->advice[l] < p->advice[above])) {
            /* Named where the profile gave it (the other one may be the built-in's). */
            pa.node[1] = cJSON_GetObjectItemCaseSensitive(advice, levels[given[l] ? l : above].key);
            if (given[l])
                return fail(ps, &pa, "%g must be below %s (%g)", p->advice[l], levels[above].key,
                            p->advice[above]);
            return fail(ps, &pa, "%g must be above %s (%g)", p->advice[above], levels[l].key,
                        p->advice[l]);
        }
    }
    return 0;
}

/* "bufferbloat_grades": the upper end of each grade but F, in order, rising. */
static int parse_grades(const struct parse *ps, const cJSON *grades, struct pc_profile *p)
{
    struct path pa = {{grades, NULL}, 2};
    const cJSON *item;
    int i = 0, rc;

    if (!cJSON_IsObject(grades))
        return fail_line(ps, line_of(ps, &(struct path){{grades}, 1}), "bufferbloat_grades",
                         "expected an object: \"A+\", \"A\", \"B\", \"C\", \"D\"");
    cJSON_ArrayForEach(item, grades)
    {
        pa.node[1] = item;
        if (i == PC_GRADES || strcmp(item->string, grade_names[i]) != 0)
            return fail(ps, &pa,
                        "expected the grades \"A+\", \"A\", \"B\", \"C\", \"D\" "
                        "in this order");
        if ((rc = parse_level(ps, &pa, 0, GRADE_MS_MAX, " ms", &p->grade_below_ms[i])) < 0)
            return rc;
        if (i > 0 && !(p->grade_below_ms[i] > p->grade_below_ms[i - 1]))
            return fail(ps, &pa, "must be above the upper end of %s (%g ms)", grade_names[i - 1],
                        p->grade_below_ms[i - 1]);
        i++;
    }
    if (i < PC_GRADES)
        return fail_line(ps, line_of(ps, &(struct path){{grades}, 1}), "bufferbloat_grades",
                         "missing \"%s\"", grade_names[i]);
    return 0;
}

static int parse_text(const char *text, size_t len, const char *origin, int complete,
                      struct pc_profile *out, struct pc_err *err);

/* The advice levels and grades of the built-in therapy profile: what a profile leaves out. */
static int builtin_levels(struct pc_profile *p, struct pc_err *err)
{
    struct pc_profile base;
    const char *name, *text;
    int rc;

    for (size_t i = 0; (text = pc_profile_builtin(i, &name)) != NULL; i++) {
        if (strcmp(name, PC_PROFILE_DEFAULT) != 0)
            continue;
        rc = parse_text(text, strlen(text), name, 1, &base, err);
        if (rc < 0)
            return rc;
        memcpy(p->advice, base.advice, sizeof(p->advice));
        memcpy(p->grade_below_ms, base.grade_below_ms, sizeof(p->grade_below_ms));
        return 0;
    }
    return pc_err_set(err, PC_EDATA, "no built-in profile %s", PC_PROFILE_DEFAULT);
}

static int parse_root(const struct parse *ps, int complete, struct pc_profile *p)
{
    const cJSON *item, *name = NULL, *thresholds = NULL, *advice = NULL, *grades = NULL;
    struct path pa = {{NULL}, 1};
    int rc;

    if (!cJSON_IsObject(ps->root))
        return fail_line(ps, line_at(ps, root_at(ps)), NULL, "expected a JSON object");
    cJSON_ArrayForEach(item, ps->root)
    {
        pa.node[0] = item;
        rc = check_unique(ps, ps->root, &pa);
        if (rc < 0)
            return rc;
        if (strcmp(item->string, "name") == 0) {
            name = item;
        } else if (strcmp(item->string, "thresholds") == 0) {
            thresholds = item;
        } else if (strcmp(item->string, "advice") == 0) {
            advice = item;
        } else if (strcmp(item->string, "bufferbloat_grades") == 0) {
            grades = item;
        } else if (strcmp(item->string, "description") == 0) {
            if (!cJSON_IsString(item))
                return fail(ps, &pa, "expected a string");
            snprintf(p->description, sizeof(p->description), "%s", item->valuestring);
            pc_utf8_sanitize(p->description);
        } else {
            return fail(ps, &pa,
                        "unknown key (expected \"name\", \"description\", \"thresholds\", "
                        "\"advice\", \"bufferbloat_grades\")");
        }
    }
    pa.node[0] = name;
    if (name == NULL || !cJSON_IsString(name) || name->valuestring[0] == '\0' ||
        strlen(name->valuestring) >= sizeof(p->name))
        return fail_line(ps, name != NULL ? line_of(ps, &pa) : line_at(ps, root_at(ps)), "name",
                         "expected a name of 1 to 63 characters");
    snprintf(p->name, sizeof(p->name), "%s", name->valuestring);
    pc_utf8_sanitize(p->name);
    pa.node[0] = thresholds;
    if (thresholds == NULL || !cJSON_IsObject(thresholds))
        return fail_line(ps, thresholds != NULL ? line_of(ps, &pa) : line_at(ps, root_at(ps)),
                         "thresholds", "expected an object keyed by metric");
    rc = parse_thresholds(ps, thresholds, p);
    if (rc == 0 && !complete)
        rc = builtin_levels(p, ps->err);
    if (rc == 0 && (advice != NULL || complete))
        rc = advice != NULL ? parse_advice(ps, advice, complete, p)
                            : fail_line(ps, line_at(ps, root_at(ps)), "advice", "missing");
    if (rc == 0 && (grades != NULL || complete))
        rc = grades != NULL
                 ? parse_grades(ps, grades, p)
                 : fail_line(ps, line_at(ps, root_at(ps)), "bufferbloat_grades", "missing");
    return rc;
}

int pc_profile_parse(const char *text, size_t len, const char *origin, struct pc_profile *out,
                     struct pc_err *err)
{
    /* Every profile starts from the built-in therapy profile's levels (parsed complete). */
    return parse_text(text, len, origin, 0, out, err);
}

static int parse_text(const char *text, size_t len, const char *origin, int complete,
                      struct pc_profile *out, struct pc_err *err)
{
    struct parse ps = {text, len, origin, err, NULL};
    const char *end = NULL;
    cJSON *root;
    size_t off;
    int rc;

    memset(out, 0, sizeof(*out));
    /* cJSON takes any control character for whitespace; JSON allows only these. */
    for (off = 0; off < len; off++)
        if ((unsigned char)text[off] < 32 && text[off] != '\t' && text[off] != '\n' &&
            text[off] != '\r')
            return fail_line(&ps, line_at(&ps, off), NULL,
                             "control character 0x%02x at byte %zu (not allowed in JSON)",
                             (unsigned)(unsigned char)text[off], off);
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    off = end != NULL && end >= text && end <= text + len ? (size_t)(end - text) : 0;
    if (root == NULL)
        return pc_err_set(err, PC_EDATA, "%s:%d: invalid JSON near byte %zu", origin,
                          line_at(&ps, off), off);
    while (off < len && text[off] != '\0' && strchr(" \t\r\n", text[off]) != NULL)
        off++;
    if (off < len) {
        rc = fail_line(&ps, line_at(&ps, off), NULL, "text after the JSON object");
    } else {
        ps.root = root;
        rc = parse_root(&ps, complete, out);
    }
    cJSON_Delete(root);
    if (rc < 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

const char *pc_profile_builtin(size_t i, const char **name)
{
    const struct pc_builtin *b = pc_builtin_profile(i);

    if (b == NULL)
        return NULL;
    if (name != NULL)
        *name = b->name;
    return b->text;
}

/* Milliseconds for poll() until deadline_ns, rounded up; -1 without limit, 0 when past. */
static int poll_ms(int64_t deadline_ns)
{
    int64_t left;

    if (deadline_ns == INT64_MAX)
        return -1;
    left = deadline_ns - pc_clock_now_ns();
    if (left <= 0)
        return 0;
    left = (left + PC_NS_PER_MS - 1) / PC_NS_PER_MS;
    return left > INT_MAX ? INT_MAX : (int)left;
}

/*
 * Read fd to its end into buf (cap bytes; stops once full). A FIFO or device
 * may never deliver: it is waited for with poll() until deadline_ns.
 */
static int read_until(int fd, int stream, int64_t deadline_ns, const char *path, char *buf,
                      size_t cap, size_t *n, struct pc_err *err)
{
    *n = 0;
    while (*n < cap) {
        ssize_t got;

        if (stream) {
            struct pollfd pfd = {fd, POLLIN, 0};
            int ms = poll_ms(deadline_ns);
            int ready;

            if (ms == 0)
                return pc_err_set(err, PC_ENOENT,
                                  *n == 0 ? "%s: no data within the time limit"
                                          : "%s: the data did not end within the time limit",
                                  path);
            ready = poll(&pfd, 1, ms);
            if (ready < 0 && errno != EINTR)
                return pc_err_set(err, PC_ENOENT, "%s: read error: %s", path, strerror(errno));
            if (ready <= 0)
                continue;
        }
        got = read(fd, buf + *n, cap - *n);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return pc_err_set(err, PC_ENOENT, "%s: read error: %s", path, strerror(errno));
        }
        if (got == 0)
            break;
        *n += (size_t)got;
    }
    return 0;
}

static int load_file(const char *path, int64_t deadline_ns, struct pc_profile *out,
                     struct pc_err *err)
{
    struct stat st;
    char *buf = NULL;
    size_t n;
    int fd, rc;

    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return pc_err_set(err, PC_ENOENT, "%s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        rc = pc_err_set(err, PC_ENOENT, "%s: %s", path, strerror(errno));
        goto out;
    }
    buf = malloc(PROFILE_FILE_MAX + 1);
    if (buf == NULL) {
        rc = pc_err_set(err, PC_ENOMEM, "out of memory");
        goto out;
    }
    rc = read_until(fd, S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode),
                    deadline_ns, path, buf, PROFILE_FILE_MAX + 1, &n, err);
    if (rc < 0)
        goto out;
    if (n > PROFILE_FILE_MAX) {
        rc = pc_err_set(err, PC_EDATA, "%s: larger than %d bytes", path, PROFILE_FILE_MAX);
        goto out;
    }
    buf[n] = '\0';
    rc = pc_profile_parse(buf, n, path, out, err);
out:
    free(buf);
    close(fd);
    return rc;
}

int pc_profile_load_until(const char *spec, int64_t deadline_ns, struct pc_profile *out,
                          struct pc_err *err)
{
    size_t n = strlen(spec);
    const char *text, *name;

    if (strchr(spec, '/') != NULL || (n > 5 && strcmp(spec + n - 5, ".json") == 0))
        return load_file(spec, deadline_ns, out, err);
    for (size_t i = 0; (text = pc_profile_builtin(i, &name)) != NULL; i++)
        if (strcmp(name, spec) == 0)
            return pc_profile_parse(text, strlen(text), name, out, err);
    return pc_err_set(err, PC_EINVAL, "no profile named '%s' (try 'precall profiles')", spec);
}

int pc_profile_load(const char *spec, struct pc_profile *out, struct pc_err *err)
{
    return pc_profile_load_until(spec, INT64_MAX, out, err);
}

int pc_profile_meets(const struct pc_profile *p, enum pc_metric m, int tier, double v)
{
    const struct pc_metric_def *d = pc_metric_def(m);

    if (d == NULL || tier <= PC_TIER_NONE || tier >= PC_TIER__COUNT || !p->has[m][tier])
        return 1;
    if (d->better == PC_BETTER_LOWER)
        return v <= p->limit[m][tier];
    return v >= p->limit[m][tier];
}
