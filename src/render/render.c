/* render.c - the renderer table and helpers shared by the formats. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "precall/render.h"

static const struct pc_renderer renderers[] = {
    {"text", pc_render_text, NULL},
    {"json", pc_render_json, NULL},
    {"ndjson", pc_render_ndjson, pc_render_ndjson_event},
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

void pc_render_value(const struct pc_report *r, size_t scope, enum pc_metric m, char *buf,
                     size_t cap)
{
    const struct pc_value *v = pc_report_get(r, scope, m);

    if (!v->set)
        snprintf(buf, cap, "not measured");
    else if (pc_metric_def(m)->kind == PC_KIND_TEXT)
        snprintf(buf, cap, "%s", v->text ? v->text : "");
    else
        pc_metric_format(pc_metric_def(m), v->num, buf, cap);
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
