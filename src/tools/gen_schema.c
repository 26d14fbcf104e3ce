/*
 * gen_schema.c - writes the metric sections of the report's JSON Schema from
 * the metric table (src/core/metrics.c), so that the table is their one
 * source.
 *
 *   gen_schema IN OUT      read the schema IN, replace its generated parts, write OUT
 *   gen_schema --check IN  exit 1 when IN is not what the table generates
 *
 * IN is the report's schema, or the profiles' (its $id names "profiles-"),
 * whose generated part is the thresholds a profile may set: the metrics with
 * a direction, each limit of its kind and within the row's range.
 *
 * The build writes the installed schema this way from data/schema; the test
 * schema.generated runs --check on data/schema/report.schema.json, and the
 * target update-schema rewrites it. Generated: the metric key lists, each
 * metric's property (type, description, x-kind, x-unit, x-better,
 * x-producer, x-scopes), the commands, and for each command the keys its
 * report carries in each kind of scope and the notes it may carry
 * ($defs/report_<command>). The rest of IN is kept as it is.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/metrics.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (text = malloc((size_t)n + 1)) != NULL) {
        if (fread(text, 1, (size_t)n, f) != (size_t)n) {
            free(text);
            text = NULL;
        } else {
            text[n] = '\0';
        }
    }
    fclose(f);
    return text;
}

/* Put item under key of o, in the place of the old one if there was one. */
static void put(cJSON *o, const char *key, cJSON *item)
{
    if (cJSON_GetObjectItemCaseSensitive(o, key) != NULL)
        cJSON_ReplaceItemInObjectCaseSensitive(o, key, item);
    else
        cJSON_AddItemToObject(o, key, item);
}

static cJSON *child(cJSON *o, const char *key)
{
    cJSON *c = cJSON_GetObjectItemCaseSensitive(o, key);

    if (c == NULL)
        c = cJSON_AddObjectToObject(o, key);
    return c;
}

static const char *json_type(enum pc_metric_kind k)
{
    static const char *const n[] = {"number", "integer", "boolean", "string"};

    return n[k];
}

static const char *kind_name(enum pc_metric_kind k)
{
    static const char *const n[] = {"number", "count", "bool", "text"};

    return n[k];
}

static const char *better_name(enum pc_better b)
{
    static const char *const n[] = {"none", "lower", "higher"};

    return n[b];
}

static cJSON *property(const struct pc_metric_def *d)
{
    cJSON *p = cJSON_CreateObject(), *type = cJSON_CreateArray(), *sc = cJSON_CreateArray();

    cJSON_AddItemToArray(type, cJSON_CreateString(json_type(d->kind)));
    cJSON_AddItemToArray(type, cJSON_CreateString("null"));
    cJSON_AddItemToObject(p, "type", type);
    if (d->choices != NULL) {
        cJSON *e = cJSON_AddArrayToObject(p, "enum");

        for (const char *const *c = d->choices; *c != NULL; c++)
            cJSON_AddItemToArray(e, cJSON_CreateString(*c));
        cJSON_AddItemToArray(e, cJSON_CreateNull());
    }
    if (d->kind == PC_KIND_COUNT) {
        cJSON_AddNumberToObject(p, "minimum", d->lo);
        cJSON_AddNumberToObject(p, "maximum", d->hi);
    }
    cJSON_AddStringToObject(p, "description", d->description);
    cJSON_AddStringToObject(p, "x-kind", kind_name(d->kind));
    cJSON_AddStringToObject(p, "x-unit", d->unit);
    cJSON_AddStringToObject(p, "x-better", better_name(d->better));
    cJSON_AddStringToObject(p, "x-producer", pc_producer_name(d->producer));
    for (int k = 0; k < PC_SCOPE__COUNT; k++)
        if (d->scopes & PC_SCOPE_BIT(k))
            cJSON_AddItemToArray(sc, cJSON_CreateString(pc_scope_kind_def(k)->name));
    cJSON_AddItemToObject(p, "x-scopes", sc);
    return p;
}

/* The "metrics" of a scope of kind k in a report of command c: exactly these keys. */
static cJSON *key_set(const struct pc_command_def *c, enum pc_scope_kind k)
{
    cJSON *o = cJSON_CreateObject(), *req = cJSON_CreateArray(), *names = cJSON_CreateArray();

    for (int m = 0; m < PC_M__COUNT; m++) {
        if (pc_metric_def(m)->level == PC_LEVEL_SERIES || !pc_metric_carried(c, m, k))
            continue;
        cJSON_AddItemToArray(req, cJSON_CreateString(pc_metric_def(m)->key));
        cJSON_AddItemToArray(names, cJSON_CreateString(pc_metric_def(m)->key));
    }
    if (cJSON_GetArraySize(req) == 0) {
        cJSON_Delete(req);
        cJSON_Delete(names);
        cJSON_AddNumberToObject(o, "maxProperties", 0);
        return o;
    }
    cJSON_AddItemToObject(o, "required", req);
    cJSON_AddItemToObject(cJSON_AddObjectToObject(o, "propertyNames"), "enum", names);
    return o;
}

