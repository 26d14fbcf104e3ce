/* test_html.c - the HTML report: escaping, order, and the charts' geometry. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report_fixture.h"
#include "precall/profile.h"
#include "precall/render.h"
#include "precall/score.h"
#include "render/svg.h"

#define MS 1000000LL

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static char *render(const struct pc_report *r)
{
    struct pc_render_opts o = {0, 0, 0, "9.9"};
    struct pc_buf b = {0};

    pc_render_html(r, &o, &b);
    CHECK(!b.failed && b.data != NULL);
    return b.data;
}

static void escape(void)
{
    struct pc_buf b = {0};

    pc_svg_escape(&b, "<script>alert('x') & \"y\"</script>\xff\x1b");
    CHECK(b.data != NULL && strcmp(b.data, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;"
                                           "&lt;/script&gt;??") == 0);
    pc_buf_free(&b);
}

/* Every string of the report that could come from outside reaches the page escaped. */
static void hostile_strings(void)
{
    struct pc_report *r = pc_fixture_path(20, 2, 0, NULL);
    struct pc_probe_result *udp = pc_report_probe(r, "udp");
    struct pc_target t = {"stun", "<script>host</script>", "198.18.0.9", 3478,
                          "<script>detail</script>"};
    struct pc_profile p;
    int s;
    char *html;

    pc_profile_load("therapy", &p, NULL);
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_NAT_MAPPING, "<script>nat</script>");
    pc_report_add_target(r, udp, &t);
    snprintf(udp->reason, sizeof(udp->reason), "<script>reason</script>");
    s = pc_report_scope(r, PC_SCOPE_FILE, "<script>f</script>", "<script>label</script>");
    pc_report_set_text(r, (size_t)s, PC_M_CAPTURE_FORMAT, "<img src=x>");
    pc_score_report(r, &p);
    html = render(r);
    CHECK(strstr(html, "<script") == NULL);
    CHECK(strstr(html, "<img") == NULL);
    CHECK(strstr(html, "&lt;script&gt;nat&lt;/script&gt;") != NULL);
    CHECK(strstr(html, "&lt;script&gt;host&lt;/script&gt;") != NULL);
    CHECK(strstr(html, "&lt;script&gt;detail&lt;/script&gt;") != NULL);
    CHECK(strstr(html, "&lt;script&gt;reason&lt;/script&gt;") != NULL);
    CHECK(strstr(html, "&lt;script&gt;label&lt;/script&gt;") != NULL);
    CHECK(strstr(html, "&lt;img src=x&gt;") != NULL);
    free(html);
    pc_report_free(r);
}

