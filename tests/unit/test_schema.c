/*
 * test_schema.c - the shipped JSON Schemas and the program's tables agree:
 * every metric key of the table is in the schema and nothing else is, with
 * the same kind, unit, description, direction, producer and scope kinds;
 * each command's report_<command> lists exactly the keys it carries in each
 * kind of scope and the notes it may carry; the scope kinds, event names and
 * probe statuses are the same lists; the profiles' schema lists the metrics
 * a profile may limit. The schemas are generated from the table
 * (unit.schema_generated proves that), so this checks the generator, and
 * the table itself against rules a row must follow (a unit and a direction
 * that fit its key; 'check' measuring with exactly the probes it runs).
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precall/event.h"
#include "precall/probe.h"
#include "precall/metrics.h"
#include "precall/report.h"

static cJSON *load(const char *path)
{
    FILE *f = fopen(path, "rb");
    static char buf[1 << 21];
    size_t n;

    if (f == NULL)
        return NULL;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return cJSON_Parse(buf);
}

static cJSON *at(cJSON *o, const char *a, const char *b, const char *c)
{
    o = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b != NULL)
        o = cJSON_GetObjectItemCaseSensitive(o, b);
    if (c != NULL)
        o = cJSON_GetObjectItemCaseSensitive(o, c);
    return o;
}

static int in_enum(const cJSON *e, const char *s)
{
    const cJSON *i;

    cJSON_ArrayForEach(i, e) if (cJSON_IsString(i) && strcmp(i->valuestring, s) == 0) return 1;
    return 0;
}

static int has_type(const cJSON *prop, const char *t)
{
    const cJSON *ty = cJSON_GetObjectItemCaseSensitive(prop, "type");

    if (cJSON_IsString(ty))
        return strcmp(ty->valuestring, t) == 0;
    if (ty == NULL) /* an enum of strings (and null) is a string */
        return strcmp(t, "string") == 0 && cJSON_GetObjectItemCaseSensitive(prop, "enum") != NULL;
    return in_enum(ty, t);
}

static const char *kind_name(enum pc_metric_kind k)
{
    static const char *const n[] = {"number", "count", "bool", "text"};

    return n[k];
}

static const char *json_type(enum pc_metric_kind k)
{
    static const char *const n[] = {"number", "integer", "boolean", "string"};

    return n[k];
}

static const char *better_name(enum pc_better b)
{
    static const char *const n[] = {"none", "lower", "higher"};

    return n[b];
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);

    return n >= t && strcmp(s + n - t, tail) == 0;
}

/*
 * Every row follows the rules a reader of its key relies on: the unit the
 * key names, a description that is one sentence, and a direction that fits
 * what it measures (a delay is never better higher, a speed never lower, a
 * signal in dBm is better higher, a loss lower).
 */
static void rows(void)
{
    static const struct {
        const char *suffix, *unit;
    } units[] = {{"_ms", "ms"},       {"_pct", "%"},   {"_mbps", "Mbit/s"}, {"_kbps", "kbit/s"},
                 {"_dbfs", "dBFS"},   {"_dbm", "dBm"}, {"_px", "px"},       {"_mib", "MiB"},
                 {"_bytes", "bytes"}, {"_hz", "Hz"},   {"_duration_s", "s"}};

    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        size_t n = strlen(d->description);
        int ok = 1;

        CHECK((int)d->id == m && d->key != NULL && d->label != NULL && d->unit != NULL);
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
            if (ends_with(d->key, units[i].suffix))
                ok &= strcmp(d->unit, units[i].unit) == 0;
        ok &= n > 10 && d->description[n - 1] == '.';
        if (strcmp(d->unit, "ms") == 0)
            ok &= d->better != PC_BETTER_HIGHER;
        if (strcmp(d->unit, "Mbit/s") == 0 || strcmp(d->unit, "px") == 0 ||
            strcmp(d->unit, "MiB") == 0)
            ok &= d->better != PC_BETTER_LOWER;
        if (strcmp(d->unit, "dBm") == 0)
            ok &= d->better == PC_BETTER_HIGHER;
        if (ends_with(d->key, "loss_pct") || ends_with(d->key, "_lost"))
            ok &= d->better == PC_BETTER_LOWER;
        if (d->kind == PC_KIND_TEXT)
            ok &= d->better == PC_BETTER_NONE;
        if (!ok)
            fprintf(stderr, "metric table: the row of %s breaks a rule\n", d->key);
        CHECK(ok);
    }
}

/* 'check' measures with the probes of the registry, and only with them. */
static void check_producers(void)
{
    const struct pc_command_def *c = pc_command_find("check");
    unsigned want = 0;
    size_t n;
    const struct pc_probe *const *reg = pc_probe_registry(&n);

    CHECK(c != NULL);
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < PC_PRODUCER__COUNT; p++)
            if (strcmp(pc_producer_name(p), reg[i]->name) == 0)
                want |= PC_PRODUCER_BIT(p);
    CHECK(c != NULL && c->producers == want);
    CHECK(pc_command_find("devices") != NULL && pc_command_find("analyze") != NULL);
    CHECK(pc_command_find("capture") != NULL && pc_command_find("nosuch") == NULL);
}

