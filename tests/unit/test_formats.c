/*
 * test_formats.c - the CSV and OpenMetrics renderers on reports built
 * here: RFC 4180 quoting, empty cells, base units, label escaping, the
 * verdict gauges; and the Pushgateway path of --push.
 */
#include <string.h>

#include "check.h"
#include "cli/push.h"
#include "precall/render.h"
#include "report_fixture.h"

/* The idx-th field (0-based) of a CSV line with no quoted comma before it. */
static void nth_field(const char *line, int idx, char *out, size_t cap)
{
    const char *p = line;

    for (int i = 0; i < idx && p != NULL; i++) {
        p = strchr(p, ',');
        if (p != NULL)
            p++;
    }
    if (p == NULL) {
        snprintf(out, cap, "(none)");
        return;
    }
    snprintf(out, cap, "%.*s", (int)strcspn(p, ",\r\n"), p);
}

/* The column number of a header name, or -1. */
static int column_of(const char *header, const char *name)
{
    char f[128];

    for (int i = 0; i < 200; i++) {
        nth_field(header, i, f, sizeof(f));
        if (strcmp(f, name) == 0)
            return i;
    }
    return -1;
}

static void csv(void)
{
    struct pc_report *r = pc_fixture_path(23.4567, 4, 2.5, NULL);
    struct pc_buf h = {0}, b = {0};
    const char *row;
    char f[128];
    int c;

    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_PUBLIC_PORT, 40211.4);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_ON_BATTERY, 0);
    snprintf(r->started_at, sizeof(r->started_at), "2026-01-02T03:04:05Z");
    snprintf(r->profile, sizeof(r->profile), "therapy");
    pc_csv_header(&h);
    pc_render_csv(r, NULL, &b);
    CHECK(h.len > 0 && strncmp(b.data, h.data, h.len) == 0); /* -f csv: the header, then the row */
    CHECK(strncmp(h.data, "started_at,command,profile,tier,ready,exit_code,status,online,", 62) ==
          0);
    CHECK(strstr(h.data, ",rtt_median_ms (ms),") != NULL);
    CHECK(strstr(h.data, ",download_mbps (Mbit/s),") != NULL);
    CHECK(strstr(h.data, ",public_address,") != NULL); /* no unit: no parentheses */
    CHECK(strstr(h.data, ",rtt_ms (ms),") == NULL);    /* a series is no column */
    CHECK(strstr(h.data, "stream_") == NULL);          /* nor a figure the run scope never holds */
    CHECK(strcmp(h.data + h.len - 2, "\r\n") == 0);
    CHECK(strchr(h.data, '\n') == h.data + h.len - 1); /* one line */
    row = b.data + h.len;
    CHECK(strncmp(row, "2026-01-02T03:04:05Z,check,therapy,", 35) == 0);
    c = column_of(h.data, "rtt_median_ms (ms)");
    nth_field(row, c, f, sizeof(f));
    CHECK(strcmp(f, "23.457") == 0); /* rounded as the JSON report */
    nth_field(row, column_of(h.data, "public_port"), f, sizeof(f));
    CHECK(strcmp(f, "40211") == 0);
    nth_field(row, column_of(h.data, "on_battery"), f, sizeof(f));
    CHECK(strcmp(f, "false") == 0);
    nth_field(row, column_of(h.data, "udp_reachable"), f, sizeof(f));
    CHECK(strcmp(f, "true") == 0);
    nth_field(row, column_of(h.data, "dns_ms (ms)"), f, sizeof(f));
    CHECK(strcmp(f, "") == 0); /* not measured: empty */
    nth_field(row, column_of(h.data, "loss_pct (%)"), f, sizeof(f));
    CHECK(strcmp(f, "2.5") == 0);
    CHECK(strcmp(b.data + b.len - 2, "\r\n") == 0);
    pc_buf_free(&b);
    /* RFC 4180: a field with a comma or a quote in double quotes, the quote doubled. */
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_LINK_INTERFACE, "we,\"x\"");
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_LINK_KIND, "wifi");
    pc_csv_row(r, &b);
    CHECK(strstr(b.data, ",wifi,\"we,\"\"x\"\"\",") != NULL);
    CHECK(strchr(b.data, '\n') == b.data + b.len - 1); /* the row alone, one line */
    pc_buf_free(&b);
    /* A double quote alone is reason enough to quote (RFC 4180 section 2, rule 6). */
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_LINK_INTERFACE, "a\"b");
    pc_csv_row(r, &b);
    CHECK(strstr(b.data, ",wifi,\"a\"\"b\",") != NULL);
    pc_buf_free(&h);
    pc_buf_free(&b);
    pc_report_free(r);
}