/* The verdict, then the advice, then the checks, then the charts, then the support line. */
static void order(void)
{
    struct pc_report *r = pc_fixture_path(20, 27, 0, NULL);
    struct pc_profile p;
    char *html, *h1, *advice, *checks, *charts, *footer;

    pc_profile_load("therapy", &p, NULL);
    for (int i = 0; i < 5; i++)
        pc_report_series_add(r, PC_SCOPE_RUN_ID, PC_M_RTT_MS, r->started_ns + i * 10 * MS, 20);
    pc_score_report(r, &p);
    html = render(r);
    h1 = strstr(html, "<h1>");
    advice = strstr(html, "<h2>What to do</h2>");
    checks = strstr(html, "<h2>Checks</h2>");
    charts = strstr(html, "<h2>Charts</h2>");
    footer = strstr(html, "<footer>");
    CHECK(h1 != NULL && advice != NULL && checks != NULL && charts != NULL && footer != NULL);
    CHECK(h1 < advice && advice < checks && checks < charts && charts < footer);
    /* The verdict is the first thing in the page's body. */
    CHECK(strstr(html, "<main>\n<header class=\"verdict tier-sd\" id=\"verdict\">\n<h1>") != NULL);
    CHECK(strstr(html, "<h1>Video will work at reduced quality</h1>") != NULL);
    CHECK(strstr(html, "[jitter-high]") != NULL);
    CHECK(strstr(html, "<td class=\"mark warn\">warn</td><td>Jitter (round trip)</td><td "
                       "class=\"v\">27.0 ms</td><td>HD video needs &lt;= 20 ms</td>") != NULL);
    CHECK(strstr(html, "<p>precall 9.9, profile therapy, started ") != NULL);
    /* Self-contained: nothing that would fetch or run anything. */
    CHECK(strstr(html, "src=") == NULL && strstr(html, "href=") == NULL);
    CHECK(strstr(html, "<script") == NULL && strstr(html, "url(") == NULL);
    CHECK(
        strstr(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") !=
        NULL);
    free(html);
    pc_report_free(r);
}

static void y_axis(void)
{
    /* Higher values are drawn higher: nearer the top, whose y is smaller. */
    CHECK_NEAR(pc_svg_y(50, 0, 50, 22, 94), 22, 1e-9);
    CHECK_NEAR(pc_svg_y(0, 0, 50, 22, 94), 94, 1e-9);
    CHECK_NEAR(pc_svg_y(10, 0, 50, 22, 94), 79.6, 1e-9);
    CHECK_NEAR(pc_svg_y(-120, -120, 0, 22, 94), 94, 1e-9);
    CHECK_NEAR(pc_svg_y(60, 0, 50, 22, 94), 22, 1e-9); /* held at the edge */
    CHECK_NEAR(pc_svg_y(-1, 0, 50, 22, 94), 94, 1e-9);
}

/* A line of three points: exact coordinates (axis 0 to 50, a tenth of a second wide). */
static void line_points(void)
{
    const int64_t t[] = {0, 10 * MS, 20 * MS};
    const double v[] = {10, 20, 40};
    struct pc_svg_chart c = {"t", "d", {{"Round-trip time", "ms", t, v, 3, 0, NULL, 0}}, 1};
    struct pc_buf b = {0};

    pc_svg_chart(&b, &c, 1);
    CHECK(b.data != NULL && strstr(b.data, "points=\"64.0,79.6 120.4,65.2 176.8,36.4\"") != NULL);
    CHECK(b.data != NULL && strstr(b.data, ">50</text>") != NULL); /* the axis's top */
    CHECK(b.data != NULL && strstr(b.data, "<title>t</title>\n<desc>d</desc>") != NULL);
    pc_buf_free(&b);
}

/* Lost probes marked where they were due: a gap of three intervals held two. */
static void lost_marks(void)
{
    const int64_t t[] = {0, 10, 20, 50, 60, 70, 80, 90};
    struct pc_report *r = pc_fixture_path(20, 2, 20, NULL);
    char *html;

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        pc_report_series_add(r, PC_SCOPE_RUN_ID, PC_M_RTT_MS, r->started_ns + t[i] * MS, 20);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_PROBES_LOST, 2);
    html = render(r);
    /* x axis 0 to 100 ms (a tenth of a second at least) over 564 units from 64: 30 ms at
       233.2, 40 ms at 289.6. */
    CHECK(count(html, "<line class=\"lost\"") == 2);
    CHECK(strstr(html, "<line class=\"lost\" x1=\"233.2\"") != NULL);
    CHECK(strstr(html, "<line class=\"lost\" x1=\"289.6\"") != NULL);
    CHECK(strstr(html, "2 probes lost, 2 of them marked in red where they were due.") != NULL);
    free(html);
    /* Never more marks than probes lost. */
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_PROBES_LOST, 1);
    html = render(r);
    CHECK(count(html, "<line class=\"lost\"") == 1);
    free(html);
    pc_report_free(r);
}

/* Throughput windows as columns, with the phase's loaded latency on the same time axis. */
static void phase_chart(void)
{
    struct pc_report *r = pc_fixture_path(20, 2, 0, NULL);
    int ph = pc_report_scope(r, PC_SCOPE_PHASE, "download", "download");
    char *html;

    for (int i = 1; i <= 4; i++) {
        pc_report_series_add(r, (size_t)ph, PC_M_THROUGHPUT_MBPS, r->started_ns + i * 100 * MS,
                             10.0 * i);
        pc_report_series_add(r, (size_t)ph, PC_M_RTT_MS, r->started_ns + i * 100 * MS, 30);
    }
    html = render(r);
    CHECK(strstr(html, "Throughput per 100 ms (Mbit/s)</text>") != NULL);
    /* The 40 Mbit/s column reaches the top of its band (axis 0 to 50: 57.6 of 72 high). */
    CHECK(strstr(html, "height=\"57.6\" fill=\"#1f5fa8\"") != NULL);
    CHECK(strstr(html, "Over time (seconds into the run): download") != NULL);
    CHECK(strstr(html, "Throughput per 100 ms: 4 points over 0.3 s; min 10.00, median 25.00, p90 "
                       "37.00, max 40.00 Mbit/s. Round-trip time: 4 points") != NULL);
    free(html);
    pc_report_free(r);
}

