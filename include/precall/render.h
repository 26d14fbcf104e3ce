/*
 * render.h - report in, bytes out.
 *
 * Each format is one entry in a table of renderers; a renderer reads the
 * report and the metric table and appends to a caller-owned buffer. It
 * never measures, prints or exits, and no renderer looks at another
 * format's options.
 */
#ifndef PRECALL_RENDER_H
#define PRECALL_RENDER_H

#include "precall/buf.h"
#include "precall/report.h"

struct pc_render_opts {
    int verbose; /* text: methods, targets, samples, percentiles */
    int color;   /* text: ANSI colour beside the words */
    int quiet;   /* text: the verdict line only */
};

struct pc_renderer {
    const char *name; /* "text", "json" */
    void (*render)(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b);
};

/* The renderer for a format name, or NULL. */
const struct pc_renderer *pc_renderer_find(const char *name);
const struct pc_renderer *pc_renderer_get(size_t i); /* NULL past the end */

void pc_render_text(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b);
void pc_render_json(const struct pc_report *r, const struct pc_render_opts *o, struct pc_buf *b);

/* Shared by renderers: a metric's value as text with its unit ("23.4 ms", "yes"). */
void pc_render_value(const struct pc_report *r, enum pc_metric m, char *buf, size_t cap);

/* The tier above t whose limit a metric should show ("HD needs <= 20 ms"), or -1. */
int pc_render_next_tier(const struct pc_check *c);

#endif