/* "metrics" of a scope in report_<command>: exactly the carried keys (none: maxProperties 0). */
static int key_set_is(cJSON *set, const struct pc_command_def *c, enum pc_scope_kind k)
{
    cJSON *req = cJSON_GetObjectItemCaseSensitive(set, "required");
    cJSON *names = at(set, "propertyNames", "enum", NULL);
    int n = 0, ok = 1;

    for (int m = 0; m < PC_M__COUNT; m++) {
        if (pc_metric_def(m)->level == PC_LEVEL_SERIES || !pc_metric_carried(c, m, k))
            continue;
        n++;
        ok &= in_enum(req, pc_metric_def(m)->key) && in_enum(names, pc_metric_def(m)->key);
    }
    if (n == 0)
        return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(set, "maxProperties")) == 0;
    return ok && cJSON_GetArraySize(req) == n && cJSON_GetArraySize(names) == n;
}

static void commands(cJSON *defs)
{
    const struct pc_command_def *c;
    const struct pc_note_def *note;
    cJSON *cmds = at(defs, "report", "properties", "command");
    cJSON *all = at(defs, "report", "allOf", NULL);
    char name[64];

    cmds = cJSON_GetObjectItemCaseSensitive(cmds, "enum");
    for (size_t i = 0; (c = pc_command_at(i)) != NULL; i++) {
        cJSON *def, *rules, *rule, *notes;
        int kinds = 0, n_notes = 0;

        CHECK(in_enum(cmds, c->name));
        snprintf(name, sizeof(name), "report_%s", c->name);
        def = cJSON_GetObjectItemCaseSensitive(defs, name);
        CHECK(def != NULL);
        if (def == NULL)
            continue;
        CHECK(key_set_is(at(def, "properties", "metrics", NULL), c, PC_SCOPE_RUN));
        rules = at(at(def, "properties", "scopes", "items"), "allOf", NULL, NULL);
        cJSON_ArrayForEach(rule, rules)
        {
            const char *kind = at(rule, "if", "properties", "kind")->child->valuestring;

            for (int k = 0; k < PC_SCOPE__COUNT; k++)
                if (strcmp(kind, pc_scope_kind_def(k)->name) == 0) {
                    kinds++;
                    if (!key_set_is(at(rule, "then", "properties", "metrics"), c, k)) {
                        fprintf(stderr, "schema: %s: keys of %s scopes differ\n", name, kind);
                        CHECK(0);
                    }
                }
        }
        CHECK(kinds == PC_SCOPE__COUNT - 1); /* every kind but the run */
        notes = at(def, "properties", "notes", NULL);
        for (size_t k = 0; (note = pc_note_at(k)) != NULL; k++)
            if (pc_note_possible(c, note)) {
                n_notes++;
                CHECK(in_enum(at(notes, "items", "enum", NULL), note->text));
            }
        CHECK(n_notes > 0 ? cJSON_GetArraySize(at(notes, "items", "enum", NULL)) == n_notes
                          : cJSON_GetNumberValue(at(notes, "maxItems", NULL, NULL)) == 0);
    }
    CHECK(cJSON_GetArraySize(cmds) == cJSON_GetArraySize(all));
    /* A capture's notes: none of the round trip's. */
    CHECK(!pc_note_possible(pc_command_find("analyze"), pc_note_at(0)));
    CHECK(pc_note_possible(pc_command_find("check"), pc_note_at(0)));
}

/* profiles.schema.json: the metrics a profile may limit, with limits of their kind and range. */
static void profiles(cJSON *root)
{
    cJSON *props = at(root, "$defs", "thresholds", "properties");
    int n = 0;

    CHECK(props != NULL);
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        cJSON *hd = at(cJSON_GetObjectItemCaseSensitive(props, d->key), "properties", "hd", NULL);

        if (d->better == PC_BETTER_NONE || d->level == PC_LEVEL_SERIES ||
            d->limits_of != PC_M_ONLINE) {
            /* loss_oneway_pct is judged by loss_pct's limits: a profile may not set its own */
            CHECK(cJSON_GetObjectItemCaseSensitive(props, d->key) == NULL);
            continue;
        }
        n++;
        CHECK(hd != NULL);
        if (hd == NULL)
            continue;
        if (d->kind == PC_KIND_BOOL) {
            CHECK(strcmp(cJSON_GetObjectItemCaseSensitive(hd, "type")->valuestring, "boolean") ==
                  0);
        } else {
            CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(hd, "minimum")) == d->lo);
            CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(hd, "maximum")) == d->hi);
        }
    }
    CHECK(cJSON_GetArraySize(props) == n);
}