static void device_levels(void)
{
    struct pc_report *r = pc_report_new();
    int mic;
    char *html;

    r->command = "devices";
    mic = pc_report_scope(r, PC_SCOPE_DEVICE, "microphone", "Microphone");
    pc_report_set_num(r, (size_t)mic, PC_M_MIC_RMS_DBFS, -30);
    html = render(r);
    /* -30 dBFS on a scale of -120 to 0: three quarters of 628. */
    CHECK(strstr(html, "<rect class=\"level\" x=\"0\" y=\"21.0\" width=\"471.0\"") != NULL);
    CHECK(strstr(html, "Microphone, Microphone level (RMS): -30.0 dBFS (scale -120 to 0).") !=
          NULL);
    free(html);
    pc_report_free(r);
}

/* Under the verdict: a stopped run says how it stopped, the checks left out, and each risk. */
static void verdict_block(void)
{
    struct pc_report *r = pc_fixture_path(20, 2, 0, NULL);
    struct pc_profile p;
    char *html;

    pc_profile_load("therapy", &p, NULL);
    pc_score_report(r, &p);
    r->complete = 0;
    r->interrupted = SIGINT;
    r->left_out[PC_M_DOWNLOAD_MBPS] = 1;
    r->risks[0] = (struct pc_risk){"bufferbloat",
                                   PC_M_BUFFERBLOAT_MS,
                                   120,
                                   100,
                                   "HD video now; if someone else uploads, it may <stall>.",
                                   "Turn on SQM in the router."};
    r->n_risks = 1;
    html = render(r);
    CHECK(strstr(html, "<p><strong>INCOMPLETE</strong>: interrupted (SIGINT); these results "
                       "are partial.</p>") != NULL);
    CHECK(strstr(html, "<p>not checked: Download speed (left out with --only or --skip)</p>") !=
          NULL);
    CHECK(strstr(html, "<p><strong>Risk</strong>: HD video now; if someone else uploads, it may "
                       "&lt;stall&gt;. Turn on SQM in the router. <span "
                       "class=\"id\">[bufferbloat]</span></p>\n</header>") != NULL);
    free(html);
    r->interrupted = 0; /* cut by the time limit */
    html = render(r);
    CHECK(strstr(html, "<p><strong>INCOMPLETE</strong>: the time limit ended the check; these "
                       "results are partial.</p>") != NULL);
    CHECK(strstr(html, "interrupted (") == NULL);
    free(html);
    pc_report_free(r);
}

/* A maximum of exactly 50 is the axis's top (1, 2, 5 times a power of ten), drawn at the top. */
static void axis_top(void)
{
    const int64_t t[] = {0, 100 * MS};
    const double v[] = {10, 50};
    struct pc_svg_chart c = {"t", "d", {{"Round-trip time", "ms", t, v, 2, 0, NULL, 0}}, 1};
    struct pc_buf b = {0};

    pc_svg_chart(&b, &c, 1);
    CHECK(b.data != NULL && strstr(b.data, "points=\"64.0,79.6 628.0,22.0\"") != NULL);
    CHECK(b.data != NULL && strstr(b.data, ">50</text>") != NULL);
    pc_buf_free(&b);
}

/* The pace jitters: a gap of 2.9 intervals held two lost probes, not one. */
static void lost_gap_rounded(void)
{
    const int64_t t[] = {0, 10, 20, 49, 59, 69, 79, 89, 99};
    struct pc_report *r = pc_fixture_path(20, 2, 20, NULL);
    char *html;

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        pc_report_series_add(r, PC_SCOPE_RUN_ID, PC_M_RTT_MS, r->started_ns + t[i] * MS, 20);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_PROBES_LOST, 2);
    html = render(r);
    CHECK(count(html, "<line class=\"lost\"") == 2);
    free(html);
    pc_report_free(r);
}

int main(void)
{
    CHECK(pc_renderer_find("html") != NULL && pc_renderer_find("html")->render == pc_render_html);
    escape();
    hostile_strings();
    order();
    y_axis();
    line_points();
    lost_marks();
    phase_chart();
    device_levels();
    verdict_block();
    axis_top();
    lost_gap_rounded();
    return check_done();
}
