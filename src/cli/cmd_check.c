/* cmd_check.c - 'precall check': run the probes, score, render, exit with the verdict. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/push.h"
#include "precall/netaddr.h"
#include "precall/profile.h"
#include "precall/redact.h"
#include "precall/render.h"
#include "precall/runner.h"
#include "precall/score.h"
#include "precall/stun.h"
#include "precall/utf8.h"

#ifndef PRECALL_VERSION
#define PRECALL_VERSION "0"
#endif

/* Public STUN servers used when none is given: two operators, for the NAT comparison. */
static const char *const default_stun[] = {"stun.l.google.com:19302", "stun.cloudflare.com:3478"};

/* Where the run's events go: the progress line, and a streaming format's lines. */
struct sink {
    struct pc_progress progress;
    const struct pc_renderer *stream; /* NULL unless the format streams */
    struct pc_buf *keep;              /* with -o: the lines wait for the file */
    struct pc_redact *redact;         /* --redact: the run's map, else NULL */
};

/*
 * An event with the addresses and names in its texts (a figure's scope, a
 * probe's reason) redacted, for a streaming format; the progress line on
 * the screen is the person's own and keeps them. Calls render with it.
 */
static void redacted_event(struct sink *k, const struct pc_event *ev, struct pc_buf *b)
{
    struct pc_event e = *ev;
    struct pc_probe_result res;
    char scope[sizeof(((struct pc_target *)0)->detail)];

    if (ev->scope_id != NULL) {
        if (pc_redact_text(k->redact, ev->scope_id, scope, sizeof(scope)) < 0)
            b->failed = 1;
        e.scope_id = scope;
    }
    if (ev->result != NULL) {
        res = *ev->result;
        if (pc_redact_text(k->redact, ev->result->reason, res.reason, sizeof(res.reason)) < 0)
            b->failed = 1;
        e.result = &res;
    }
    k->stream->event(&e, b);
}

static void on_event(void *user, const struct pc_event *ev)
{
    struct sink *k = user;
    struct pc_buf line = {0};

    pc_progress_event(&k->progress, ev);
    if (k->stream == NULL)
        return;
    if (k->redact != NULL)
        redacted_event(k, ev, k->keep != NULL ? k->keep : &line);
    else
        k->stream->event(ev, k->keep != NULL ? k->keep : &line);
    if (k->keep == NULL && !line.failed && line.len > 0) {
        struct pc_err err = {0};

        /* A failure (EPIPE: the reader left) is said once, when stdout is closed. */
        pc_output_write(NULL, &line, &err);
        pc_output_flush();
    }
    pc_buf_free(&line);
}

static int selected(const struct pc_run *run, const char *probe)
{
    for (size_t i = 0; i < run->n_probes; i++)
        if ((run->mask & (1u << i)) && strcmp(run->probes[i]->name, probe) == 0)
            return 1;
    return 0;
}

/* The servers the selected probes talk to, for the support line. */
static void servers_line(struct pc_report *r, const struct pc_run *run)
{
    const struct pc_config *cfg = run->cfg;
    size_t n = 0;

    for (size_t i = 0; i < cfg->n_stun && n < sizeof(r->servers) &&
                       (selected(run, "dns") || selected(run, "udp"));
         i++)
        n += (size_t)snprintf(r->servers + n, sizeof(r->servers) - n, "%s%s", i ? ", " : "",
                              cfg->stun[i]);
    if (n < sizeof(r->servers) && (selected(run, "http") || selected(run, "bandwidth")))
        snprintf(r->servers + n, sizeof(r->servers) - n, "%s%s", n ? ", " : "",
                 cfg->server != NULL ? cfg->server : PC_DEFAULT_SERVER);
    pc_utf8_sanitize(r->servers);
}

