/*
 * cmd_profiles.c - 'precall profiles': the scoring profiles and their
 * thresholds, as a table or as JSON. With --profile FILE it validates and
 * shows that one profile.
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "precall/profile.h"

static void text_profile(struct pc_buf *b, const struct pc_profile *p)
{
    pc_buf_printf(b, "%s - %s\n", p->name, p->description);
    pc_buf_printf(b, "  %-18s %10s %10s %10s\n", "metric", "hd", "sd", "audio");
    for (int m = 0; m < PC_M__COUNT; m++) {
        const struct pc_metric_def *d = pc_metric_def(m);
        int any = 0;

        for (int t = PC_TIER_AUDIO; t < PC_TIER__COUNT; t++)
            any |= p->has[m][t];
        if (!any)
            continue;
        pc_buf_printf(b, "  %-18s", d->key);
        for (int t = PC_TIER_HD; t >= PC_TIER_AUDIO; t--) {
            char cell[32] = "-";

            if (p->has[m][t] && d->kind == PC_KIND_BOOL)
                snprintf(cell, sizeof(cell), "%s", p->limit[m][t] != 0 ? "yes" : "no");
            else if (p->has[m][t])
                snprintf(cell, sizeof(cell), "%s %g",
                         d->better == PC_BETTER_LOWER ? "<=" : ">=", p->limit[m][t]);
            pc_buf_printf(b, " %10s", cell);
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

static int add_profile(struct pc_buf *b, cJSON *arr, const struct pc_profile *p)
{
    if (arr != NULL) {
        cJSON_AddItemToArray(arr, json_profile(p));
        return 0;
    }
    if (b->len > 0)
        pc_buf_puts(b, "\n");
    text_profile(b, p);
    return 0;
}

int pc_cmd_profiles(struct pc_cli *cli)
{
    int json = strcmp(cli->format, "json") == 0;
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    struct pc_buf b = {0};
    struct pc_err err = {0};
    struct pc_profile p;
    const char *name;
    int rc = 0, status = PC_EXIT_READY;

    if (strcmp(cli->profile, PC_PROFILE_DEFAULT) != 0) {
        rc = pc_profile_load(cli->profile, &p, &err);
        if (rc == 0)
            add_profile(&b, arr, &p);
    } else {
        for (size_t i = 0; rc == 0 && pc_profile_builtin(i, &name) != NULL; i++) {
            rc = pc_profile_load(name, &p, &err);
            if (rc == 0)
                add_profile(&b, arr, &p);
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
