/* render.c - the renderer table and helpers shared by the formats. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "precall/buf.h"
#include "precall/render.h"

static const struct pc_renderer renderers[] = {
    {"text", pc_render_text, NULL},
    {"json", pc_render_json, NULL},
    {"ndjson", pc_render_ndjson, pc_render_ndjson_event},
    {"csv", pc_render_csv, NULL},
    {"openmetrics", pc_render_openmetrics, NULL},
};

const struct pc_renderer *pc_renderer_get(size_t i)
{
    return i < sizeof(renderers) / sizeof(renderers[0]) ? &renderers[i] : NULL;
}

const struct pc_renderer *pc_renderer_find(const char *name)
{
    const struct pc_renderer *r;

    for (size_t i = 0; (r = pc_renderer_get(i)) != NULL; i++)
        if (strcmp(r->name, name) == 0)
            return r;
    return NULL;
}

/* "-0.0 dBFS" (a small negative value rounded) reads as a sign that means something: "0.0". */
static void drop_negative_zero(char *buf)
{
    size_t digits = strspn(buf + 1, "0.");

    if (buf[0] == '-' && digits > 0 && (buf[1 + digits] == '\0' || buf[1 + digits] == ' '))
        memmove(buf, buf + 1, strlen(buf));
}

#define KB 1e3
#define MB 1e6
#define GB 1e9

void pc_render_number(const struct pc_metric_def *d, double v, char *buf, size_t cap)
{
    /* Sizes of data for people: 7.1 MB, not 7087634 bytes (decimal units, as networks count). */
    if (strcmp(d->unit, "bytes") == 0 && fabs(v) >= 10 * KB) {
        /* The unit in which it shows below 1000.0: 999950 bytes is 1.0 MB, not 1000.0 kB. */
        double scale = fabs(v) >= 999.95 * MB ? GB : fabs(v) >= 999.95 * KB ? MB : KB;

        snprintf(buf, cap, "%.1f %s", v / scale, scale == GB ? "GB" : scale == MB ? "MB" : "kB");
    } else {
        pc_metric_format(d, v, buf, cap);
    }
    drop_negative_zero(buf);
}

void pc_render_value(const struct pc_report *r, size_t scope, enum pc_metric m, char *buf,
                     size_t cap)
{
    const struct pc_value *v = pc_report_get(r, scope, m);
    const struct pc_metric_def *d = pc_metric_def(m);
    const struct pc_value *why = d->zero_is ? pc_report_get(r, scope, d->zero_is) : NULL;

    if (!v->set)
        snprintf(buf, cap, "not measured");
    else if (v->num == 0 && why != NULL && why->set && why->text != NULL)
        pc_strfmt(buf, cap, "none (%s)", why->text); /* "none (missing)", not "0 px" */
    else if (pc_metric_def(m)->kind == PC_KIND_TEXT)
        snprintf(buf, cap, "%s", v->text ? v->text : "");
    else
        pc_render_number(pc_metric_def(m), v->num, buf, cap);
}

const char *pc_render_signal_name(int sig)
{
    switch (sig) {
    case 0:
        return NULL;
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "other";
    }
}
