/*
 * test_history.c - the history file (src/core/history.c): the line of a
 * check and back, untrusted lines, the file's modes and bound, and "usual"
 * on a network: its window, its minimum, its percentile per direction, the
 * margin on both sides, and the identity it compares on.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "precall/history.h"

static struct pc_history_entry entry(const char *prefix, double rtt, double down)
{
    struct pc_history_entry e;

    memset(&e, 0, sizeof(e));
    strcpy(e.started_at, "2026-12-01T10:00:00Z");
    strcpy(e.command, "check");
    strcpy(e.tier, "hd");
    strcpy(e.status, "ready");
    e.complete = 1;
    strcpy(e.net.interface, "wlan0");
    strcpy(e.net.link_kind, "wifi");
    strcpy(e.net.public_prefix, prefix);
    for (int f = 0; f < PC_HFIG__COUNT; f++)
        e.fig[f] = NAN;
    e.fig[PC_HFIG_RTT] = rtt;
    e.fig[PC_HFIG_DOWNLOAD] = down;
    return e;
}

static void add(struct pc_history *h, struct pc_history_entry e)
{
    struct pc_buf b = {0};

    pc_history_line(&e, &b); /* through the line, as from the file */
    CHECK(!b.failed && pc_history_parse(b.data, b.len, h) == 0);
    pc_buf_free(&b);
}

static void test_prefix(void)
{
    char p[48];

    pc_history_prefix("203.0.113.7", p, sizeof(p));
    CHECK(strcmp(p, "203.0.113.0/24") == 0);
    pc_history_prefix("2001:db8:1:2:3::5", p, sizeof(p));
    CHECK(strcmp(p, "2001:db8:1::/48") == 0);
    pc_history_prefix("example.org", p, sizeof(p));
    CHECK(strcmp(p, "") == 0);
    pc_history_prefix(NULL, p, sizeof(p));
    CHECK(strcmp(p, "") == 0);
}

static void test_report_entry(void)
{
    struct pc_report *r = pc_report_new();
    struct pc_history_entry e, back;
    struct pc_history h = {0};
    struct pc_buf b = {0};

    r->command = "check";
    strcpy(r->started_at, "2026-12-03T14:00:01Z");
    r->complete = 1;
    r->tier = 3;
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_RTT_MEDIAN_MS, 23.4567);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_DOWNLOAD_MBPS, 48.2);
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_PUBLIC_ADDRESS, "198.51.100.77");
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_LINK_INTERFACE, "eth0");
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_LINK_KIND, "wifi");
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_WIFI_SSID, "Clinic Guest");
    pc_history_entry_of(r, &e);
    CHECK(strcmp(e.net.public_prefix, "198.51.100.0/24") == 0);
    CHECK(strcmp(e.net.interface, "eth0") == 0 && strcmp(e.net.link_kind, "wifi") == 0);
    CHECK(strcmp(e.net.wifi_ssid, "Clinic Guest") == 0); /* the network is told by its name too */
    CHECK(strcmp(e.tier, "hd") == 0 && strcmp(e.command, "check") == 0);
    CHECK_NEAR(e.fig[PC_HFIG_RTT], 23.457, 1e-9);
    CHECK(isnan(e.fig[PC_HFIG_UPLOAD]));
    pc_history_line(&e, &b);
    CHECK(!b.failed && b.len > 0 && b.data[b.len - 1] == '\n');
    CHECK(strstr(b.data, "198.51.100.77") == NULL); /* never the whole address */
    CHECK(strstr(b.data, "\"rtt_median_ms\":23.457") != NULL);
    CHECK(strstr(b.data, "\"upload_mbps\":null") != NULL);
    CHECK(strstr(b.data, "\"wifi_ssid\":\"Clinic Guest\"") != NULL);
    CHECK(pc_history_parse(b.data, b.len, &h) == 0 && h.n == 1 && h.skipped == 0);
    back = h.e[0];
    CHECK(strcmp(back.started_at, e.started_at) == 0 && back.complete == 1);
    CHECK(pc_history_net_same(&back.net, &e.net));
    CHECK(strcmp(back.net.wifi_ssid, "Clinic Guest") == 0);
    CHECK_NEAR(back.fig[PC_HFIG_DOWNLOAD], 48.2, 1e-9);
    CHECK(isnan(back.fig[PC_HFIG_UPLOAD]));
    pc_buf_free(&b);
    pc_history_free(&h);
    pc_report_free(r);
}

