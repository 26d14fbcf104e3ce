/*
 * svg.h - inline SVG charts and HTML-escaped text for the HTML report.
 *
 * Pure: numbers and strings in, markup appended to a caller-owned buffer.
 * The caller keeps its arrays; nothing here holds on to them. Every string
 * given is escaped here (pc_svg_escape), so a caller passes plain text.
 * A chart is an <svg role="img"> with a <title> and a <desc> (its text
 * alternative); the x axis is time (seconds into the run, from the first
 * point to the last), each band has its own y axis from its lowest value
 * (or 0) to its highest, higher values drawn higher.
 */
#ifndef PRECALL_RENDER_SVG_H
#define PRECALL_RENDER_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "precall/buf.h"

/*
 * Plain text as HTML text or attribute value: & < > " ' as entities, and
 * invalid UTF-8 and control characters as '?' (precall/utf8.h).
 */
void pc_svg_escape(struct pc_buf *b, const char *s);

/* One band of a chart: a series over time, on its own y axis. */
struct pc_svg_band {
    const char *label; /* "Round-trip time" */
    const char *unit;  /* "ms" */
    const int64_t *t_ns;
    const double *v;
    size_t n;
    int columns;            /* draw each point as a column (an amount per window) */
    const int64_t *mark_ns; /* moments marked on the band (lost probes), or NULL */
    size_t n_marks;
};

#define PC_SVG_BANDS_MAX 4

struct pc_svg_chart {
    const char *title; /* <title> */
    const char *desc;  /* <desc>: the text alternative */
    struct pc_svg_band band[PC_SVG_BANDS_MAX];
    size_t n_bands;
};

/* The chart as an inline <svg>; id makes its element ids unique in the page. */
void pc_svg_chart(struct pc_buf *b, const struct pc_svg_chart *c, int id);

/*
 * The y coordinate of value v in a band whose axis runs from lo (drawn at
 * bottom) to hi (drawn at top), where top < bottom as SVG counts. A value
 * outside [lo, hi] is held at the edge.
 */
double pc_svg_y(double v, double lo, double hi, double top, double bottom);

/* A level on a scale of its own (a microphone's level in dBFS, a picture's brightness). */
struct pc_svg_level {
    const char *label; /* "Microphone level (RMS), Microphone USB" */
    const char *text;  /* the value as people read it: "-23.4 dBFS" */
    double v, lo, hi;
};

/* Levels as horizontal bars, each filled from its lo to v on its own scale. */
void pc_svg_levels(struct pc_buf *b, const char *title, const char *desc,
                   const struct pc_svg_level *l, size_t n, int id);

#endif
