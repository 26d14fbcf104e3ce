/* history.c - the history file: its lines, their bound, and "usual" (see precall/history.h). */
#include <arpa/inet.h>
#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "precall/fileio.h"
#include "precall/history.h"
#include "precall/stats.h"
#include "precall/tier.h"

static const struct pc_history_figure_def figures[PC_HFIG__COUNT] = {
    [PC_HFIG_RTT] = {PC_M_RTT_MEDIAN_MS, "RTT", 5.0, 20.0},
    [PC_HFIG_JITTER] = {PC_M_JITTER_MS, "jitter", 2.0, 20.0},
    [PC_HFIG_LOSS] = {PC_M_LOSS_PCT, "loss", 0.5, 0.0},
    [PC_HFIG_DOWNLOAD] = {PC_M_DOWNLOAD_MBPS, "down", 1.0, 20.0},
    [PC_HFIG_UPLOAD] = {PC_M_UPLOAD_MBPS, "up", 1.0, 20.0},
    [PC_HFIG_DNS] = {PC_M_DNS_MS, "DNS", 0.0, 0.0}, /* recorded, not compared */
};

const struct pc_history_figure_def *pc_history_figure_def(enum pc_history_figure f)
{
    return f >= 0 && f < PC_HFIG__COUNT ? &figures[f] : NULL;
}

void pc_history_free(struct pc_history *h)
{
    if (h == NULL)
        return;
    free(h->e);
    h->e = NULL;
    h->n = h->cap = 0;
}

/* ------------------------------------------------------------------ identity */

void pc_history_prefix(const char *address, char *buf, size_t cap)
{
    unsigned char a[16];
    char text[INET6_ADDRSTRLEN];

    if (cap == 0)
        return;
    buf[0] = '\0';
    if (address == NULL)
        return;
    if (inet_pton(AF_INET, address, a) == 1) {
        a[3] = 0;
        if (inet_ntop(AF_INET, a, text, sizeof(text)) != NULL)
            pc_strfmt(buf, cap, "%s/24", text);
    } else if (inet_pton(AF_INET6, address, a) == 1) {
        memset(a + 6, 0, 10);
        if (inet_ntop(AF_INET6, a, text, sizeof(text)) != NULL)
            pc_strfmt(buf, cap, "%s/48", text);
    }
}

static void copy_text(const struct pc_report *r, enum pc_metric m, char *buf, size_t cap)
{
    const struct pc_value *v = pc_report_get(r, PC_SCOPE_RUN_ID, m);

    buf[0] = '\0';
    if (v->set && v->text != NULL)
        pc_strfmt(buf, cap, "%s", v->text);
}

void pc_history_net_of(const struct pc_report *r, struct pc_history_net *net)
{
    const struct pc_value *pub = pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_PUBLIC_ADDRESS);

    memset(net, 0, sizeof(*net));
    copy_text(r, PC_M_LINK_INTERFACE, net->interface, sizeof(net->interface));
    copy_text(r, PC_M_LINK_KIND, net->link_kind, sizeof(net->link_kind));
    copy_text(r, PC_M_WIFI_SSID, net->wifi_ssid, sizeof(net->wifi_ssid));
    if (pub->set && pub->text != NULL)
        pc_history_prefix(pub->text, net->public_prefix, sizeof(net->public_prefix));
}

int pc_history_net_known(const struct pc_history_net *net)
{
    return net->interface[0] || net->link_kind[0] || net->wifi_ssid[0] || net->public_prefix[0];
}

int pc_history_net_same(const struct pc_history_net *a, const struct pc_history_net *b)
{
    return strcmp(a->interface, b->interface) == 0 && strcmp(a->link_kind, b->link_kind) == 0 &&
           strcmp(a->wifi_ssid, b->wifi_ssid) == 0 &&
           strcmp(a->public_prefix, b->public_prefix) == 0;
}

/* ------------------------------------------------------------------ a line */