/* Lines that must not read: each one is skipped and counted, none is fatal. */
static void test_bad_lines(void)
{
    static const char *const bad[] = {
        "not json",
        "{}",
        "[1,2]",
        "{\"schema\":\"precall.history/2\",\"started_at\":\"x\",\"command\":\"check\",\"tier\":"
        "\"hd\",\"status\":\"ready\",\"exit_code\":0,\"complete\":true}",
        "{\"schema\":\"precall.history/1\",\"started_at\":\"x\",\"command\":\"check\",\"tier\":"
        "\"best\",\"status\":\"ready\",\"exit_code\":0,\"complete\":true}",
        "{\"schema\":\"precall.history/1\",\"started_at\":\"x\",\"command\":\"check\",\"tier\":"
        "\"hd\",\"status\":\"ready\",\"exit_code\":-1,\"complete\":true}",
        "{\"schema\":\"precall.history/1\",\"started_at\":\"x\",\"command\":\"check\",\"tier\":"
        "\"hd\",\"status\":\"ready\",\"exit_code\":0,\"complete\":1}",
        "{\"schema\":\"precall.history/1\",\"started_at\":\"x\",\"command\":\"check\",\"tier\":"
        "\"hd\",\"status\":\"ready\",\"exit_code\":0,\"complete\":true,\"metrics\":"
        "{\"rtt_median_ms\":-5}}",
        "{\"schema\":\"precall.history/1\",\"started_at\":\"x\",\"command\":\"check\",\"tier\":"
        "\"hd\",\"status\":\"ready\",\"exit_code\":0,\"complete\":true,\"metrics\":"
        "{\"loss_pct\":\"0\"}}",
        "{\"schema\":\"precall.history/1\",\"started_at\":\"x\",\"command\":\"check\",\"tier\":"
        "\"hd\",\"status\":\"ready\",\"exit_code\":0,\"complete\":true,\"network\":"
        "{\"interface\":\"an-interface-name-longer-than-thirty-one-bytes\"}}",
        "{\"schema\":\"precall.history/1\",\"started_at\":\"x\",\"command\":\"check\",\"tier\":"
        "\"hd\",\"status\":\"ready\",\"exit_code\":0,\"complete\":true,\"network\":7}",
    };
    static const char good[] =
        "{\"schema\":\"precall.history/1\",\"started_at\":\"x\",\"command\":\"check\",\"tier\":"
        "\"hd\",\"status\":\"ready\",\"exit_code\":0,\"complete\":true,\"network\":null,"
        "\"metrics\":{\"rtt_median_ms\":12}}";
    struct pc_history h = {0};
    char *big = malloc(PC_HISTORY_LINE_MAX + 64);

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK(pc_history_parse(bad[i], strlen(bad[i]), &h) == 0);
        if (h.n != 0)
            fprintf(stderr, "bad line %zu was read\n", i);
        CHECK(h.n == 0 && h.skipped == i + 1);
    }
    CHECK(pc_history_parse(good, strlen(good), &h) == 0 && h.n == 1);
    CHECK_NEAR(h.e[0].fig[PC_HFIG_RTT], 12, 0);
    /* A line longer than the limit is skipped without being parsed. */
    memset(big, ' ', PC_HISTORY_LINE_MAX + 1);
    memcpy(big, good, strlen(good));
    CHECK(pc_history_parse(big, PC_HISTORY_LINE_MAX + 1, &h) == 0 && h.n == 1);
    CHECK(pc_history_parse(big, PC_HISTORY_LINE_MAX, &h) == 0 && h.n == 2);
    /* Empty lines are not lines; several lines at once. */
    pc_history_free(&h);
    h.skipped = 0;
    snprintf(big, PC_HISTORY_LINE_MAX, "\n%s\n\nnope\n%s", good, good);
    CHECK(pc_history_parse(big, strlen(big), &h) == 0 && h.n == 2 && h.skipped == 1);
    free(big);
    pc_history_free(&h);
}

static size_t count_lines(const char *path, char *first, size_t cap)
{
    FILE *f = fopen(path, "r");
    char line[PC_HISTORY_LINE_MAX + 2];
    size_t n = 0;

    if (f == NULL)
        return 0;
    while (fgets(line, sizeof(line), f) != NULL)
        if (n++ == 0 && first != NULL)
            pc_strfmt(first, cap, "%s", line);
    fclose(f);
    return n;
}

