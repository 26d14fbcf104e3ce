/*
 * progress.c - one updating line on stderr while the check runs: what it
 * is doing in words a client knows, the elapsed time and the latest
 * figure. Drawn only when stderr is a terminal; on a "dumb" terminal it
 * is redrawn with a carriage return and spaces, without escape sequences.
 * It consumes the runner's events, which come serialised.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "precall/buf.h"
#include "precall/clock.h"
#include "precall/render.h"

#define LINE_WIDTH 78

static void draw(struct pc_progress *p)
{
    double s = (double)(pc_clock_now_ns() - p->start_ns) / 1e9;
    char line[LINE_WIDTH + 1];

    pc_strfmt(line, sizeof(line), "  %s... %4.1f s  %s", p->activity, s, p->figure);
    if (p->dumb)
        fprintf(stderr, "\r%-*s", LINE_WIDTH, line);
    else
        fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
}

static const char *activity_of(const char *probe)
{
    size_t n;
    const struct pc_probe *const *list = pc_probe_registry(&n);

    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i]->name, probe) == 0 && list[i]->activity != NULL)
            return list[i]->activity;
    return "Checking";
}

void pc_progress_event(struct pc_progress *p, const struct pc_event *ev)
{
    const struct pc_metric_def *d;
    char value[48];

    if (!p->enabled)
        return;
    switch (ev->kind) {
    case PC_EVENT_PROBE_START:
        snprintf(p->activity, sizeof(p->activity), "%s", activity_of(ev->probe));
        p->figure[0] = '\0';
        break;
    case PC_EVENT_FIGURE:
        d = pc_metric_def(ev->metric);
        pc_render_number(d, ev->value, value, sizeof(value));
        snprintf(p->figure, sizeof(p->figure), "%s %s", d->label, value);
        break;
    case PC_EVENT_PROBE_DONE:
        p->figure[0] = '\0';
        break;
    default:
        return;
    }
    draw(p);
}

void pc_progress_init(struct pc_progress *p, int enabled)
{
    const char *term = getenv("TERM");

    memset(p, 0, sizeof(*p));
    p->enabled = enabled && isatty(STDERR_FILENO);
    p->dumb = term == NULL || strcmp(term, "dumb") == 0;
    p->start_ns = pc_clock_now_ns();
}

void pc_progress_end(struct pc_progress *p)
{
    if (!p->enabled)
        return;
    if (p->dumb)
        fprintf(stderr, "\r%-*s\r", LINE_WIDTH, "");
    else
        fputs("\r\033[K", stderr);
    fflush(stderr);
}