void pc_history_entry_of(const struct pc_report *r, struct pc_history_entry *e)
{
    memset(e, 0, sizeof(*e));
    pc_strfmt(e->started_at, sizeof(e->started_at), "%s", r->started_at);
    pc_strfmt(e->command, sizeof(e->command), "%s", r->command ? r->command : "");
    pc_strfmt(e->tier, sizeof(e->tier), "%s", pc_tier_name(r->tier));
    pc_strfmt(e->status, sizeof(e->status), "%s", pc_report_status(r));
    e->exit_code = pc_report_exit_code(r);
    e->complete = r->complete;
    pc_history_net_of(r, &e->net);
    for (int f = 0; f < PC_HFIG__COUNT; f++) {
        const struct pc_value *v = pc_report_get(r, PC_SCOPE_RUN_ID, figures[f].metric);

        e->fig[f] = v->set && isfinite(v->num) ? round(v->num * 1000.0) / 1000.0 : NAN;
    }
}

static void add_text(cJSON *o, const char *key, const char *s)
{
    cJSON_AddItemToObject(o, key, s[0] ? cJSON_CreateString(s) : cJSON_CreateNull());
}

void pc_history_line(const struct pc_history_entry *e, struct pc_buf *b)
{
    cJSON *o = cJSON_CreateObject(), *net, *m;
    char *text;

    cJSON_AddStringToObject(o, "schema", PC_HISTORY_SCHEMA);
    cJSON_AddStringToObject(o, "started_at", e->started_at);
    cJSON_AddStringToObject(o, "command", e->command);
    cJSON_AddStringToObject(o, "tier", e->tier);
    cJSON_AddStringToObject(o, "status", e->status);
    cJSON_AddNumberToObject(o, "exit_code", e->exit_code);
    cJSON_AddBoolToObject(o, "complete", e->complete);
    net = cJSON_AddObjectToObject(o, "network");
    if (net != NULL) {
        add_text(net, "interface", e->net.interface);
        add_text(net, "link_kind", e->net.link_kind);
        add_text(net, "wifi_ssid", e->net.wifi_ssid);
        add_text(net, "public_prefix", e->net.public_prefix);
    }
    m = cJSON_AddObjectToObject(o, "metrics");
    for (int f = 0; m != NULL && f < PC_HFIG__COUNT; f++)
        cJSON_AddItemToObject(m, pc_metric_def(figures[f].metric)->key,
                              isnan(e->fig[f]) ? cJSON_CreateNull()
                                               : cJSON_CreateNumber(e->fig[f]));
    text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (text == NULL) {
        b->failed = 1;
        return;
    }
    pc_buf_puts(b, text);
    pc_buf_puts(b, "\n");
    free(text);
}

/* A string member into buf; 0 when missing, not a string or too long. null reads as "". */
static int get_text(const cJSON *o, const char *key, char *buf, size_t cap, int null_ok)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    size_t n;

    buf[0] = '\0';
    if (null_ok && (v == NULL || cJSON_IsNull(v)))
        return 1;
    if (!cJSON_IsString(v) || v->valuestring == NULL)
        return 0;
    n = strlen(v->valuestring);
    if (n >= cap)
        return 0;
    memcpy(buf, v->valuestring, n + 1);
    return 1;
}

