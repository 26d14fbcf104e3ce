/* render.c - the renderer table and helpers shared by the formats. */
#include <stdio.h>
#include <string.h>

#include "precall/render.h"

static const struct pc_renderer renderers[] = {
    {"text", pc_render_text},
    {"json", pc_render_json},
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

void pc_render_value(const struct pc_report *r, enum pc_metric m, char *buf, size_t cap)
{
    const struct pc_metric_def *d = pc_metric_def(m);
    const struct pc_value *v = &r->values[m];

    if (!v->set) {
        snprintf(buf, cap, "not measured");
        return;
    }
    switch (d->kind) {
    case PC_KIND_BOOL:
        snprintf(buf, cap, "%s", v->num != 0 ? "yes" : "no");
        break;
    case PC_KIND_TEXT:
        snprintf(buf, cap, "%s", v->text);
        break;
    case PC_KIND_COUNT:
        snprintf(buf, cap, "%.0f%s%s", v->num, d->unit[0] ? " " : "", d->unit);
        break;
    default:
        snprintf(buf, cap, "%.*f%s%s", d->decimals, v->num, d->unit[0] ? " " : "", d->unit);
        break;
    }
}

int pc_render_next_tier(const struct pc_check *c)
{
    for (int t = c->tier < PC_TIER_AUDIO ? PC_TIER_AUDIO : c->tier + 1; t < PC_TIER__COUNT; t++)
        if (c->has_threshold[t])
            return t;
    return c->has_threshold[PC_TIER_HD] ? PC_TIER_HD : -1;
}
