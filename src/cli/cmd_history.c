/*
 * cmd_history.c - 'precall history': the checks this user ran, from the
 * history file; and the step of 'check' and 'watch' that compares a check
 * with the usual on its network and appends it there.
 *
 * The list is a table of formats, each a function over the entries: text (a
 * table), json (an array of the lines' objects), ndjson (the lines as they
 * are stored). A further format (CSV) is one more row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "precall/render.h"
#include "precall/history.h"
#include "precall/utf8.h"

int pc_cli_history_path(char *buf, size_t cap)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

    /* A relative XDG_STATE_HOME is invalid (XDG Base Directory spec): ignored. */
    if (state != NULL && state[0] == '/')
        return pc_strfmt(buf, cap, "%s/precall/history.ndjson", state) != 0 ? -1 : 0;
    if (home == NULL || home[0] != '/')
        return -1;
    return pc_strfmt(buf, cap, "%s/.local/state/precall/history.ndjson", home) != 0 ? -1 : 0;
}

void pc_cli_history_record(const struct pc_cli *cli, struct pc_report *report)
{
    struct pc_history h = {0};
    struct pc_history_entry e;
    struct pc_buf line = {0};
    struct pc_err err = {0};
    char path[4096];

    if (cli->no_history)
        return;
    if (pc_cli_history_path(path, sizeof(path)) < 0) {
        pc_cli_error("warning: no history written: neither XDG_STATE_HOME nor HOME is an "
                     "absolute path");
        return;
    }
    if (pc_history_load(path, &h, &err) < 0)
        pc_cli_error("warning: history not read: %s", err.msg);
    else
        pc_history_note(report, &h);
    pc_history_free(&h);
    pc_history_entry_of(report, &e);
    pc_history_line(&e, &line);
    if (line.failed)
        pc_cli_error("warning: no history written: out of memory");
    else if (pc_history_append(path, line.data, line.len, PC_HISTORY_MAX_LINES, &err) < 0)
        pc_cli_error("warning: no history written: %s", err.msg);
    pc_buf_free(&line);
}

/* ------------------------------------------------------------------ the list */

/* "2026-12-03T14:00:01Z" as "2026-12-03 14:00:01" (whatever it holds, at most 19 characters). */
static void when(const char *iso, char *buf, size_t cap)
{
    pc_strfmt(buf, cap, "%.19s", iso);
    if (strlen(buf) > 10 && buf[10] == 'T')
        buf[10] = ' ';
}

static void figure(const struct pc_history_entry *e, enum pc_history_figure f, char *buf,
                   size_t cap)
{
    if (isnan(e->fig[f]))
        pc_strfmt(buf, cap, "-");
    else
        pc_strfmt(buf, cap, "%.*f", pc_metric_def(pc_history_figure_def(f)->metric)->decimals,
                  e->fig[f]);
}

static const char *or_dash(const char *s)
{
    return s[0] ? s : "-";
}

static void list_text(const struct pc_history *h, struct pc_buf *b)
{
    pc_buf_printf(b, "%-19s  %-5s  %-10s  %-10s  %-8s  %-18s", "When (UTC)", "Tier", "Status",
                  "Interface", "Link", "Network");
    for (int f = 0; f < PC_HFIG__COUNT; f++) {
        const struct pc_history_figure_def *d = pc_history_figure_def(f);
        char head[32];

        pc_strfmt(head, sizeof(head), "%s %s", d->short_label, pc_metric_def(d->metric)->unit);
        pc_buf_printf(b, "  %12s", head);
    }
    pc_buf_puts(b, "\n");
    for (size_t i = 0; i < h->n; i++) {
        const struct pc_history_entry *e = &h->e[i];
        char t[32], row[512];

        when(e->started_at, t, sizeof(t));
        pc_strfmt(row, sizeof(row), "%-19s  %-5s  %-10s  %-10s  %-8s  %-18s", t, e->tier,
                  e->complete ? e->status : "stopped", or_dash(e->net.interface),
                  or_dash(e->net.link_kind), or_dash(e->net.public_prefix));
        pc_utf8_sanitize(row); /* the file is untrusted: no escape reaches the terminal */
        pc_buf_puts(b, row);
        for (int f = 0; f < PC_HFIG__COUNT; f++) {
            char v[32];

            figure(e, f, v, sizeof(v));
            pc_buf_printf(b, "  %12s", v);
        }
        pc_buf_puts(b, "\n");
    }
    if (h->n == 0)
        pc_buf_puts(b, "(no checks yet)\n");
}