static int read_entry(const cJSON *o, struct pc_history_entry *e)
{
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(o, "schema");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, "exit_code");
    const cJSON *complete = cJSON_GetObjectItemCaseSensitive(o, "complete");
    const cJSON *net = cJSON_GetObjectItemCaseSensitive(o, "network");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "metrics");

    memset(e, 0, sizeof(*e));
    if (!cJSON_IsObject(o) || !cJSON_IsString(schema) ||
        strcmp(schema->valuestring, PC_HISTORY_SCHEMA) != 0)
        return 0;
    if (!get_text(o, "started_at", e->started_at, sizeof(e->started_at), 0) ||
        !get_text(o, "command", e->command, sizeof(e->command), 0) ||
        !get_text(o, "tier", e->tier, sizeof(e->tier), 0) || pc_tier_parse(e->tier) < 0 ||
        !get_text(o, "status", e->status, sizeof(e->status), 0))
        return 0;
    if (!cJSON_IsNumber(code) || !(code->valuedouble >= 0 && code->valuedouble <= 255) ||
        !cJSON_IsBool(complete))
        return 0;
    e->exit_code = (int)code->valuedouble;
    e->complete = cJSON_IsTrue(complete);
    if (net != NULL && !cJSON_IsNull(net)) {
        if (!cJSON_IsObject(net) ||
            !get_text(net, "interface", e->net.interface, sizeof(e->net.interface), 1) ||
            !get_text(net, "link_kind", e->net.link_kind, sizeof(e->net.link_kind), 1) ||
            !get_text(net, "wifi_ssid", e->net.wifi_ssid, sizeof(e->net.wifi_ssid), 1) ||
            !get_text(net, "public_prefix", e->net.public_prefix, sizeof(e->net.public_prefix), 1))
            return 0;
    }
    if (m != NULL && !cJSON_IsNull(m) && !cJSON_IsObject(m))
        return 0;
    for (int f = 0; f < PC_HFIG__COUNT; f++) {
        const struct pc_metric_def *d = pc_metric_def(figures[f].metric);
        const cJSON *v = m != NULL ? cJSON_GetObjectItemCaseSensitive(m, d->key) : NULL;

        e->fig[f] = NAN;
        if (v == NULL || cJSON_IsNull(v))
            continue;
        /* A figure the metric cannot take (negative, NaN, beyond its range) makes the line bad. */
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < d->lo ||
            v->valuedouble > d->hi)
            return 0;
        e->fig[f] = v->valuedouble;
    }
    return 1;
}

static int parse_line(const char *s, size_t len, struct pc_history *h)
{
    struct pc_history_entry e;
    cJSON *o;
    int ok;

    if (len == 0)
        return 0;
    if (len > PC_HISTORY_LINE_MAX) {
        h->skipped++;
        return 0;
    }
    o = cJSON_ParseWithLength(s, len);
    ok = o != NULL && read_entry(o, &e);
    cJSON_Delete(o);
    if (!ok) {
        h->skipped++;
        return 0;
    }
    if (pc_grow((void **)&h->e, &h->cap, h->n + 1, sizeof(*h->e)) < 0)
        return PC_ENOMEM;
    h->e[h->n++] = e;
    return 0;
}

int pc_history_parse(const char *data, size_t len, struct pc_history *h)
{
    size_t start = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && data[i] != '\n')
            continue;
        if (parse_line(data + start, i - start, h) < 0)
            return PC_ENOMEM;
        start = i + 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ the file */

#define FILE_MAX ((size_t)PC_HISTORY_MAX_LINES * PC_HISTORY_LINE_MAX)
#define STICKY   01000 /* S_ISVTX, an XSI name that _POSIX_C_SOURCE alone does not give */

