/*
 * cmd_profiles.c - 'precall profiles': the scoring profiles and their
 * thresholds, as a table, JSON, NDJSON (a profile a line) or CSV (a limit a
 * row). With --profile FILE it validates and
 * shows that one profile.
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "precall/buf.h"
#include "precall/profile.h"
#include "precall/render.h" /* pc_csv_field, pc_csv_number */

/* A limit as the table shows it: "<= 100", ">= 2.5", "yes", "-" when none. */
static void cell(const struct pc_profile *p, const struct pc_metric_def *d, int t, char *buf,
                 size_t cap)
{
    if (!p->has[d->id][t])
        pc_strfmt(buf, cap, "-");
    else if (d->kind == PC_KIND_BOOL)
        pc_strfmt(buf, cap, "%s", p->limit[d->id][t] != 0 ? "yes" : "no");
    else
        pc_strfmt(buf, cap, "%s %g",
                  d->better == PC_BETTER_LOWER ? "<=" : ">=", p->limit[d->id][t]);
}

static int limited(const struct pc_profile *p, int m)
{
    int any = 0;

    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++)
        any |= p->has[m][t];
    return any;
}

/*
 * The limits of a profile as a table: a metric a line, a column a tier (hd
 * first), every column as wide as its widest entry, so that the longest key
 * (stream_worst_second_loss_pct) and the widest limit keep the columns straight.
 */
static void text_profile(struct pc_buf *b, const struct pc_profile *p)
{
    size_t wkey = strlen("metric"), wcell[PC_TIER__COUNT] = {0};
    char c[32];

    for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++)
        wcell[t] = strlen(pc_tier_name(t));
    for (int m = 0; m < PC_M__COUNT; m++) {
        if (!limited(p, m))
            continue;
        if (strlen(pc_metric_def(m)->key) > wkey)
            wkey = strlen(pc_metric_def(m)->key);
        for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++) {
            cell(p, pc_metric_def(m), t, c, sizeof(c));
            if (strlen(c) > wcell[t])
                wcell[t] = strlen(c);
        }
    }
    pc_buf_printf(b, "%s - %s\n", p->name, p->description);
    pc_buf_printf(b, "  %-*s", (int)wkey, "metric");
    for (int t = PC_TIER_HD; t >= PC_TIER_AUDIO; t--)
        pc_buf_printf(b, "  %*s", (int)wcell[t], pc_tier_name(t));
    pc_buf_puts(b, "\n");
    for (int m = 0; m < PC_M__COUNT; m++) {
        if (!limited(p, m))
            continue;
        pc_buf_printf(b, "  %-*s", (int)wkey, pc_metric_def(m)->key);
        for (int t = PC_TIER_HD; t >= PC_TIER_AUDIO; t--) {
            cell(p, pc_metric_def(m), t, c, sizeof(c));
            pc_buf_printf(b, "  %*s", (int)wcell[t], c);
        }
        pc_buf_puts(b, "\n");
    }
}

static cJSON *json_profile(const struct pc_profile *p)
{
    cJSON *o = cJSON_CreateObject(), *th = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "description", p->description);
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        cJSON *lim = NULL;

        for (int t = PC_TIER_HD; t >= PC_TIER_AUDIO; t--) {
            if (!p->has[m][t])
                continue;
            if (lim == NULL)
                lim = cJSON_AddObjectToObject(th, d->key);
            if (d->kind == PC_KIND_BOOL)
                cJSON_AddBoolToObject(lim, pc_tier_name(t), p->limit[m][t] != 0);
            else
                cJSON_AddNumberToObject(lim, pc_tier_name(t), p->limit[m][t]);
        }
    }
    cJSON_AddItemToObject(o, "thresholds", th);
    return o;
}