static void test_file(void)
{
    char dir[] = "/tmp/pc-history-XXXXXX", path[256], line[64], first[64];
    struct pc_err err = {0};
    struct pc_history h = {0};
    struct stat sb;

    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/state/precall/history.ndjson", dir);
    umask(0); /* the modes must not come from the umask */
    CHECK(pc_history_load(path, &h, &err) == 0 && h.n == 0); /* missing: empty */
    for (int i = 1; i <= 3; i++) {
        snprintf(line, sizeof(line), "line %d\n", i);
        CHECK(pc_history_append(path, line, strlen(line), 3, &err) == 0);
    }
    CHECK(count_lines(path, first, sizeof(first)) == 3 && strcmp(first, "line 1\n") == 0);
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    snprintf(line, sizeof(line), "%s/state/precall", dir);
    CHECK(stat(line, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    snprintf(line, sizeof(line), "%s/state", dir);
    CHECK(stat(line, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    /* One over the bound: the oldest goes, the file keeps its mode. */
    CHECK(pc_history_append(path, "line 4\n", 7, 3, &err) == 0);
    CHECK(count_lines(path, first, sizeof(first)) == 3 && strcmp(first, "line 2\n") == 0);
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    CHECK(pc_history_append(path, "line 5\n", 7, 3, &err) == 0);
    CHECK(count_lines(path, first, sizeof(first)) == 3 && strcmp(first, "line 3\n") == 0);
    /* Not a line: refused. */
    CHECK(pc_history_append(path, "two\nlines\n", 10, 3, &err) == PC_EINVAL);
    CHECK(pc_history_append(path, "no newline", 10, 3, &err) == PC_EINVAL);
    CHECK(count_lines(path, NULL, 0) == 3);
    umask(022);
    unlink(path);
    snprintf(line, sizeof(line), "%s/state/precall", dir);
    rmdir(line);
    snprintf(line, sizeof(line), "%s/state", dir);
    rmdir(line);
    rmdir(dir);
}

/* Never another user's file or folder (root with a user's HOME). */
static void test_other_user(void)
{
    char dir[] = "/tmp/pc-history-XXXXXX", path[256], sub[256];
    struct pc_err err = {0};

    if (geteuid() != 0)
        return; /* only root can give a file away */
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/history.ndjson", dir);
    CHECK(pc_history_append(path, "mine\n", 5, 10, &err) == 0);
    CHECK(chown(path, 65534, 65534) == 0);
    CHECK(pc_history_append(path, "again\n", 6, 10, &err) == PC_EPERM);
    CHECK(strstr(err.msg, "is not a file of this user") != NULL);
    CHECK(count_lines(path, NULL, 0) == 1);
    unlink(path);
    /* A folder of another user: nothing is created in it. */
    CHECK(chown(dir, 65534, 65534) == 0);
    snprintf(path, sizeof(path), "%s/state/precall/history.ndjson", dir);
    CHECK(pc_history_append(path, "line\n", 5, 10, &err) == PC_EPERM);
    snprintf(sub, sizeof(sub), "%s/state", dir);
    CHECK(access(sub, F_OK) != 0);
    rmdir(dir);
}

/*
 * Checks that end at the same moment (two watches, a check beside a watch)
 * lose no line: 8 processes append 100 lines each to a history bounded at
 * 100. Each writer's lines left in the file are the last ones it wrote
 * (up to its 100th), with none missing between them (a line appended to the file that another
 * writer was replacing would be lost from the middle), and the file holds
 * exactly the bound.
 */
static void test_concurrent(void)
{
    enum { WRITERS = 8, LINES = 100, BOUND = 100 };
    char dir[] = "/tmp/pc-history-XXXXXX", path[256], buf[64];
    int next[WRITERS], total = 0, holes = 0, status;
    FILE *f;

    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/history.ndjson", dir);
    for (int w = 0; w < WRITERS; w++) {
        pid_t pid = fork();

        if (pid == 0) {
            struct pc_err err = {0};
            char line[64];
            int bad = 0;

            for (int i = 0; i < LINES; i++) {
                snprintf(line, sizeof(line), "%d %d\n", w, i);
                bad |= pc_history_append(path, line, strlen(line), BOUND, &err) != 0;
            }
            _exit(bad);
        }
        CHECK(pid > 0);
    }
    for (int w = 0; w < WRITERS; w++) {
        CHECK(wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
        next[w] = -1;
    }
    f = fopen(path, "r");
    CHECK(f != NULL);
    while (f != NULL && fgets(buf, sizeof(buf), f) != NULL) {
        int w, i;

        total++;
        if (sscanf(buf, "%d %d", &w, &i) != 2 || w < 0 || w >= WRITERS) {
            holes++;
            continue;
        }
        holes += next[w] >= 0 && i != next[w];
        next[w] = i + 1;
    }
    if (f != NULL)
        fclose(f);
    CHECK(total == BOUND);
    CHECK(holes == 0);
    /* Only the oldest go: a writer with a line left has its last one left. */
    for (int w = 0; w < WRITERS; w++)
        CHECK(next[w] == -1 || next[w] == LINES);
    unlink(path);
    rmdir(dir);
}

/* The real bound: 1,000 lines, and the 1,001st check pushes out the first. */
static void test_bound_1000(void)
{
    char dir[] = "/tmp/pc-history-XXXXXX", path[256], line[64], first[64];
    struct pc_err err = {0};

    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/history.ndjson", dir);
    for (int i = 1; i <= PC_HISTORY_MAX_LINES; i++) {
        snprintf(line, sizeof(line), "check %d\n", i);
        CHECK(pc_history_append(path, line, strlen(line), PC_HISTORY_MAX_LINES, &err) == 0);
    }
    CHECK(count_lines(path, first, sizeof(first)) == 1000 && strcmp(first, "check 1\n") == 0);
    CHECK(pc_history_append(path, "check 1001\n", 11, PC_HISTORY_MAX_LINES, &err) == 0);
    CHECK(count_lines(path, first, sizeof(first)) == 1000 && strcmp(first, "check 2\n") == 0);
    unlink(path);
    rmdir(dir);
}

static void test_usual(void)
{
    struct pc_history h = {0};
    struct pc_history_net home, cafe;
    double usual = -1;
    static const double rtts[] = {20, 22, 24, 26, 28, 30, 32, 34, 36, 38};

    home = entry("203.0.113.0/24", 0, 0).net;
    cafe = entry("198.51.100.0/24", 0, 0).net;
    /* Four checks at home: not yet usual. */
    for (int i = 0; i < 4; i++)
        add(&h, entry("203.0.113.0/24", rtts[i], NAN));
    CHECK(pc_history_usual(&h, &home, PC_HFIG_RTT, &usual) == 0);
    /* Checks elsewhere, stopped ones and other commands do not count. */
    add(&h, entry("198.51.100.0/24", 500, NAN));
    {
        struct pc_history_entry e = entry("203.0.113.0/24", 900, NAN);

        e.complete = 0;
        add(&h, e);
        e.complete = 1;
        strcpy(e.command, "devices");
        add(&h, e);
    }
    CHECK(pc_history_usual(&h, &home, PC_HFIG_RTT, &usual) == 0);
    /* The fifth: usual is the 90th percentile of 20, 22, 24, 26, 28 (R-7: 27.2). */
    add(&h, entry("203.0.113.0/24", rtts[4], NAN));
    CHECK(pc_history_usual(&h, &home, PC_HFIG_RTT, &usual) == 5);
    CHECK_NEAR(usual, 27.2, 1e-9);
    CHECK(pc_history_usual(&h, &cafe, PC_HFIG_RTT, &usual) == 0); /* one check there */
    /* A figure no check measured has no usual. */
    CHECK(pc_history_usual(&h, &home, PC_HFIG_JITTER, &usual) == 0);
    /* An unknown network is never compared. */
    {
        struct pc_history_net none = {0};
        struct pc_history anon = {0};
        struct pc_history_entry e = entry("", 10, NAN);

        memset(&e.net, 0, sizeof(e.net));
        for (int i = 0; i < 6; i++)
            add(&anon, e);
        CHECK(pc_history_usual(&anon, &none, PC_HFIG_RTT, &usual) == 0);
        pc_history_free(&anon);
    }
    /* The window is the last 20: 19 more checks at 100 ms push the old ones out. */
    for (int i = 0; i < 19; i++)
        add(&h, entry("203.0.113.0/24", 100, NAN));
    CHECK(pc_history_usual(&h, &home, PC_HFIG_RTT, &usual) == 20);
    CHECK_NEAR(usual, 100, 1e-9); /* 28 and 19 x 100: p90 = 100 */
    pc_history_free(&h);
}

static void test_speed_usual(void)
{
    struct pc_history h = {0};
    struct pc_history_net home = entry("203.0.113.0/24", 0, 0).net;
    double usual = -1;
    static const double down[] = {20, 30, 40, 50, 60};

    for (int i = 0; i < 5; i++)
        add(&h, entry("203.0.113.0/24", NAN, down[i]));
    /* Higher is better: usual is the 10th percentile (R-7: 20 + 0.4 x 10 = 24). */
    CHECK(pc_history_usual(&h, &home, PC_HFIG_DOWNLOAD, &usual) == 5);
    CHECK_NEAR(usual, 24, 1e-9);
    /* 35 Mbit/s is within this network's usual range. */
    CHECK(!pc_history_worse(PC_HFIG_DOWNLOAD, 35, usual));
    pc_history_free(&h);
}

static void test_worse(void)
{
    /* Round trip: usual 30, margin max(5 ms, 20 % = 6 ms): worse above 36. */
    CHECK(!pc_history_worse(PC_HFIG_RTT, 36.0, 30));
    CHECK(pc_history_worse(PC_HFIG_RTT, 36.01, 30));
    /* A small usual: the 5 ms floor. */
    CHECK(!pc_history_worse(PC_HFIG_RTT, 6.0, 1));
    CHECK(pc_history_worse(PC_HFIG_RTT, 6.01, 1));
    /* Download: usual 50, margin max(1, 10): worse below 40. */
    CHECK(!pc_history_worse(PC_HFIG_DOWNLOAD, 40.0, 50));
    CHECK(pc_history_worse(PC_HFIG_DOWNLOAD, 39.99, 50));
    CHECK(!pc_history_worse(PC_HFIG_DOWNLOAD, 200, 50)); /* faster is never worse */
    /* Loss: 0.5 points over usual. */
    CHECK(!pc_history_worse(PC_HFIG_LOSS, 0.5, 0));
    CHECK(pc_history_worse(PC_HFIG_LOSS, 0.6, 0));
    /* DNS is recorded, not compared; nothing compares with NaN. */
    CHECK(!pc_history_worse(PC_HFIG_DNS, 900, 10));
    CHECK(!pc_history_worse(PC_HFIG_RTT, NAN, 10));
    CHECK(!pc_history_worse(PC_HFIG_RTT, 100, NAN));
}

static struct pc_report *report_at(const char *address, double rtt)
{
    struct pc_report *r = pc_report_new();

    r->command = "check";
    r->complete = 1;
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_RTT_MEDIAN_MS, rtt);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_DOWNLOAD_MBPS, 45);
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_PUBLIC_ADDRESS, address);
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_LINK_INTERFACE, "wlan0");
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_LINK_KIND, "wifi");
    return r;
}