static void list_ndjson(const struct pc_history *h, struct pc_buf *b)
{
    for (size_t i = 0; i < h->n; i++)
        pc_history_line(&h->e[i], b);
}

static void list_json(const struct pc_history *h, struct pc_buf *b)
{
    struct pc_buf one = {0};

    pc_buf_puts(b, "[");
    for (size_t i = 0; i < h->n; i++) {
        one.len = 0;
        pc_history_line(&h->e[i], &one);
        if (one.failed) {
            b->failed = 1;
            break;
        }
        one.data[one.len - 1] = '\0'; /* the newline */
        pc_buf_printf(b, "%s\n  %s", i ? "," : "", one.data);
    }
    pc_buf_puts(b, h->n ? "\n]\n" : "]\n");
    pc_buf_free(&one);
}

/* One row per check, the header first: its identity, its network, its figures (with units). */
static void list_csv(const struct pc_history *h, struct pc_buf *b)
{
    static const char *const head[] = {"started_at", "command",      "tier",      "status",
                                       "exit_code",  "complete",     "interface", "link_kind",
                                       "wifi_ssid",  "public_prefix"};

    for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
        pc_buf_printf(b, "%s%s", i ? "," : "", head[i]);
    for (int f = 0; f < PC_HFIG__COUNT; f++) {
        char name[128];

        pc_csv_metric_name(pc_history_figure_def(f)->metric, name, sizeof(name));
        pc_buf_puts(b, ",");
        pc_csv_field(b, name);
    }
    pc_buf_puts(b, "\r\n");
    for (size_t i = 0; i < h->n; i++) {
        const struct pc_history_entry *e = &h->e[i];
        const char *text[] = {
            e->started_at,    e->command,       e->tier,          e->status,           NULL, NULL,
            e->net.interface, e->net.link_kind, e->net.wifi_ssid, e->net.public_prefix};

        for (size_t k = 0; k < sizeof(text) / sizeof(text[0]); k++) {
            pc_buf_puts(b, k ? "," : "");
            if (k == 4)
                pc_buf_printf(b, "%d", e->exit_code);
            else if (k == 5)
                pc_buf_puts(b, e->complete ? "true" : "false");
            else
                pc_csv_field(b, text[k]);
        }
        for (int f = 0; f < PC_HFIG__COUNT; f++) {
            pc_buf_puts(b, ",");
            pc_csv_number(b, e->fig[f]);
        }
        pc_buf_puts(b, "\r\n");
    }
}

static const struct {
    const char *format;
    void (*list)(const struct pc_history *h, struct pc_buf *b);
} lists[] = {
    {"text", list_text},
    {"json", list_json},
    {"ndjson", list_ndjson},
    {"csv", list_csv},
};

int pc_cmd_history(struct pc_cli *cli)
{
    struct pc_history h = {0};
    struct pc_buf out = {0};
    struct pc_err err = {0};
    char path[4096];
    size_t k;
    int status = PC_EXIT_READY;

    for (k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
        if (strcmp(lists[k].format, cli->format) == 0)
            break;
    if (k == sizeof(lists) / sizeof(lists[0])) {
        pc_cli_error("history: --format %s is not available here (text, json, ndjson or csv)",
                     cli->format);
        return PC_EXIT_USAGE;
    }
    if (pc_cli_history_path(path, sizeof(path)) < 0) {
        pc_cli_error("history: neither XDG_STATE_HOME nor HOME is an absolute path");
        return PC_EXIT_NOINPUT;
    }
    if (pc_history_load(path, &h, &err) < 0) {
        pc_cli_error("history: %s", err.msg);
        return pc_cli_exit_for(err.code);
    }
    if (h.skipped > 0)
        pc_cli_error("warning: %s: %zu line%s could not be read and %s left out", path, h.skipped,
                     h.skipped == 1 ? "" : "s", h.skipped == 1 ? "is" : "are");
    lists[k].list(&h, &out);
    if (out.failed) {
        pc_cli_error("out of memory");
        status = PC_EXIT_INTERNAL;
    } else if (pc_output_write(cli->output, &out, &err) < 0) {
        pc_cli_error("%s", err.msg);
        status = PC_EXIT_IOERR;
    }
    pc_buf_free(&out);
    pc_history_free(&h);
    return status;
}
