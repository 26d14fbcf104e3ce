/* svg.c - inline SVG charts and HTML escaping for the HTML report (see svg.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precall/utf8.h"
#include "render/svg.h"

void pc_svg_escape(struct pc_buf *b, const char *s)
{
    size_t n = strlen(s);
    char *t = malloc(n + 1);

    if (t == NULL) {
        b->failed = 1;
        return;
    }
    memcpy(t, s, n + 1);
    pc_utf8_sanitize(t);
    for (const char *p = t; *p != '\0';) {
        size_t plain = strcspn(p, "&<>\"'");

        if (plain > 0) {
            pc_buf_printf(b, "%.*s", (int)plain, p);
            p += plain;
            continue;
        }
        switch (*p++) {
        case '&':
            pc_buf_puts(b, "&amp;");
            break;
        case '<':
            pc_buf_puts(b, "&lt;");
            break;
        case '>':
            pc_buf_puts(b, "&gt;");
            break;
        case '"':
            pc_buf_puts(b, "&quot;");
            break;
        default:
            pc_buf_puts(b, "&#39;");
            break;
        }
    }
    free(t);
}

/* The geometry of a chart, in the units of its viewBox. */
#define WIDTH       640.0
#define LEFT        64.0 /* room for the y axis's labels */
#define RIGHT       12.0
#define PLOT_W      (WIDTH - LEFT - RIGHT)
#define BAND_H      104.0 /* a band: its label, its plot, a gap */
#define BAND_LABEL  16.0
#define PLOT_H      72.0
#define TOP         6.0
#define X_AXIS_H    22.0
#define DOTS_MAX    120 /* more points than this: a line without dots */
#define LEVEL_ROW_H 34.0

#define INK   "#333"
#define GRID  "#ccc"
#define LINE  "#1f5fa8"
#define LOST  "#c0392b"
#define LEVEL "#2e8b57"

double pc_svg_y(double v, double lo, double hi, double top, double bottom)
{
    double f = hi > lo ? (v - lo) / (hi - lo) : 0;

    if (!(f > 0)) /* NAN too */
        f = 0;
    if (f > 1)
        f = 1;
    return bottom - f * (bottom - top);
}

/* The smallest of 1, 2, 5 times a power of ten that is >= v (v > 0). */
static double nice_ceiling(double v)
{
    double p = pow(10, floor(log10(v)));

    for (int k = 1; k <= 10; k++)
        if ((k == 1 || k == 2 || k == 5 || k == 10) && k * p >= v * (1 - 1e-9))
            return k * p;
    return 10 * p;
}

static void axis_range(const struct pc_svg_band *bd, double *lo, double *hi)
{
    *lo = 0;
    *hi = 0;
    for (size_t i = 0; i < bd->n; i++) {
        if (!isfinite(bd->v[i]))
            continue;
        *lo = bd->v[i] < *lo ? bd->v[i] : *lo;
        *hi = bd->v[i] > *hi ? bd->v[i] : *hi;
    }
    if (*hi <= *lo)
        *hi = *lo + 1;
    else if (*hi > 0)
        *hi = nice_ceiling(*hi);
}

/* A number for an axis label: as few digits as it needs. */
static void axis_number(struct pc_buf *b, double v)
{
    if (fabs(v) < 1e-9)
        v = 0;
    pc_buf_printf(b, fabs(v) >= 100 || v == floor(v) ? "%.0f" : "%.2g", v);
}

static double x_of(int64_t t, int64_t t0, int64_t t1)
{
    double f = t1 > t0 ? (double)(t - t0) / (double)(t1 - t0) : 0;

    return LEFT + (f < 0 ? 0 : f > 1 ? 1 : f) * PLOT_W;
}