static void openmetrics(void)
{
    struct pc_report *r = pc_fixture_path(23.4567, 4, 2.5, NULL);
    struct pc_buf b = {0};
    int srv = pc_report_scope(r, PC_SCOPE_SERVER, "a\"b\\c", NULL);
    int ph = pc_report_scope(r, PC_SCOPE_PHASE, "download", NULL);

    pc_report_set_num(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, 12);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_DOWNLOAD_MBPS, 8);
    pc_report_set_num(r, (size_t)ph, PC_M_BANDWIDTH_BYTES, 5000);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_MEMORY_TOTAL_MIB, 2);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_CPU_COUNT, 4);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_JITTER_MS, 0.913);
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_LINK_KIND, "wifi");
    r->tier = PC_TIER_SD;
    pc_render_openmetrics(r, NULL, &b);
    CHECK(strstr(b.data, "# TYPE precall_rtt_median_seconds gauge\n"
                         "# UNIT precall_rtt_median_seconds seconds\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_rtt_median_seconds 0.023457\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_rtt_median_seconds{server=\"a\\\"b\\\\c\"} 0.012\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_jitter_seconds 0.000913\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_loss_ratio 0.025\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_download_bytes_per_second 1000000\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_bandwidth_bytes{phase=\"download\"} 5000\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_memory_total_bytes 2097152\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_cpus 4\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_udp_reachable 1\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_tier 2\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_ready 1\n") != NULL); /* sd meets the default --require */
    CHECK(strstr(b.data, "link_kind") == NULL);           /* text is not a number */
    CHECK(strstr(b.data, "precall_dns") == NULL);         /* nothing for what was not measured */
    CHECK(strstr(b.data, "# HELP precall_rtt_median_seconds Median round-trip time") != NULL);
    CHECK(strcmp(b.data + b.len - 6, "# EOF\n") == 0);
    CHECK(strstr(b.data, "# EOF") == b.data + b.len - 6); /* once, last */
    pc_buf_free(&b);
    r->tier = PC_TIER_AUDIO;
    pc_render_openmetrics(r, NULL, &b);
    CHECK(strstr(b.data, "\nprecall_tier 1\n") != NULL);
    CHECK(strstr(b.data, "\nprecall_ready 0\n") != NULL); /* audio is below sd */
    pc_buf_free(&b);
    r->no_verdict = 1;
    pc_render_openmetrics(r, NULL, &b);
    CHECK(strncmp(b.data, "# TYPE precall_tier gauge\n", 26) == 0);
    CHECK(strstr(b.data, "\nprecall_tier -1\n") != NULL);
    pc_buf_free(&b);
    pc_report_free(r);
}

static void push_target(void)
{
    char t[512];
    struct pc_err err = {0};

    CHECK(pc_push_target("http://127.0.0.1:9091", "precall", "room-3.clinic_a", t, sizeof(t),
                         &err) == 0);
    CHECK(strcmp(t, "http://127.0.0.1:9091/metrics/job/precall/instance/room-3.clinic_a") == 0);
    CHECK(pc_push_target("http://gw/", "precall", "a/b", t, sizeof(t), &err) == 0);
    CHECK(strcmp(t, "http://gw/metrics/job/precall/instance@base64/YS9i") == 0);
    CHECK(pc_push_target("http://gw", "precall", "ab?", t, sizeof(t), &err) == 0);
    CHECK(strcmp(t, "http://gw/metrics/job/precall/instance@base64/YWI_") == 0);
    CHECK(pc_push_target("http://gw", "precall", "\xc3\xa9t\xc3\xa9", t, sizeof(t), &err) == 0);
    CHECK(strcmp(t, "http://gw/metrics/job/precall/instance@base64/w6l0w6k=") == 0);
    CHECK(pc_push_target("http://gw", "precall", "a b", t, 20, &err) == PC_EINVAL);
    CHECK(pc_push_check_url("http://127.0.0.1:9091", &err) == 0);
    CHECK(pc_push_check_url("https://gw.example/base", &err) == 0);
    CHECK(pc_push_check_url("ftp://gw", &err) == PC_EINVAL);
    CHECK(pc_push_check_url("http://gw/?x=1", &err) == PC_EINVAL);
    CHECK(pc_push_check_url("http://gw/#x", &err) == PC_EINVAL);
    CHECK(pc_push_check_url("http://", &err) == PC_EINVAL);
}

int main(void)
{
    csv();
    openmetrics();
    push_target();
    return check_done();
}