/* The last at most FILE_MAX bytes of fd into *data (a partial first line dropped). */
static int read_tail(int fd, const char *path, char **data, size_t *len, struct pc_err *err)
{
    struct stat sb;
    size_t want, got = 0, skip = 0;
    char *buf;

    *data = NULL;
    *len = 0;
    if (fstat(fd, &sb) < 0)
        return pc_err_set(err, PC_EIO, "%s: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return pc_err_set(err, PC_EDATA, "%s: not a regular file", path);
    want = (size_t)sb.st_size > FILE_MAX ? FILE_MAX : (size_t)sb.st_size;
    if ((size_t)sb.st_size > want && lseek(fd, sb.st_size - (off_t)want, SEEK_SET) < 0)
        return pc_err_set(err, PC_EIO, "%s: %s", path, strerror(errno));
    buf = malloc(want + 1);
    if (buf == NULL)
        return pc_err_set(err, PC_ENOMEM, "out of memory reading %s", path);
    while (got < want) {
        ssize_t k = read(fd, buf + got, want - got);

        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            free(buf);
            return pc_err_set(err, PC_EIO, "%s: %s", path, strerror(errno));
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    if ((size_t)sb.st_size > want) { /* began within a line: drop up to the first newline */
        char *nl = memchr(buf, '\n', got);

        skip = nl != NULL ? (size_t)(nl - buf) + 1 : got;
        memmove(buf, buf + skip, got - skip);
        got -= skip;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return 0;
}

int pc_history_load(const char *path, struct pc_history *h, struct pc_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    char *data;
    size_t len;
    int rc;

    if (fd < 0 && errno == ENOENT)
        return 0;
    if (fd < 0)
        return pc_err_set(err, PC_ENOENT, "cannot open %s: %s", path, strerror(errno));
    rc = read_tail(fd, path, &data, &len, err);
    close(fd);
    if (rc < 0)
        return rc;
    rc = pc_history_parse(data, len, h);
    free(data);
    if (rc < 0)
        return pc_err_set(err, PC_ENOMEM, "out of memory reading %s", path);
    return 0;
}

/*
 * Create the folder of path and the folders above it that are missing, each
 * 0700, only inside a folder of this user (or a sticky one, as /tmp): root
 * with another user's HOME makes no folder there that the user could then
 * not write to.
 */
static int make_dirs(const char *path, struct pc_err *err)
{
    char dir[4096];
    size_t n = strlen(path);
    struct stat sb;
    int mine = 0; /* the last folder that exists is this user's, or sticky as /tmp is */

    if (n >= sizeof(dir))
        return pc_err_set(err, PC_EINVAL, "the history path is too long");
    memcpy(dir, path, n + 1);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (stat(dir, &sb) == 0) {
            mine = sb.st_uid == geteuid() || (sb.st_mode & STICKY) != 0;
        } else if (!mine) {
            return pc_err_set(err, PC_EPERM, "cannot create %s: its folder belongs to another user",
                              dir);
        } else if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
            return pc_err_set(err, PC_EIO, "cannot create %s: %s", dir, strerror(errno));
        }
        *p = '/';
    }
    return 0;
}

/* Keep the last max_lines lines of data (len bytes, each line ending in '\n'). */
static int bound(const char *path, const char *data, size_t len, size_t max_lines,
                 struct pc_err *err)
{
    size_t lines = 0, from = len;

    for (size_t i = len; i > 0; i--) {
        if (data[i - 1] != '\n' || i == len)
            continue;
        if (++lines == max_lines) {
            from = i;
            break;
        }
    }
    if (lines < max_lines) /* no more than max_lines: nothing to do */
        return 0;
    if (pc_file_replace(path, data + from, len - from, 0600, NULL) < 0)
        return pc_err_set(err, PC_EIO, "cannot replace %s: %s", path, strerror(errno));
    return 0;
}

/*
 * Take the lock of the history at path: a write lock (fcntl's, released by
 * close) on "PATH.lock", a file of its own that is never replaced, as the
 * history itself is when bounded. Another check holds it only while it
 * appends and bounds; tried for up to LOCK_WAIT_MS. The lock's descriptor,
 * or -1 when it could not be had (then append anyway: O_APPEND keeps the
 * line whole, and the bound is left to the next check).
 */
#define LOCK_WAIT_MS 2000

static int lock_history(const char *path)
{
    char lp[4200];
    struct flock fl;
    int fd;

    if (pc_strfmt(lp, sizeof(lp), "%s.lock", path) != 0)
        return -1;
    fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (fd < 0)
        return -1;
    for (int waited = 0;; waited++) {
        memset(&fl, 0, sizeof(fl));
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        if (fcntl(fd, F_SETLK, &fl) == 0)
            return fd;
        if ((errno != EACCES && errno != EAGAIN && errno != EINTR) || waited >= LOCK_WAIT_MS)
            break;
        nanosleep(&(struct timespec){0, 1000000L}, NULL); /* 1 ms */
    }
    close(fd);
    return -1;
}

/* The history file at path, opened to append (created 0600): this user's regular file only. */
static int open_own(const char *path, struct pc_err *err)
{
    struct stat sb;
    int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);

    if (fd < 0)
        return pc_err_set(err, PC_EIO, "cannot open %s: %s", path, strerror(errno));
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid()) {
        close(fd);
        return pc_err_set(err, PC_EPERM, "%s is not a file of this user", path);
    }
    return fd;
}

int pc_history_append(const char *path, const char *line, size_t len, size_t max_lines,
                      struct pc_err *err)
{
    char *data = NULL;
    size_t have = 0;
    int fd, rc, lock;