/* One profile as a line of JSON (-f ndjson). */
static void ndjson_profile(struct pc_buf *b, const struct pc_profile *p)
{
    cJSON *o = json_profile(p);
    char *text = cJSON_PrintUnformatted(o);

    if (text != NULL)
        pc_buf_printf(b, "%s\n", text);
    else
        b->failed = 1;
    free(text);
    cJSON_Delete(o);
}

/*
 * One profile as CSV rows (-f csv): a row per limited metric, its unit, and
 * a column per tier (hd first, as the table); empty where the tier has no
 * limit, 1 or 0 for a yes/no limit. The header comes once, before the first.
 */
static void csv_profile(struct pc_buf *b, const struct pc_profile *p)
{
    if (b->len == 0)
        pc_buf_puts(b, "profile,metric,unit,hd,sd,audio\r\n");
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);

        if (!limited(p, m))
            continue;
        pc_csv_field(b, p->name);
        pc_buf_puts(b, ",");
        pc_csv_field(b, d->key);
        pc_buf_puts(b, ",");
        pc_csv_field(b, d->unit);
        for (int t = PC_TIER_HD; t >= PC_TIER_AUDIO; t--) {
            pc_buf_puts(b, ",");
            if (p->has[m][t])
                pc_csv_number(b, p->limit[m][t]);
        }
        pc_buf_puts(b, "\r\n");
    }
}

/* The formats 'profiles' writes; json gathers every profile into one array. */
static const struct {
    const char *format;
    void (*add)(struct pc_buf *b, const struct pc_profile *p);
} formats[] = {
    {"text", NULL},
    {"json", NULL},
    {"ndjson", ndjson_profile},
    {"csv", csv_profile},
};

static void add_profile(struct pc_buf *b, cJSON *arr, size_t f, const struct pc_profile *p)
{
    if (arr != NULL) {
        cJSON_AddItemToArray(arr, json_profile(p));
        return;
    }
    if (formats[f].add != NULL) {
        formats[f].add(b, p);
        return;
    }
    if (b->len > 0)
        pc_buf_puts(b, "\n");
    text_profile(b, p);
}

int pc_cmd_profiles(struct pc_cli *cli)
{
    int json = strcmp(cli->format, "json") == 0;
    cJSON *arr = NULL;
    struct pc_buf b = {0};
    struct pc_err err = {0};
    struct pc_profile p;
    const char *name;
    int rc = 0, status = PC_EXIT_READY;
    size_t f;

    for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
        if (strcmp(formats[f].format, cli->format) == 0)
            break;
    if (f == sizeof(formats) / sizeof(formats[0])) {
        pc_cli_error("profiles: --format %s is not available here (text, json, ndjson or csv)",
                     cli->format);
        return PC_EXIT_USAGE;
    }
    arr = json ? cJSON_CreateArray() : NULL;
    if (strcmp(cli->profile, PC_PROFILE_DEFAULT) != 0) {
        rc = pc_profile_load(cli->profile, &p, &err);
        if (rc == 0)
            add_profile(&b, arr, f, &p);
    } else {
        for (size_t i = 0; rc == 0 && pc_profile_builtin(i, &name) != NULL; i++) {
            rc = pc_profile_load(name, &p, &err);
            if (rc == 0)
                add_profile(&b, arr, f, &p);
        }
    }
    if (rc < 0) {
        pc_cli_error("%s", err.msg);
        cJSON_Delete(arr);
        pc_buf_free(&b);
        return pc_cli_exit_for(rc);
    }
    if (arr != NULL) {
        char *text = cJSON_Print(arr);

        if (text != NULL) {
            pc_buf_printf(&b, "%s\n", text);
            free(text);
        } else {
            b.failed = 1;
        }
        cJSON_Delete(arr);
    }
    if (b.failed) {
        pc_cli_error("out of memory while writing the profiles");
        status = PC_EXIT_INTERNAL;
    } else {
        pc_output_write(NULL, &b, &err);
    }
    pc_buf_free(&b);
    return status;
}