/* The points of a band, at most one per pixel column (the column's highest value). */
static size_t columns_of(const struct pc_svg_band *bd, int64_t t0, int64_t t1, double *x, double *v)
{
    size_t k = 0;

    for (size_t i = 0; i < bd->n; i++) {
        double xi = x_of(bd->t_ns[i], t0, t1);

        if (!isfinite(bd->v[i]))
            continue;
        if (k > 0 && floor(xi) == floor(x[k - 1]) && bd->n > (size_t)PLOT_W) {
            v[k - 1] = bd->v[i] > v[k - 1] ? bd->v[i] : v[k - 1];
            continue;
        }
        x[k] = xi;
        v[k++] = bd->v[i];
    }
    return k;
}

static void band(struct pc_buf *b, const struct pc_svg_band *bd, double top, int64_t t0, int64_t t1)
{
    double lo, hi, ptop = top + BAND_LABEL, pbot = top + BAND_LABEL + PLOT_H;
    double *x = malloc((bd->n ? bd->n : 1) * sizeof(*x)),
           *v = malloc((bd->n ? bd->n : 1) * sizeof(*v));
    size_t k;

    if (x == NULL || v == NULL) {
        free(x);
        free(v);
        b->failed = 1;
        return;
    }
    axis_range(bd, &lo, &hi);
    pc_buf_printf(b, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\" fill=\"" INK "\">", LEFT,
                  top + 12);
    pc_svg_escape(b, bd->label);
    if (bd->unit[0] != '\0') {
        pc_buf_puts(b, " (");
        pc_svg_escape(b, bd->unit);
        pc_buf_puts(b, ")");
    }
    pc_buf_puts(b, "</text>\n");
    /* The axis: its top and bottom values, a frame and a middle line. */
    pc_buf_printf(b,
                  "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
                  "stroke=\"" GRID "\"/>\n<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" "
                  "stroke=\"" GRID "\" stroke-dasharray=\"3 3\"/>\n",
                  LEFT, ptop, PLOT_W, PLOT_H, LEFT, (ptop + pbot) / 2, LEFT + PLOT_W,
                  (ptop + pbot) / 2);
    pc_buf_printf(
        b, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"" INK "\">",
        LEFT - 4, pc_svg_y(hi, lo, hi, ptop, pbot) + 4);
    axis_number(b, hi);
    pc_buf_printf(b,
                  "</text>\n<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
                  "fill=\"" INK "\">",
                  LEFT - 4, pc_svg_y(lo, lo, hi, ptop, pbot));
    axis_number(b, lo);
    pc_buf_puts(b, "</text>\n");
    for (size_t i = 0; i < bd->n_marks; i++) {
        double xm = x_of(bd->mark_ns[i], t0, t1);

        pc_buf_printf(b,
                      "<line class=\"lost\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"" LOST "\" stroke-width=\"1.5\"/>\n",
                      xm, ptop, xm, pbot);
    }
    k = columns_of(bd, t0, t1, x, v);
    if (bd->columns) {
        double w = k > 1 ? (x[k - 1] - x[0]) / (double)(k - 1) * 0.8 : 8;

        w = w < 1 ? 1 : w;
        for (size_t i = 0; i < k; i++) {
            double y = pc_svg_y(v[i], lo, hi, ptop, pbot), y0 = pc_svg_y(0, lo, hi, ptop, pbot);
            double x0 = x[i] - w / 2 < LEFT ? LEFT : x[i] - w / 2;
            double x1 = x[i] + w / 2 > LEFT + PLOT_W ? LEFT + PLOT_W : x[i] + w / 2;

            pc_buf_printf(b,
                          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" LINE
                          "\"/>\n",
                          x0, y < y0 ? y : y0, x1 - x0, fabs(y0 - y));
        }
    } else if (k > 0) {
        pc_buf_puts(b,
                    "<polyline fill=\"none\" stroke=\"" LINE "\" stroke-width=\"1.5\" points=\"");
        for (size_t i = 0; i < k; i++)
            pc_buf_printf(b, "%s%.1f,%.1f", i ? " " : "", x[i], pc_svg_y(v[i], lo, hi, ptop, pbot));
        pc_buf_puts(b, "\"/>\n");
        for (size_t i = 0; i < k && k <= DOTS_MAX; i++)
            pc_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"" LINE "\"/>\n", x[i],
                          pc_svg_y(v[i], lo, hi, ptop, pbot));
    }
    free(x);
    free(v);
}