    if (len == 0 || line[len - 1] != '\n' || memchr(line, '\n', len - 1) != NULL)
        return pc_err_set(err, PC_EINVAL, "a history line is one line ending in a newline");
    rc = make_dirs(path, err);
    if (rc < 0)
        return rc;
    fd = open_own(path, err);
    if (fd < 0)
        return fd;
    /* Opened again under the lock: another check may have replaced it meanwhile. */
    lock = lock_history(path);
    if (lock >= 0) {
        close(fd);
        fd = open_own(path, err);
        if (fd < 0) {
            rc = fd;
            goto out;
        }
    }
    /* One write of the whole line: O_APPEND puts it after any other writer's whole line. */
    if (write(fd, line, len) != (ssize_t)len) {
        rc = pc_err_set(err, PC_EIO, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    if (lseek(fd, 0, SEEK_SET) == 0)
        rc = read_tail(fd, path, &data, &have, err);
    if (rc == 0 && data != NULL && lock >= 0)
        rc = bound(path, data, have, max_lines, err);
out:
    if (fd >= 0)
        close(fd);
    if (lock >= 0)
        close(lock); /* after the bound: releases the lock */
    free(data);
    return rc;
}

/* ------------------------------------------------------------------ usual */

static int lower_is_better(enum pc_history_figure f)
{
    return pc_metric_def(figures[f].metric)->better != PC_BETTER_HIGHER;
}

int pc_history_usual(const struct pc_history *h, const struct pc_history_net *net,
                     enum pc_history_figure f, double *usual)
{
    double v[PC_HISTORY_USUAL_LAST];
    size_t n = 0;

    if (!pc_history_net_known(net))
        return 0;
    for (size_t i = h->n; i > 0 && n < PC_HISTORY_USUAL_LAST; i--) {
        const struct pc_history_entry *e = &h->e[i - 1];

        if (strcmp(e->command, "check") != 0 || !e->complete || isnan(e->fig[f]) ||
            !pc_history_net_same(&e->net, net))
            continue;
        v[n++] = e->fig[f];
    }
    if (n < PC_HISTORY_USUAL_MIN)
        return 0;
    for (size_t i = 1; i < n; i++) /* insertion sort: at most 20 */
        for (size_t k = i; k > 0 && v[k - 1] > v[k]; k--) {
            double t = v[k];

            v[k] = v[k - 1];
            v[k - 1] = t;
        }
    *usual = pc_stats_percentile(v, n, lower_is_better(f) ? 90.0 : 10.0);
    return (int)n;
}

int pc_history_worse(enum pc_history_figure f, double value, double usual)
{
    const struct pc_history_figure_def *d = pc_history_figure_def(f);
    double margin;

    if (d == NULL || d->margin <= 0 || isnan(value) || isnan(usual))
        return 0;
    margin = fmax(d->margin, fabs(usual) * d->margin_pct / 100.0);
    return lower_is_better(f) ? value > usual + margin : value < usual - margin;
}

int pc_history_note(struct pc_report *r, const struct pc_history *h)
{
    struct pc_history_net net;
    int added = 0;

    pc_history_net_of(r, &net);
    for (int f = 0; f < PC_HFIG__COUNT; f++) {
        const struct pc_metric_def *d = pc_metric_def(figures[f].metric);
        const struct pc_value *v = pc_report_get(r, PC_SCOPE_RUN_ID, figures[f].metric);
        struct pc_advice *a;
        char now[48], was[48];
        double usual;
        int n;

        if (!v->set || r->n_advice >= PC_ADVICE_MAX)
            continue;
        n = pc_history_usual(h, &net, f, &usual);
        if (n == 0 || !pc_history_worse(f, v->num, usual))
            continue;
        pc_metric_format(d, v->num, now, sizeof(now));
        pc_metric_format(d, usual, was, sizeof(was));
        a = &r->advice[r->n_advice++];
        memset(a, 0, sizeof(*a));
        a->id = "worse-than-usual";
        a->severity = "info";
        a->metric = figures[f].metric;
        a->scope = PC_SCOPE_RUN_ID;
        a->rank = 1000;
        a->value = v->num;
        a->threshold = usual;
        pc_strfmt(a->text, sizeof(a->text),
                  "%s %s is worse than your usual on this network: %s %s over your last %d "
                  "checks here.",
                  d->label, now, lower_is_better(f) ? "at most" : "at least", was, n);
        added++;
    }
    return added;
}