int pc_cli_check_servers(struct pc_config *cfg)
{
    struct pc_err err = {0};
    struct pc_hostport hp;

    cfg->stun_defaults = cfg->n_stun == 0;
    if (cfg->n_stun == 0)
        for (size_t i = 0; i < sizeof(default_stun) / sizeof(default_stun[0]); i++)
            cfg->stun[cfg->n_stun++] = default_stun[i];
    for (size_t i = 0; i < cfg->n_stun; i++) {
        if (pc_netaddr_split(cfg->stun[i], PC_STUN_DEFAULT_PORT, &hp, &err) < 0) {
            pc_cli_error("--stun: %s (try 'precall --help')", err.msg);
            return -1;
        }
        if (cfg->family != 0 && pc_netaddr_is_literal(hp.host) &&
            (strchr(hp.host, ':') != NULL) != (cfg->family == 6)) {
            pc_cli_error("--stun %s: an IPv%d address cannot be used with -%d (try 'precall "
                         "--help')",
                         cfg->stun[i], cfg->family == 6 ? 4 : 6, cfg->family);
            return -1;
        }
    }
    return 0;
}

/* The names of the servers the run will talk to, learnt before its first event. */
static int redact_learn_servers(struct pc_redact *m, const struct pc_config *cfg)
{
    struct pc_err err = {0};
    struct pc_hostport hp;
    CURLU *u;
    char *host = NULL;
    int rc = 0;

    for (size_t i = 0; i < cfg->n_stun && rc == 0; i++)
        if (pc_netaddr_split(cfg->stun[i], PC_STUN_DEFAULT_PORT, &hp, &err) == 0 &&
            !pc_netaddr_is_literal(hp.host))
            rc = pc_redact_name(m, hp.host);
    u = curl_url();
    if (rc == 0 && u != NULL &&
        curl_url_set(u, CURLUPART_URL, cfg->server ? cfg->server : PC_DEFAULT_SERVER, 0) ==
            CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && !pc_netaddr_is_literal(host))
        rc = pc_redact_name(m, host);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

int pc_cli_write_report(const struct pc_cli *cli, struct pc_report *report, struct pc_buf *out,
                        int status)
{
    const struct pc_renderer *renderer = pc_renderer_find(cli->format);
    struct pc_render_opts ro = {cli->verbose, 0, cli->quiet, PRECALL_VERSION};
    struct pc_buf screen = {0};
    struct pc_err err = {0};

    if (cli->redact) {
        struct pc_redact *own = cli->redactor != NULL ? NULL : pc_redact_new();
        int rc = own != NULL || cli->redactor != NULL
                     ? pc_redact_report(cli->redactor != NULL ? cli->redactor : own, report)
                     : PC_ENOMEM;

        pc_redact_free(own);
        if (rc < 0) {
            pc_cli_error("out of memory while redacting the report");
            pc_buf_free(out);
            return PC_EXIT_INTERNAL;
        }
    }

    ro.color = strcmp(cli->format, "text") == 0 &&
               pc_cli_use_color(cli->color, cli->output ? NULL : stdout);
    renderer->render(report, &ro, out);
    /* With -o, a person at a terminal still sees the text report. */
    if (cli->output != NULL && isatty(STDOUT_FILENO)) {
        struct pc_render_opts so = ro;

        so.color = pc_cli_use_color(cli->color, stdout);
        pc_render_text(report, &so, &screen);
    }
    if (out->failed || screen.failed) {
        pc_cli_error("out of memory while writing the report");
        status = PC_EXIT_INTERNAL;
    } else if (pc_output_write(cli->output, out, &err) < 0) {
        pc_cli_error("%s", err.msg);
        status = PC_EXIT_IOERR;
    } else if (screen.len > 0 && pc_output_write(NULL, &screen, &err) < 0) {
        pc_cli_error("%s", err.msg);
        status = PC_EXIT_IOERR;
    }
    pc_buf_free(out);
    pc_buf_free(&screen);
    if (status != PC_EXIT_INTERNAL)
        status = pc_cli_push(cli, report, status); /* after the report: it is written first */
    return status;
}

struct pc_report *pc_cli_report_new(const struct pc_cli *cli, const char *command,
                                    int64_t deadline_ns, struct pc_profile *profile, int *status)
{
    struct pc_err err = {0};
    struct pc_report *report;
    int rc = pc_profile_load_until(cli->profile, deadline_ns, profile, &err);

    if (rc < 0) {
        pc_cli_error("%s", err.msg);
        *status = pc_cli_exit_for(rc);
        return NULL;
    }
    report = pc_report_new();
    if (report == NULL) {
        pc_cli_error("out of memory");
        *status = PC_EXIT_INTERNAL;
        return NULL;
    }
    report->command = command;
    report->require = cli->require;
    return report;
}

int pc_cli_run_report(struct pc_cli *cli, struct pc_run *run, const char *command,
                      const char *covers)
{
    const struct pc_renderer *renderer = pc_renderer_find(cli->format);
    struct pc_profile profile;
    struct pc_report *report;
    struct pc_buf out = {0};
    struct sink sink = {.stream = renderer->event != NULL ? renderer : NULL};
    struct pc_events events = {&sink, on_event};
    int status, stuck;
    int64_t t0;

    run->cfg = &cli->cfg;
    run->events = &events;
    /* Caught from the start: a stop during the set-up still gives a (partial) report. */
    run->cancel = pc_signals_catch();
    t0 = pc_clock_now_ns();
    report = pc_cli_report_new(cli, command, t0 + cli->cfg.timeout_ns, &profile, &status);
    cli->cfg.timeout_ns -= pc_clock_now_ns() - t0; /* one deadline for the load and the run */
    if (report == NULL)
        return status;
    report->covers = covers;
    report->require = cli->require;
    servers_line(report, run);
    if (cli->output != NULL)
        sink.keep = &out; /* the file gets the whole stream at the end, atomically */
    /* Before any probe thread: libcurl's global set-up is not thread-safe. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        pc_cli_error("libcurl could not be initialised");
        pc_report_free(report);
        return PC_EXIT_INTERNAL;
    }
    if (cli->redact) {
        cli->redactor = pc_redact_new();
        if (cli->redactor == NULL || redact_learn_servers(cli->redactor, &cli->cfg) < 0) {
            pc_cli_error("out of memory");
            pc_redact_free(cli->redactor);
            pc_report_free(report);
            return PC_EXIT_INTERNAL;
        }
        sink.redact = cli->redactor;
    }
    pc_progress_init(&sink.progress, cli->progress);
    stuck = pc_runner_run(run, report);
    pc_progress_end(&sink.progress);
    pc_score_report(report, &profile);
    if (strcmp(command, "check") == 0)
        pc_cli_history_record(cli, report);

    status = pc_cli_write_report(cli, report, &out, pc_report_exit_code(report));
    pc_redact_free(cli->redactor);
    cli->redactor = NULL;
    if (stuck == 0) /* a probe that did not stop may still touch the report */
        pc_report_free(report);
    return status;
}

int pc_cmd_check(struct pc_cli *cli)
{
    struct pc_run run = {0};
    struct pc_err err = {0};
    int rc;

    run.probes = pc_probe_registry(&run.n_probes);
    rc = pc_runner_select(run.probes, run.n_probes, cli->only, cli->skip, &run.mask, &err);
    if (rc < 0) {
        pc_cli_error("%s (try 'precall --help' for the probes)", err.msg);
        return PC_EXIT_USAGE;
    }
    if (pc_cli_check_servers(&cli->cfg) < 0)
        return PC_EXIT_USAGE;
    if (cli->asked_ns > 0 && !cli->quiet)
        pc_cli_error("--duration %g does not fit before --timeout %g: the check takes %g seconds",
                     (double)cli->asked_ns / 1e9, (double)cli->cfg.timeout_ns / 1e9,
                     (double)cli->cfg.budget_ns / 1e9);
    return pc_cli_run_report(cli, &run, "check", NULL);
}
