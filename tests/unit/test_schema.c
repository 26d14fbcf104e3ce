/*
 * test_schema.c - the shipped JSON Schema and the program's tables agree:
 * every metric key of the table is in the schema and nothing else is, with
 * the same kind, unit and scope kinds; the scope kinds, event names and
 * probe statuses are the same lists. A row added to the metric table
 * without its schema entry (or the other way round) fails here.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precall/event.h"
#include "precall/metrics.h"
#include "precall/report.h"

static cJSON *load(const char *path)
{
    FILE *f = fopen(path, "rb");
    static char buf[1 << 20];
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
    cJSON *req = at(at(defs, "report", "properties", "metrics"), "required", NULL, NULL);

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
    /* The run's metrics object has every value key the run scope may hold, and no other. */
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);

        CHECK(in_enum(req, d->key) ==
              (d->level != PC_LEVEL_SERIES && (d->scopes & PC_SCOPE_BIT(PC_SCOPE_RUN))));
    }
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
    cJSON_Delete(root);
    return check_done();
}