static cJSON *command_def(const struct pc_command_def *c)
{
    cJSON *o = cJSON_CreateObject(), *props, *all, *prod = cJSON_CreateArray(), *notes;
    const struct pc_note_def *n;
    char desc[300];

    snprintf(desc, sizeof(desc),
             "What a report of 'precall %s' carries: in each scope, the metrics of its "
             "producers (x-producers) that the scope's kind allows, and no others; the notes "
             "about them.",
             c->name);
    cJSON_AddStringToObject(o, "description", desc);
    for (int p = 0; p < PC_PRODUCER__COUNT; p++)
        if (c->producers & PC_PRODUCER_BIT(p))
            cJSON_AddItemToArray(prod, cJSON_CreateString(pc_producer_name(p)));
    cJSON_AddItemToObject(o, "x-producers", prod);
    props = cJSON_AddObjectToObject(o, "properties");
    cJSON_AddItemToObject(props, "metrics", key_set(c, PC_SCOPE_RUN));
    all = cJSON_AddArrayToObject(
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(props, "scopes"), "items"), "allOf");
    for (int k = 0; k < PC_SCOPE__COUNT; k++) {
        cJSON *rule, *then;

        if (k == PC_SCOPE_RUN)
            continue; /* the run's figures are the top-level "metrics" */
        rule = cJSON_CreateObject();
        cJSON_AddStringToObject(
            cJSON_AddObjectToObject(
                cJSON_AddObjectToObject(cJSON_AddObjectToObject(rule, "if"), "properties"), "kind"),
            "const", pc_scope_kind_def(k)->name);
        then = cJSON_AddObjectToObject(cJSON_AddObjectToObject(rule, "then"), "properties");
        cJSON_AddItemToObject(then, "metrics", key_set(c, k));
        cJSON_AddItemToArray(all, rule);
    }
    notes = cJSON_AddObjectToObject(props, "notes");
    {
        cJSON *e = cJSON_CreateArray();

        for (size_t i = 0; (n = pc_note_at(i)) != NULL; i++)
            if (pc_note_possible(c, n))
                cJSON_AddItemToArray(e, cJSON_CreateString(n->text));
        if (cJSON_GetArraySize(e) == 0) {
            cJSON_Delete(e);
            cJSON_AddNumberToObject(notes, "maxItems", 0);
        } else {
            cJSON_AddItemToObject(cJSON_AddObjectToObject(notes, "items"), "enum", e);
        }
    }
    return o;
}

static cJSON *command_enum(void)
{
    cJSON *e = cJSON_CreateArray();
    const struct pc_command_def *c;

    for (size_t i = 0; (c = pc_command_at(i)) != NULL; i++)
        cJSON_AddItemToArray(e, cJSON_CreateString(c->name));
    return e;
}

static void generate(cJSON *root)
{
    cJSON *defs = child(root, "$defs"), *keys = cJSON_CreateArray(), *values = cJSON_CreateArray();
    cJSON *props = cJSON_CreateObject(), *kinds = cJSON_CreateArray(), *report, *rp, *all, *o;
    cJSON *notes = cJSON_CreateArray();
    const struct pc_command_def *c;
    const struct pc_note_def *n;
    char name[64];

    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);

        cJSON_AddItemToArray(keys, cJSON_CreateString(d->key));
        if (d->level == PC_LEVEL_SERIES)
            continue;
        cJSON_AddItemToArray(values, cJSON_CreateString(d->key));
        cJSON_AddItemToObject(props, d->key, property(d));
    }
    o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "enum", keys);
    put(defs, "metric_key", o);
    o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "enum", values);
    put(defs, "value_key", o);
    for (int k = 0; k < PC_SCOPE__COUNT; k++)
        cJSON_AddItemToArray(kinds, cJSON_CreateString(pc_scope_kind_def(k)->name));
    o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "enum", kinds);
    put(defs, "scope_kind", o);
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", "object");
    cJSON_AddFalseToObject(o, "additionalProperties");
    cJSON_AddItemToObject(o, "properties", props);
    put(defs, "metrics", o);

    report = child(defs, "report");
    rp = child(report, "properties");
    put(child(rp, "command"), "enum", command_enum());
    put(child(child(child(defs, "event"), "properties"), "command"), "enum", command_enum());
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "$ref", "#/$defs/metrics");
    cJSON_AddStringToObject(o, "description",
                            "The run's figures: the keys its command carries in the run "
                            "(see report_<command>)");
    put(rp, "metrics", o);
    for (size_t i = 0; (n = pc_note_at(i)) != NULL; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(n->text));
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", "array");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(o, "items"), "enum", notes);
    cJSON_AddStringToObject(o, "description",
                            "How to read figures of the report: each note is about metrics, "
                            "and is there when one of them was measured");
    put(rp, "notes", o);
    all = cJSON_CreateArray();
    for (size_t i = 0; (c = pc_command_at(i)) != NULL; i++) {
        cJSON *rule = cJSON_CreateObject(), *then;

        snprintf(name, sizeof(name), "report_%s", c->name);
        put(defs, name, command_def(c));
        cJSON_AddStringToObject(
            cJSON_AddObjectToObject(
                cJSON_AddObjectToObject(cJSON_AddObjectToObject(rule, "if"), "properties"),
                "command"),
            "const", c->name);
        then = cJSON_AddObjectToObject(rule, "then");
        snprintf(name, sizeof(name), "#/$defs/report_%s", c->name);
        cJSON_AddStringToObject(then, "$ref", name);
        cJSON_AddItemToArray(all, rule);
    }
    put(report, "allOf", all);
}