static void metrics(cJSON *defs)
{
    cJSON *props = at(defs, "metrics", "properties", NULL), *p;
    cJSON *keys = at(defs, "metric_key", "enum", NULL),
          *values = at(defs, "value_key", "enum", NULL);
    int n_values = 0;

    CHECK(props != NULL && keys != NULL && values != NULL);
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        cJSON *prop = cJSON_GetObjectItemCaseSensitive(props, d->key), *sc, *x;
        int i = 0, ok = 1;

        if (!in_enum(keys, d->key)) {
            fprintf(stderr, "schema: metric_key lacks %s\n", d->key);
            CHECK(0);
        }
        if (d->level == PC_LEVEL_SERIES) {
            CHECK(prop == NULL && !in_enum(values, d->key));
            continue;
        }
        n_values++;
        if (prop == NULL || !in_enum(values, d->key)) {
            fprintf(stderr, "schema: no metrics property or value_key for %s\n", d->key);
            CHECK(0);
            continue;
        }
        x = cJSON_GetObjectItemCaseSensitive(prop, "x-kind");
        CHECK(cJSON_IsString(x) && strcmp(x->valuestring, kind_name(d->kind)) == 0);
        x = cJSON_GetObjectItemCaseSensitive(prop, "x-unit");
        CHECK(cJSON_IsString(x) && strcmp(x->valuestring, d->unit) == 0);
        x = cJSON_GetObjectItemCaseSensitive(prop, "description");
        CHECK(cJSON_IsString(x) && strcmp(x->valuestring, d->description) == 0);
        x = cJSON_GetObjectItemCaseSensitive(prop, "x-better");
        CHECK(cJSON_IsString(x) && strcmp(x->valuestring, better_name(d->better)) == 0);
        x = cJSON_GetObjectItemCaseSensitive(prop, "x-producer");
        CHECK(cJSON_IsString(x) && strcmp(x->valuestring, pc_producer_name(d->producer)) == 0);
        CHECK(has_type(prop, json_type(d->kind)));
        sc = cJSON_GetObjectItemCaseSensitive(prop, "x-scopes");
        for (int k = 0; k < PC_SCOPE__COUNT; k++) {
            if (!(d->scopes & PC_SCOPE_BIT(k)))
                continue;
            x = cJSON_GetArrayItem(sc, i++);
            ok &= cJSON_IsString(x) && strcmp(x->valuestring, pc_scope_kind_def(k)->name) == 0;
        }
        ok &= cJSON_GetArraySize(sc) == i;
        if (!ok)
            fprintf(stderr, "schema: x-scopes of %s differ from the table\n", d->key);
        CHECK(ok);
    }
    /* Nothing in the schema that the table does not have. */
    cJSON_ArrayForEach(p, props) CHECK(pc_metric_find(p->string) != NULL);
    CHECK(cJSON_GetArraySize(keys) == PC_M__COUNT);
    CHECK(cJSON_GetArraySize(values) == n_values);
}

static void lists(cJSON *root, cJSON *defs)
{
    cJSON *kinds = at(defs, "scope_kind", "enum", NULL);
    cJSON *events = at(defs, "event", "properties", "event");
    cJSON *status = at(at(defs, "report", "properties", "probes"), "additionalProperties",
                       "properties", "status");

    CHECK(cJSON_GetArraySize(kinds) == PC_SCOPE__COUNT);
    for (int k = 0; k < PC_SCOPE__COUNT; k++)
        CHECK(strcmp(cJSON_GetArrayItem(kinds, k)->valuestring, pc_scope_kind_def(k)->name) == 0);
    events = cJSON_GetObjectItemCaseSensitive(events, "enum");
    CHECK(cJSON_GetArraySize(events) == PC_EVENT_RUN_DONE + 1);
    for (int e = 0; e <= PC_EVENT_RUN_DONE; e++)
        CHECK(in_enum(events, pc_event_name(e)));
    status = cJSON_GetObjectItemCaseSensitive(status, "enum");
    CHECK(cJSON_GetArraySize(status) == PC_STATUS_INTERRUPTED + 1);
    for (int s = 0; s <= PC_STATUS_INTERRUPTED; s++)
        CHECK(in_enum(status, pc_status_name(s)));
    /* Every command that writes a report is in the "command" enum. */
    CHECK(in_enum(at(at(defs, "report", "properties", "command"), "enum", NULL, NULL), "check"));
    CHECK(in_enum(at(at(defs, "report", "properties", "command"), "enum", NULL, NULL), "analyze"));
    CHECK(in_enum(at(at(defs, "report", "properties", "command"), "enum", NULL, NULL), "capture"));
    CHECK(in_enum(at(at(defs, "report", "properties", "command"), "enum", NULL, NULL), "devices"));
    CHECK(strcmp(at(defs, "report", "properties", "schema")->child->valuestring,
                 PC_REPORT_SCHEMA) == 0);
    (void)root;
}

int main(void)
{
    cJSON *root = load(PRECALL_SCHEMA), *defs;

    CHECK(root != NULL);
    if (root == NULL)
        return check_done();
    defs = cJSON_GetObjectItemCaseSensitive(root, "$defs");
    metrics(defs);
    lists(root, defs);
    commands(defs);
    cJSON_Delete(root);
    rows();
    check_producers();
    root = load(PRECALL_PROFILES_SCHEMA);
    CHECK(root != NULL);
    profiles(root);
    cJSON_Delete(root);
    return check_done();
}
