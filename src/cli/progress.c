/*
 * progress.c - one updating line on stderr while the check runs: the
 * probe, the elapsed time and its latest figure. Drawn only when stderr is
 * a terminal; the runner serialises the calls.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "precall/clock.h"
#include "precall/render.h"

static void draw(struct pc_progress *p)
{
    double s = (double)(pc_clock_now_ns() - p->start_ns) / 1e9;

    fprintf(stderr, "\r\033[K  checking %-5s %5.1f s  %s", p->probe, s, p->figure);
    fflush(stderr);
}

static void on_start(void *user, const char *probe)
{
    struct pc_progress *p = user;

    snprintf(p->probe, sizeof(p->probe), "%s", probe);
    p->figure[0] = '\0';
    draw(p);
}

static void on_figure(void *user, const char *probe, enum pc_metric m, double value)
{
    struct pc_progress *p = user;
    const struct pc_metric_def *d = pc_metric_def(m);

    snprintf(p->probe, sizeof(p->probe), "%s", probe);
    snprintf(p->figure, sizeof(p->figure), "%s %.*f %s", d->label, d->decimals, value, d->unit);
    draw(p);
}

static void on_done(void *user, const struct pc_probe_result *res)
{
    struct pc_progress *p = user;

    snprintf(p->figure, sizeof(p->figure), "%s", pc_status_name(res->status));
    draw(p);
}

void pc_progress_init(struct pc_progress *p, int enabled)
{
    memset(p, 0, sizeof(*p));
    p->enabled = enabled && isatty(STDERR_FILENO);
    p->start_ns = pc_clock_now_ns();
}

void pc_progress_events(struct pc_progress *p, struct pc_events *ev)
{
    memset(ev, 0, sizeof(*ev));
    if (!p->enabled)
        return;
    ev->user = p;
    ev->probe_start = on_start;
    ev->figure = on_figure;
    ev->probe_done = on_done;
}

void pc_progress_end(struct pc_progress *p)
{
    if (p->enabled) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}
