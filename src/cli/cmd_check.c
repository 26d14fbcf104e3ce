/* cmd_check.c - 'precall check': run the probes, score, render, exit with the verdict. */
#include <signal.h>
#include <string.h>

#include "cli/cli.h"
#include "precall/netaddr.h"
#include "precall/profile.h"
#include "precall/render.h"
#include "precall/runner.h"
#include "precall/score.h"

/* Public STUN servers used when none is given: two operators, for the NAT comparison. */
static const char *const default_stun[] = {"stun.l.google.com:19302", "stun.cloudflare.com:3478"};

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void catch_sigint(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends the program at once */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

static int check_servers(struct pc_config *cfg)
{
    struct pc_err err = {0};
    struct pc_hostport hp;

    if (cfg->n_stun == 0)
        for (size_t i = 0; i < sizeof(default_stun) / sizeof(default_stun[0]); i++)
            cfg->stun[cfg->n_stun++] = default_stun[i];
    for (size_t i = 0; i < cfg->n_stun; i++) {
        if (pc_netaddr_split(cfg->stun[i], 3478, &hp, &err) < 0) {
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

int pc_cmd_check(struct pc_cli *cli)
{
    const struct pc_renderer *renderer = pc_renderer_find(cli->format);
    struct pc_render_opts ro = {cli->verbose, 0, cli->quiet};
    struct pc_profile profile;
    struct pc_report *report;
    struct pc_progress progress;
    struct pc_events events;
    struct pc_buf out = {0};
    struct pc_err err = {0};
    unsigned mask;
    int rc, status;

    rc = pc_runner_select(cli->only, cli->skip, &mask, &err);
    if (rc < 0) {
        pc_cli_error("%s (try 'precall --help' for the probes)", err.msg);
        return PC_EXIT_USAGE;
    }
    if (check_servers(&cli->cfg) < 0)
        return PC_EXIT_USAGE;
    rc = pc_profile_load_until(cli->profile, pc_clock_now_ns() + cli->cfg.timeout_ns, &profile,
                               &err);
    if (rc < 0) {
        pc_cli_error("%s", err.msg);
        return pc_cli_exit_for(rc);
    }
    report = pc_report_new();
    if (report == NULL) {
        pc_cli_error("out of memory");
        return PC_EXIT_INTERNAL;
    }
    report->require = cli->require;
    catch_sigint();
    pc_progress_init(&progress, cli->progress);
    pc_progress_events(&progress, &events);
    pc_runner_run(&cli->cfg, mask, report, &events, &interrupted);
    pc_progress_end(&progress);
    pc_score_report(report, &profile);

    ro.color = strcmp(cli->format, "text") == 0 &&
               pc_cli_use_color(cli->color, cli->output ? NULL : stdout);
    renderer->render(report, &ro, &out);
    status = pc_report_exit_code(report);
    if (out.failed) {
        pc_cli_error("out of memory while writing the report");
        status = PC_EXIT_INTERNAL;
    } else if (pc_output_write(cli->output, &out, &err) < 0) {
        pc_cli_error("%s", err.msg);
        status = PC_EXIT_IOERR;
    }
    pc_buf_free(&out);
    pc_report_free(report);
    return status;
}
