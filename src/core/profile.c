/* profile.c - loading and validating scoring profiles (see precall/profile.h). */
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/builtin.h"
#include "precall/profile.h"

#define PROFILE_FILE_MAX (1024 * 1024)

static const char *const tier_keys[] = {
    [PC_TIER_AUDIO] = "audio", [PC_TIER_SD] = "sd", [PC_TIER_HD] = "hd"};

static int line_at(const char *text, size_t len, size_t off)
{
    int line = 1;

    for (size_t i = 0; i < off && i < len; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

/* Offset of the JSON member name "key" at or after from (a key followed by ':'). */
static size_t find_key(const char *text, size_t len, size_t from, const char *key)
{
    size_t klen = strlen(key);

    for (size_t i = from; i + klen + 2 <= len; i++) {
        size_t j;

        if (text[i] != '"' || memcmp(text + i + 1, key, klen) != 0 || text[i + 1 + klen] != '"')
            continue;
        j = i + klen + 2;
        while (j < len && strchr(" \t\r\n", text[j]) != NULL)
            j++;
        if (j < len && text[j] == ':')
            return i;
    }
    return from;
}

/* The line of the member path k1 [. k2] in text, for error messages. */
static int line_of(const char *text, size_t len, const char *k1, const char *k2)
{
    size_t off = find_key(text, len, 0, k1);

    if (k2 != NULL)
        off = find_key(text, len, off, k2);
    return line_at(text, len, off);
}

struct parse {
    const char *text;
    size_t len;
    const char *origin;
    struct pc_err *err;
};

static int fail(const struct parse *ps, const char *k1, const char *k2, const char *why)
{
    int line = line_of(ps->text, ps->len, k1, k2);

    if (k2 != NULL)
        return pc_err_set(ps->err, PC_EDATA, "%s:%d: %s.%s: %s", ps->origin, line, k1, k2, why);
    return pc_err_set(ps->err, PC_EDATA, "%s:%d: %s: %s", ps->origin, line, k1, why);
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
                       const struct pc_metric_def *d)
{
    for (int t = PC_TIER_SD; t < PC_TIER__COUNT; t++) {
        for (int lower = PC_TIER_AUDIO; lower < t; lower++) {
            double a, b;
            char why[128];

            if (!p->has[d->id][t] || !p->has[d->id][lower])
                continue;
            a = p->limit[d->id][t];
            b = p->limit[d->id][lower];
            if ((d->better == PC_BETTER_LOWER && a <= b) ||
                (d->better == PC_BETTER_HIGHER && a >= b))
                continue;
            snprintf(why, sizeof(why), "the %s limit must be at least as strict as the %s limit",
                     tier_keys[t], tier_keys[lower]);
            return fail(ps, d->key, tier_keys[t], why);
        }
    }
    return 0;
}

static int parse_metric(const struct parse *ps, const cJSON *item, struct pc_profile *p)
{
    const struct pc_metric_def *d = pc_metric_find(item->string);
    const cJSON *lim;

    if (d == NULL)
        return fail(ps, item->string, NULL, "unknown metric (see 'precall profiles --json')");
    if (d->better == PC_BETTER_NONE || d->level == PC_LEVEL_SERIES)
        return fail(ps, item->string, NULL, "this metric is informational and takes no limits");
    if (!cJSON_IsObject(item))
        return fail(ps, item->string, NULL, "expected an object of \"hd\", \"sd\", \"audio\"");
    cJSON_ArrayForEach(lim, item)
    {
        int t = tier_of_key(lim->string);
        double v;

        if (t < 0)
            return fail(ps, item->string, lim->string,
                        "unknown tier (expected \"hd\", \"sd\" or \"audio\")");
        if (d->kind == PC_KIND_BOOL) {
            if (!cJSON_IsBool(lim))
                return fail(ps, item->string, lim->string, "expected true or false");
            v = cJSON_IsTrue(lim) ? 1 : 0;
        } else {
            if (!cJSON_IsNumber(lim) || !isfinite(lim->valuedouble) || lim->valuedouble < 0)
                return fail(ps, item->string, lim->string, "expected a number >= 0");
            v = lim->valuedouble;
        }
        p->has[d->id][t] = 1;
        p->limit[d->id][t] = v;
    }
    return check_order(ps, p, d);
}

static int parse_root(const struct parse *ps, const cJSON *root, struct pc_profile *p)
{
    const cJSON *item, *name = NULL, *thresholds = NULL;
    int rc;

    if (!cJSON_IsObject(root))
        return pc_err_set(ps->err, PC_EDATA, "%s:1: expected a JSON object", ps->origin);
    cJSON_ArrayForEach(item, root)
    {
        if (strcmp(item->string, "name") == 0) {
            name = item;
        } else if (strcmp(item->string, "thresholds") == 0) {
            thresholds = item;
        } else if (strcmp(item->string, "description") == 0) {
            if (!cJSON_IsString(item))
                return fail(ps, "description", NULL, "expected a string");
            snprintf(p->description, sizeof(p->description), "%s", item->valuestring);
        } else {
            return fail(ps, item->string, NULL,
                        "unknown key (expected \"name\", \"description\", \"thresholds\")");
        }
    }
    if (name == NULL || !cJSON_IsString(name) || name->valuestring[0] == '\0' ||
        strlen(name->valuestring) >= sizeof(p->name))
        return fail(ps, "name", NULL, "expected a name of 1 to 63 characters");
    snprintf(p->name, sizeof(p->name), "%s", name->valuestring);
    if (thresholds == NULL || !cJSON_IsObject(thresholds))
        return fail(ps, "thresholds", NULL, "expected an object keyed by metric");
    cJSON_ArrayForEach(item, thresholds)
    {
        rc = parse_metric(ps, item, p);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int pc_profile_parse(const char *text, size_t len, const char *origin, struct pc_profile *out,
                     struct pc_err *err)
{
    struct parse ps = {text, len, origin, err};
    const char *end = NULL;
    cJSON *root;
    int rc;

    memset(out, 0, sizeof(*out));
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root == NULL) {
        size_t off = end != NULL && end >= text ? (size_t)(end - text) : 0;

        return pc_err_set(err, PC_EDATA, "%s:%d: invalid JSON near byte %zu", origin,
                          line_at(text, len, off), off);
    }
    rc = parse_root(&ps, root, out);
    cJSON_Delete(root);
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

static int load_file(const char *path, struct pc_profile *out, struct pc_err *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n;
    int rc;

    if (f == NULL)
        return pc_err_set(err, PC_ENOENT, "%s: %s", path, strerror(errno));
    buf = malloc(PROFILE_FILE_MAX + 1);
    if (buf == NULL) {
        fclose(f);
        return pc_err_set(err, PC_ENOMEM, "out of memory");
    }
    n = fread(buf, 1, PROFILE_FILE_MAX + 1, f);
    if (ferror(f)) {
        rc = pc_err_set(err, PC_ENOENT, "%s: %s", path, strerror(errno));
    } else if (n > PROFILE_FILE_MAX) {
        rc = pc_err_set(err, PC_EDATA, "%s: larger than %d bytes", path, PROFILE_FILE_MAX);
    } else {
        buf[n] = '\0';
        rc = pc_profile_parse(buf, n, path, out, err);
    }
    free(buf);
    fclose(f);
    return rc;
}

int pc_profile_load(const char *spec, struct pc_profile *out, struct pc_err *err)
{
    size_t n = strlen(spec);
    const char *text, *name;

    if (strchr(spec, '/') != NULL || (n > 5 && strcmp(spec + n - 5, ".json") == 0))
        return load_file(spec, out, err);
    for (size_t i = 0; (text = pc_profile_builtin(i, &name)) != NULL; i++)
        if (strcmp(name, spec) == 0)
            return pc_profile_parse(text, strlen(text), name, out, err);
    return pc_err_set(err, PC_EINVAL, "no profile named '%s' (try 'precall profiles')", spec);
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