/* A limit of metric d at one tier: of its kind, within the values it can take. */
static cJSON *limit(const struct pc_metric_def *d)
{
    cJSON *o = cJSON_CreateObject();

    if (d->kind == PC_KIND_BOOL) {
        cJSON_AddStringToObject(o, "type", "boolean");
        return o;
    }
    cJSON_AddStringToObject(o, "type", "number");
    cJSON_AddNumberToObject(o, "minimum", d->lo);
    cJSON_AddNumberToObject(o, "maximum", d->hi);
    return o;
}

/* profiles.schema.json: the metrics a profile may limit (the parser's rule), and how. */
static void generate_profiles(cJSON *root)
{
    cJSON *props = cJSON_CreateObject(), *o = cJSON_CreateObject();

    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        cJSON *p, *tiers;
        char desc[600];

        /* a figure judged by another key's limits (loss_oneway_pct by loss_pct's) has
         * none of its own: the parser refuses them */
        if (d->better == PC_BETTER_NONE || d->level == PC_LEVEL_SERIES ||
            d->limits_of != PC_M_ONLINE)
            continue;
        p = cJSON_CreateObject();
        snprintf(desc, sizeof(desc), "%s%s%s (%s is better)", d->label, d->unit[0] ? ", " : "",
                 d->unit, d->better == PC_BETTER_LOWER ? "lower" : "higher");
        cJSON_AddStringToObject(p, "type", "object");
        cJSON_AddStringToObject(p, "description", desc);
        cJSON_AddFalseToObject(p, "additionalProperties");
        cJSON_AddNumberToObject(p, "minProperties", 1);
        tiers = cJSON_AddObjectToObject(p, "properties");
        cJSON_AddItemToObject(tiers, "hd", limit(d));
        cJSON_AddItemToObject(tiers, "sd", limit(d));
        cJSON_AddItemToObject(tiers, "audio", limit(d));
        cJSON_AddItemToObject(props, d->key, p);
    }
    cJSON_AddStringToObject(o, "type", "object");
    cJSON_AddStringToObject(o, "description",
                            "The limits by metric key, and by tier; a key a profile does not "
                            "limit is absent");
    cJSON_AddFalseToObject(o, "additionalProperties");
    cJSON_AddItemToObject(o, "properties", props);
    put(child(root, "$defs"), "thresholds", o);
}

int main(int argc, char **argv)
{
    int check = argc == 3 && strcmp(argv[1], "--check") == 0;
    const char *in = check ? argv[2] : argv[1];
    char *text, *out;
    cJSON *root, *id;
    int rc = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: gen_schema IN OUT | gen_schema --check IN\n");
        return 2;
    }
    text = slurp(in);
    if (text == NULL || (root = cJSON_Parse(text)) == NULL) {
        fprintf(stderr, "gen_schema: %s: cannot read it as JSON\n", in);
        free(text);
        return 2;
    }
    id = cJSON_GetObjectItemCaseSensitive(root, "$id");
    if (cJSON_IsString(id) && strstr(id->valuestring, "/profiles-") != NULL)
        generate_profiles(root);
    else
        generate(root);
    out = cJSON_Print(root);
    cJSON_Delete(root);
    if (out == NULL) {
        free(text);
        return 2;
    }
    if (check) {
        size_t n = strlen(out);

        if (strlen(text) != n + 1 || memcmp(text, out, n) != 0 || text[n] != '\n') {
            fprintf(stderr,
                    "gen_schema: %s is not what the metric table generates; rewrite it with "
                    "'cmake --build BUILD --target update-schema' and review the diff\n",
                    in);
            rc = 1;
        }
    } else {
        FILE *f = fopen(argv[2], "wb");

        if (f == NULL || fprintf(f, "%s\n", out) < 0 || fclose(f) != 0) {
            fprintf(stderr, "gen_schema: %s: cannot write it\n", argv[2]);
            rc = 2;
        }
    }
    free(out);
    free(text);
    return rc;
}