static void test_note(void)
{
    struct pc_history h = {0};
    struct pc_report *r;

    for (int i = 0; i < 6; i++)
        add(&h, entry("203.0.113.0/24", 20 + i, 50));
    /* Worse than usual at home: one note, about the round trip. */
    r = report_at("203.0.113.9", 80);
    CHECK(pc_history_note(r, &h) == 1);
    CHECK(r->n_advice == 1);
    CHECK(strcmp(r->advice[0].id, "worse-than-usual") == 0);
    CHECK(strcmp(r->advice[0].severity, "info") == 0);
    CHECK(r->advice[0].metric == PC_M_RTT_MEDIAN_MS);
    CHECK_NEAR(r->advice[0].value, 80, 0);
    CHECK_NEAR(r->advice[0].threshold, 24.5, 1e-9); /* p90 of 20..25 */
    CHECK(strstr(r->advice[0].text, "worse than your usual on this network") != NULL);
    CHECK(strstr(r->advice[0].text, "80.0 ms") != NULL);
    CHECK(strstr(r->advice[0].text, "24.5 ms") != NULL);
    CHECK(strstr(r->advice[0].text, "last 6 checks") != NULL);
    pc_report_free(r);
    /* Within usual: nothing. */
    r = report_at("203.0.113.9", 25);
    CHECK(pc_history_note(r, &h) == 0 && r->n_advice == 0);
    pc_report_free(r);
    /* The same figure on another network: not compared. */
    r = report_at("198.51.100.9", 80);
    CHECK(pc_history_note(r, &h) == 0 && r->n_advice == 0);
    pc_report_free(r);
    pc_history_free(&h);
}

int main(void)
{
    test_prefix();
    test_report_entry();
    test_bad_lines();
    test_file();
    test_bound_1000();
    for (int round = 0; round < 3; round++) /* the race it guards against is not every time */
        test_concurrent();
    test_other_user();
    test_usual();
    test_speed_usual();
    test_worse();
    test_note();
    return check_done();
}