void pc_svg_chart(struct pc_buf *b, const struct pc_svg_chart *c, int id)
{
    int64_t t0 = INT64_MAX, t1 = INT64_MIN;
    double h = TOP + (double)c->n_bands * BAND_H + X_AXIS_H;

    /* The x axis runs from the first to the last point or mark of any band. */
    for (size_t i = 0; i < c->n_bands; i++) {
        const struct pc_svg_band *bd = &c->band[i];

        for (size_t k = 0; k < bd->n; k++) {
            t0 = bd->t_ns[k] < t0 ? bd->t_ns[k] : t0;
            t1 = bd->t_ns[k] > t1 ? bd->t_ns[k] : t1;
        }
        for (size_t k = 0; k < bd->n_marks; k++) {
            t0 = bd->mark_ns[k] < t0 ? bd->mark_ns[k] : t0;
            t1 = bd->mark_ns[k] > t1 ? bd->mark_ns[k] : t1;
        }
    }
    if (t0 > t1)
        t0 = t1 = 0;
    if (t1 - t0 < 100000000LL)
        t1 = t0 + 100000000LL; /* a single point: a tenth of a second */
    pc_buf_printf(b,
                  "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" class=\"chart%d\" "
                  "xmlns=\"http://www.w3.org/2000/svg\">\n<title>",
                  WIDTH, h, id);
    pc_svg_escape(b, c->title);
    pc_buf_puts(b, "</title>\n<desc>");
    pc_svg_escape(b, c->desc);
    pc_buf_puts(b, "</desc>\n");
    for (size_t i = 0; i < c->n_bands && i < PC_SVG_BANDS_MAX; i++)
        band(b, &c->band[i], TOP + (double)i * BAND_H, t0, t1);
    /* The time axis under the last band: its start, middle and end, in seconds into the run. */
    for (int k = 0; k <= 2; k++)
        pc_buf_printf(b,
                      "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\" "
                      "fill=\"" INK "\">%.1f s</text>\n",
                      LEFT + PLOT_W * k / 2, h - 6,
                      k == 0   ? "start"
                      : k == 1 ? "middle"
                               : "end",
                      ((double)t0 + (double)(t1 - t0) * k / 2) / 1e9);
    pc_buf_puts(b, "</svg>\n");
}

void pc_svg_levels(struct pc_buf *b, const char *title, const char *desc,
                   const struct pc_svg_level *l, size_t n, int id)
{
    double h = TOP + (double)n * LEVEL_ROW_H + 4;

    pc_buf_printf(b,
                  "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" class=\"chart%d\" "
                  "xmlns=\"http://www.w3.org/2000/svg\">\n<title>",
                  WIDTH, h, id);
    pc_svg_escape(b, title);
    pc_buf_puts(b, "</title>\n<desc>");
    pc_svg_escape(b, desc);
    pc_buf_puts(b, "</desc>\n");
    for (size_t i = 0; i < n; i++) {
        double top = TOP + (double)i * LEVEL_ROW_H, span = l[i].hi - l[i].lo;
        double f = span > 0 ? (l[i].v - l[i].lo) / span : 0;

        f = !(f > 0) ? 0 : f > 1 ? 1 : f;
        pc_buf_printf(b, "<text x=\"0\" y=\"%.1f\" font-size=\"12\" fill=\"" INK "\">", top + 11);
        pc_svg_escape(b, l[i].label);
        pc_buf_puts(b, ": ");
        pc_svg_escape(b, l[i].text);
        pc_buf_printf(
            b,
            "</text>\n<rect x=\"0\" y=\"%.1f\" width=\"%.0f\" height=\"12\" fill=\"none\" "
            "stroke=\"" GRID "\"/>\n<rect class=\"level\" x=\"0\" y=\"%.1f\" "
            "width=\"%.1f\" height=\"12\" fill=\"" LEVEL "\"/>\n",
            top + 15, WIDTH - RIGHT, top + 15, f * (WIDTH - RIGHT));
    }
    pc_buf_puts(b, "</svg>\n");
}
