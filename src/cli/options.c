/* options.c - the option table, its parser and the generated --help. */
#define _GNU_SOURCE /* getopt_long */
#include <ctype.h>
#include <errno.h>
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/options.h"
#include "cli/push.h"
#include "precall/clock.h"
#include "precall/history.h"
#include "precall/profile.h"
#include "precall/render.h"
#include "precall/runner.h"
#include "precall/tier.h"
#include "precall/turn.h"

#define DEFAULT_DURATION_NS (10 * PC_NS_PER_S)
#define TIMEOUT_GRACE_NS    (10 * PC_NS_PER_S)

static const struct pc_option options[] = {
    {"profile", OPT_PROFILE, "NAME|FILE", PC_CMD_ALL | PC_CMD_WATCH,
     "scoring profile (default: therapy)"},
    {"require", OPT_REQUIRE, "hd|sd|audio", PC_CMD_REPORTS | PC_CMD_WATCH,
     "lowest tier that counts as ready, exit 0 (default: sd)"},
    {"stun", OPT_STUN, "HOST[:PORT]", PC_CMD_CHECK | PC_CMD_WATCH,
     "STUN server to probe; repeat for a second one (default: two public servers)"},
    {"server", OPT_SERVER, "URL", PC_CMD_CHECK | PC_CMD_WATCH,
     "speed-test server (GET /__down, POST /__up; default: " PC_DEFAULT_SERVER ")"},
    {"cacert", OPT_CACERT, "FILE", PC_CMD_REPORTS | PC_CMD_WATCH,
     "trust the certificate authorities in FILE (PEM) for the speed-test server, TLS relays and "
     "--push"},
    {"turn", OPT_TURN, "URI", PC_CMD_CHECK | PC_CMD_WATCH,
     "TURN relay to check (repeatable): turn:HOST[:PORT][?transport=udp|tcp], turns:HOST[:PORT]; "
     "credentials from PRECALL_TURN_USER and PRECALL_TURN_PASSWORD"},
    {"turn-credentials", OPT_TURN_CREDENTIALS, "FILE", PC_CMD_CHECK | PC_CMD_WATCH,
     "the relay's user name (first line) and password (second line) from FILE"},
    {"turn-secret-file", OPT_TURN_SECRET_FILE, "FILE", PC_CMD_CHECK | PC_CMD_WATCH,
     "make TURN REST credentials from the shared secret in FILE (coturn use-auth-secret)"},
    {"duration", OPT_DURATION, "SECONDS", PC_CMD_CHECK | PC_CMD_CAPTURE | PC_CMD_WATCH,
     "time budget of the whole check (default: 10); capture: how long to capture"},
    {"interface", OPT_INTERFACE, "IF", PC_CMD_CAPTURE,
     "capture: the network interface to capture on"},
    {"write", OPT_WRITE, "FILE", PC_CMD_CAPTURE,
     "capture: also write the packets to FILE (pcap), for later 'precall analyze'"},
    {"clock-rate", OPT_CLOCK_RATE, "PT=HZ", PC_CMD_CAPS,
     "clock rate of an RTP payload type (repeatable), e.g. 96=90000"},
    {"timeout", OPT_TIMEOUT, "SECONDS", PC_CMD_CHECK | PC_CMD_ANALYZE | PC_CMD_WATCH,
     "hard deadline: stop and report by then (default: duration + 10)"},
    {"only", OPT_ONLY, "LIST", PC_CMD_CHECK | PC_CMD_WATCH,
     "run only these probes (comma-separated; repeats add up)"},
    {"skip", OPT_SKIP, "LIST", PC_CMD_CHECK | PC_CMD_WATCH,
     "do not run these probes (comma-separated; repeats add up)"},
    {"format", OPT_FORMAT, "FORMAT", PC_CMD_ALL | PC_CMD_SHOW,
     "text (the default), json, ndjson (events as they happen), csv, openmetrics or html (one "
     "page to send to support); else as -o FILE's extension says (.html, .json, .ndjson, .csv, "
     ".txt)"},
    {"csv-header", OPT_CSV_HEADER, NULL, PC_CMD_REPORTS,
     "print the header line of -f csv alone and exit"},
    {"push", OPT_PUSH, "URL", PC_CMD_REPORTS,
     "also send the report's metrics (OpenMetrics) to the Prometheus Pushgateway at URL"},
    {"push-instance", OPT_PUSH_INSTANCE, "ID", PC_CMD_REPORTS,
     "the instance label of --push (default: this computer's host name)"},
    {"json", OPT_JSON, NULL, PC_CMD_ALL | PC_CMD_SHOW, "same as --format json"},
    {"csv", OPT_CSV, NULL, PC_CMD_HISTORY, "same as --format csv"},
    {"output", OPT_OUTPUT, "FILE", PC_CMD_REPORTS | PC_CMD_SHOW,
     "write the report to FILE (atomically) instead of standard output"},
    {"ipv4", OPT_IPV4, NULL, PC_CMD_CHECK | PC_CMD_WATCH, "use IPv4 only"},
    {"ipv6", OPT_IPV6, NULL, PC_CMD_CHECK | PC_CMD_WATCH, "use IPv6 only"},
    {"quiet", OPT_QUIET, NULL, PC_CMD_REPORTS | PC_CMD_SHOW | PC_CMD_WATCH,
     "print the verdict only, no progress"},
    {"verbose", OPT_VERBOSE, NULL, PC_CMD_ALL | PC_CMD_SHOW,
     "add methods, targets, samples and percentiles"},
    {"color", OPT_COLOR, "auto|always|never", PC_CMD_ALL | PC_CMD_SHOW,
     "colour the text report (default: auto; NO_COLOR is honoured)"},
    {"no-progress", OPT_NO_PROGRESS, NULL, PC_CMD_RUNS, "no progress display on stderr"},
    {"redact", OPT_REDACT, NULL, PC_CMD_SHOW | PC_CMD_REPORTS | PC_CMD_WATCH,
     "replace addresses, host names and Wi-Fi names by pseudonyms (ipv4-1, host-1, wifi-1)"},
    {"no-history", OPT_NO_HISTORY, NULL, PC_CMD_CHECK | PC_CMD_WATCH,
     "do not compare with or append to the history of checks"},
    {"every", OPT_EVERY, "SECONDS", PC_CMD_WATCH,
     "watch: from the start of one check to the next (default: 5m)"},
    {"until", OPT_UNTIL, "HH:MM", PC_CMD_WATCH, "watch: start no check at or after this time"},
    {"count", OPT_COUNT, "N", PC_CMD_WATCH, "watch: stop after N checks"},
    {"help", OPT_HELP, NULL, PC_CMD_ALL | PC_CMD_SHOW | PC_CMD_SHELL | PC_CMD_WATCH,
     "show this help and exit"},
    {"version", OPT_VERSION, NULL, PC_CMD_ALL | PC_CMD_SHOW | PC_CMD_WATCH,
     "show the version and exit"},
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static const struct {
    int code;
    const char *meaning;
} exits[] = {
    {PC_EXIT_READY, "ready: the achieved tier is at least --require"},
    {PC_EXIT_DEGRADED, "degraded: below --require, but audio works"},
    {PC_EXIT_NOT_READY, "not ready: not even an audio call would work (offline too)"},
    {PC_EXIT_NO_VERDICT, "no verdict: nothing to judge (a capture without RTP media, a STUN "
                         "server whose answers cannot be read, nothing checked)"},
    {PC_EXIT_USAGE, "usage error: unknown option or bad value"},
    {PC_EXIT_DATA, "bad input data: a malformed profile (file, line and why), or a capture file "
                   "that is empty, not a capture or damaged (file and packet; the packets before "
                   "the damage are still reported)"},
    {PC_EXIT_NOINPUT, "an input file cannot be opened"},
    {PC_EXIT_INTERNAL, "internal error (a bug)"},
    {PC_EXIT_IOERR, "the output could not be written: to --output (then it goes to stdout), or "
                    "to stdout; or --push failed (the report is still written)"},
    {PC_EXIT_NOPERM, "capture: no permission to capture (run as root, or grant CAP_NET_RAW and "
                     "CAP_NET_ADMIN)"},
    {PC_EXIT_HANGUP, "stopped by SIGHUP: the partial report is printed, marked incomplete"},
    {PC_EXIT_INTERRUPTED, "interrupted by SIGINT (Ctrl-C): the partial report is printed, marked "
                          "incomplete"},
    {PC_EXIT_TERMINATED, "stopped by SIGTERM: the partial report is printed, marked incomplete"},
};

const struct pc_option *pc_option_get(size_t i)
{
    return i < N_OPTIONS ? &options[i] : NULL;
}

#define LETTERS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* The length of a plain decimal number at s: digits, then '.' and digits. */
static size_t decimal_len(const char *s)
{
    size_t n = 0, frac = 0;

    while (s[n] >= '0' && s[n] <= '9')
        n++;
    if (n > 0 && s[n] == '.') {
        while (s[n + 1 + frac] >= '0' && s[n + 1 + frac] <= '9')
            frac++;
        if (frac > 0)
            n += 1 + frac;
    }
    return n;
}

int pc_cli_parse_duration(const char *s, int64_t min_ns, int64_t max_ns, int64_t *out,
                          struct pc_err *err)
{
    char q[PC_ERR_QUOTE_BUF];
    const char *unit;
    size_t n = decimal_len(s);
    double v, scale = 1e9;

    /* Only plain decimals: strtod alone would take hex, inf, nan and leading spaces. */
    if (n == 0)
        return pc_err_set(err, PC_EINVAL, "'%s' is not a number of seconds", pc_err_quote(s, q));
    unit = s + n;
    if (strcmp(unit, "ms") == 0)
        scale = 1e6;
    else if (strcmp(unit, "m") == 0)
        scale = 60e9;
    else if (*unit != '\0' && strcmp(unit, "s") != 0 && strspn(unit, LETTERS) < strlen(unit))
        return pc_err_set(err, PC_EINVAL, "'%s' is not a number of seconds", pc_err_quote(s, q));
    else if (*unit != '\0' && strcmp(unit, "s") != 0)
        return pc_err_set(err, PC_EINVAL, "'%s': unknown unit (use s, ms or m)",
                          pc_err_quote(s, q));
    v = strtod(s, NULL) * scale;
    if (!(v >= (double)min_ns && v <= (double)max_ns))
        return pc_err_set(err, PC_EINVAL, "'%s' is out of range (%g to %g seconds)",
                          pc_err_quote(s, q), (double)min_ns / 1e9, (double)max_ns / 1e9);
    *out = (int64_t)v;
    return 0;
}

/* Append a --only/--skip list to what earlier ones gave: repeats add up. */
/*
 * --server as libcurl's URL parser reads it, at parse time: an http(s) URL
 * with a host, a port from 1 to 65535 (curl refuses more), no user name or
 * password (the address is printed in every report, which people forward to
 * support), no query or fragment (the request paths are built from the
 * URL's parts, speedhttp.c) and no space. The message never repeats a URL
 * that may hold a password.
 */
static int check_server_url(const char *arg, struct pc_err *err)
{
    static const CURLUPart refused[] = {CURLUPART_PASSWORD, CURLUPART_USER, CURLUPART_OPTIONS,
                                        CURLUPART_QUERY, CURLUPART_FRAGMENT};
    static const char *const refused_what[] = {
        "a password in the URL is not accepted (reports print the server's address)",
        "a user name in the URL is not accepted (reports print the server's address)",
        "login options in the URL are not accepted", "a query (?...) is not accepted",
        "a fragment (#...) is not accepted"};
    CURLU *u = curl_url();
    CURLUcode uc;
    char *part = NULL;
    int rc = 0;

    if (u == NULL)
        return pc_err_set(err, PC_ENOMEM, "--server: out of memory");
    if (strpbrk(arg, " \t\r\n") != NULL) {
        rc = pc_err_set(err, PC_EINVAL, "--server: the URL has a space in it");
        goto out;
    }
    uc = curl_url_set(u, CURLUPART_URL, arg, 0);
    if (uc != CURLUE_OK) {
        rc = pc_err_set(err, PC_EINVAL, "--server: not a usable URL: %s", curl_url_strerror(uc));
        goto out;
    }
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        if (curl_url_get(u, refused[i], &part, 0) == CURLUE_OK && part != NULL) {
            rc = pc_err_set(err, PC_EINVAL, "--server: %s", refused_what[i]);
            goto out;
        }
        curl_free(part);
        part = NULL;
    }
    if (curl_url_get(u, CURLUPART_HOST, &part, 0) != CURLUE_OK || part == NULL || part[0] == '\0') {
        rc = pc_err_set(err, PC_EINVAL, "--server: the URL has no host name");
        goto out;
    }
    curl_free(part);
    part = NULL;
    if (curl_url_get(u, CURLUPART_PORT, &part, 0) == CURLUE_OK && part != NULL &&
        strtol(part, NULL, 10) < 1)
        rc = pc_err_set(err, PC_EINVAL, "--server: port %s is not a port (1 to 65535)", part);
out:
    curl_free(part);
    curl_url_cleanup(u);
    return rc;
}

/*
 * --cacert before any traffic: a file that cannot be opened (missing, not
 * readable, a directory) is PC_ENOENT; one without a PEM certificate in it
 * (empty, garbage, a key) is PC_EDATA. That the certificate is valid is
 * libcurl's to check.
 */
static int check_cacert(const char *path, struct pc_err *err)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    static const char end[] = "-----END CERTIFICATE-----";
    char q[PC_ERR_QUOTE_BUF], line[256];
    struct stat sb;
    int seen_begin = 0, seen_end = 0;
    FILE *f;

    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return pc_err_set(err, PC_ENOENT, "--cacert: cannot open '%s': it is a directory",
                          pc_err_quote(path, q));
    f = fopen(path, "r");
    if (f == NULL)
        return pc_err_set(err, PC_ENOENT, "--cacert: cannot open '%s': %s", pc_err_quote(path, q),
                          strerror(errno));
    while (!seen_end && fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, begin, sizeof(begin) - 1) == 0)
            seen_begin = 1;
        else if (seen_begin && strncmp(line, end, sizeof(end) - 1) == 0)
            seen_end = 1;
    }
    fclose(f);
    if (!seen_end)
        return pc_err_set(err, PC_EDATA, "--cacert: '%s' holds no PEM certificate",
                          pc_err_quote(path, q));
    return 0;
}

static int add_list(char *list, size_t size, const char *name, const char *arg, struct pc_err *err)
{
    size_t have = strlen(list), add = strlen(arg);

    if (have + (have > 0) + add + 1 > size)
        return pc_err_set(err, PC_EINVAL, "--%s: the probe list is too long", name);
    if (have > 0)
        list[have++] = ',';
    memcpy(list + have, arg, add + 1);
    return 0;
}

/* "PT=HZ": a payload type 0..127 and a clock rate 1..10 MHz, plain decimals. */
static int clock_rate(struct pc_cli *cli, const char *arg, struct pc_err *err)
{
    char q[PC_ERR_QUOTE_BUF];
    const char *eq = strchr(arg, '=');
    size_t n = strspn(arg, "0123456789");
    unsigned long pt, hz;

    if (eq == NULL || n == 0 || arg + n != eq || n > 3 || strspn(eq + 1, "0123456789") == 0 ||
        eq[1 + strspn(eq + 1, "0123456789")] != '\0' || strlen(eq + 1) > 8)
        return pc_err_set(err, PC_EINVAL, "--clock-rate: expected PT=HZ (e.g. 96=90000), not '%s'",
                          pc_err_quote(arg, q));
    pt = strtoul(arg, NULL, 10);
    hz = strtoul(eq + 1, NULL, 10);
    if (pt > 127 || hz < 1 || hz > 10000000)
        return pc_err_set(err, PC_EINVAL,
                          "--clock-rate: '%s' is out of range (payload type 0 to 127, 1 Hz to 10 "
                          "MHz)",
                          pc_err_quote(arg, q));
    cli->clock_hz[pt] = (unsigned)hz;
    return 0;
}

static void defaults(struct pc_cli *cli, unsigned command)
{
    memset(cli, 0, sizeof(*cli));
    cli->command = command;
    cli->profile = PC_PROFILE_DEFAULT;
    cli->require = PC_TIER_SD;
    cli->format = "text";
    cli->color = -1;
    cli->progress = 1;
    cli->cfg.budget_ns = DEFAULT_DURATION_NS;
    cli->watch_every_ns = 5 * 60 * PC_NS_PER_S;
    /* Tests point the host and device probes at a fixture tree. */
    cli->cfg.sysroot = getenv("PRECALL_SYSROOT");
}

/* Build getopt's tables for the options of this command. */
static void build(unsigned command, struct option *longs, char *shorts)
{
    size_t n = 0, k = 0;

    shorts[k++] = ':'; /* report a missing argument as ':' */
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct pc_option *o = &options[i];

        if (!(o->commands & command))
            continue;
        longs[n++] =
            (struct option){o->name, o->arg ? required_argument : no_argument, NULL, o->id};
        if (o->id < 256 && isprint(o->id)) {
            shorts[k++] = (char)o->id;
            if (o->arg)
                shorts[k++] = ':';
        }
    }
    longs[n] = (struct option){0};
    shorts[k] = '\0';
}

/* "--format: expected text, json, ... or openmetrics, not 'x'": the names from the renderer table.
 */
static int format_error(const char *arg, struct pc_err *err)
{
    char names[256] = "", q[PC_ERR_QUOTE_BUF];
    const struct pc_renderer *r;
    size_t n = 0, count = 0;

    while (pc_renderer_get(count) != NULL)
        count++;
    for (size_t i = 0; (r = pc_renderer_get(i)) != NULL && n < sizeof(names); i++)
        n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
                              i == 0           ? ""
                              : i + 1 == count ? " or "
                                               : ", ",
                              r->name);
    return pc_err_set(err, PC_EINVAL, "--format: expected %s, not '%s'", names,
                      pc_err_quote(arg, q));
}

/* One line of f without its line end into buf: 0, or -1 when missing, empty or too long. */
static int secret_line(FILE *f, char *buf, size_t cap)
{
    size_t n;

    if (!fgets(buf, (int)cap, f))
        return -1;
    n = strlen(buf);
    if (n > 0 && buf[n - 1] != '\n' && !feof(f))
        return -1; /* longer than the buffer */
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return n > 0 ? 0 : -1;
}

/*
 * Credentials from a file: its first line into a, its second into b (when
 * b is not NULL). The messages name the file, never what it holds.
 */
static int read_secret_lines(const char *path, const char *opt, char *a, size_t acap, char *b,
                             size_t bcap, struct pc_err *err)
{
    char q[PC_ERR_QUOTE_BUF];
    FILE *f;
    int bad;

    if (path[0] == '\0')
        return pc_err_set(err, PC_EINVAL, "%s: expected a file name", opt);
    f = fopen(path, "r");
    if (!f)
        return pc_err_set(err, PC_ENOENT, "%s: cannot open '%s': %s", opt, pc_err_quote(path, q),
                          strerror(errno));
    bad = secret_line(f, a, acap) < 0 || (b && secret_line(f, b, bcap) < 0);
    fclose(f);
    if (bad) {
        memset(a, 0, acap);
        if (b)
            memset(b, 0, bcap);
        return pc_err_set(err, PC_EDATA,
                          b ? "%s: '%s' must hold the user name on its first line and the "
                              "password on its second (each under 256 bytes)"
                            : "%s: '%s' must hold the secret on its first line (under 256 bytes)",
                          opt, pc_err_quote(path, q));
    }
    return 0;
}

static int set_value(struct pc_cli *cli, int id, const char *arg, struct pc_err *err)
{
    char q[PC_ERR_QUOTE_BUF];
    int64_t ns;
    int rc;

    switch (id) {
    case OPT_PROFILE:
        cli->profile = arg;
        return 0;
    case OPT_REQUIRE:
        cli->require = pc_tier_parse(arg);
        if (cli->require < PC_TIER_AUDIO)
            return pc_err_set(err, PC_EINVAL, "--require: expected hd, sd or audio, not '%s'",
                              pc_err_quote(arg, q));
        return 0;
    case OPT_STUN:
        if (cli->cfg.n_stun >= PC_STUN_SERVERS_MAX)
            return pc_err_set(err, PC_EINVAL, "--stun: at most %d servers", PC_STUN_SERVERS_MAX);
        cli->cfg.stun[cli->cfg.n_stun++] = arg;
        return 0;
    case OPT_SERVER:
        if (strncmp(arg, "https://", 8) != 0 && strncmp(arg, "http://", 7) != 0)
            return pc_err_set(err, PC_EINVAL, "--server: expected an https:// URL, not '%s'",
                              strchr(arg, '@') != NULL ? "(not shown: it may hold a password)"
                                                       : pc_err_quote(arg, q));
        rc = check_server_url(arg, err);
        if (rc < 0)
            return rc;
        cli->cfg.server = arg;
        return 0;
    case OPT_CACERT:
        if (arg[0] == '\0')
            return pc_err_set(err, PC_EINVAL, "--cacert: expected a file name");
        rc = check_cacert(arg, err);
        if (rc < 0)
            return rc;
        cli->cfg.cacert = arg;
        return 0;
    case OPT_TURN:
        if (cli->cfg.n_turn >= PC_TURN_SERVERS_MAX)
            return pc_err_set(err, PC_EINVAL, "--turn: at most %d relays", PC_TURN_SERVERS_MAX);
        rc = pc_turn_uri_parse(arg, &(struct pc_turn_uri){0}, err);
        if (rc < 0)
            return pc_err_prefix(err, "--turn: ");
        cli->cfg.turn[cli->cfg.n_turn++] = arg;
        return 0;
    case OPT_TURN_CREDENTIALS:
        rc = read_secret_lines(arg, "--turn-credentials", cli->turn_user, sizeof(cli->turn_user),
                               cli->turn_password, sizeof(cli->turn_password), err);
        if (rc < 0)
            return rc;
        cli->cfg.turn_user = cli->turn_user;
        cli->cfg.turn_password = cli->turn_password;
        return 0;
    case OPT_TURN_SECRET_FILE:
        rc = read_secret_lines(arg, "--turn-secret-file", cli->turn_secret,
                               sizeof(cli->turn_secret), NULL, 0, err);
        if (rc < 0)
            return rc;
        cli->cfg.turn_secret = cli->turn_secret;
        return 0;
    case OPT_DURATION:
        rc = pc_cli_parse_duration(arg, PC_NS_PER_S, 3600 * PC_NS_PER_S, &ns, err);
        if (rc < 0)
            return pc_err_prefix(err, "--duration: ");
        cli->cfg.budget_ns = ns;
        return 0;
    case OPT_TIMEOUT:
        rc = pc_cli_parse_duration(arg, PC_NS_PER_S, 4000 * PC_NS_PER_S, &ns, err);
        if (rc < 0)
            return pc_err_prefix(err, "--timeout: ");
        cli->cfg.timeout_ns = ns;
        return 0;
    case OPT_ONLY:
        cli->only = cli->only_list;
        return add_list(cli->only_list, sizeof(cli->only_list), "only", arg, err);
    case OPT_SKIP:
        cli->skip = cli->skip_list;
        return add_list(cli->skip_list, sizeof(cli->skip_list), "skip", arg, err);
    case OPT_FORMAT:
        if (pc_renderer_find(arg) == NULL)
            return format_error(arg, err);
        cli->format = arg;
        return 0;
    case OPT_CSV_HEADER:
        cli->csv_header = 1;
        return 0;
    case OPT_PUSH:
        rc = pc_push_check_url(arg, err);
        if (rc < 0)
            return rc;
        cli->push = arg;
        return 0;
    case OPT_PUSH_INSTANCE:
        if (arg[0] == '\0' || strlen(arg) > PC_PUSH_INSTANCE_MAX)
            return pc_err_set(err, PC_EINVAL, "--push-instance: expected 1 to %d bytes",
                              PC_PUSH_INSTANCE_MAX);
        cli->push_instance = arg;
        return 0;
    case OPT_JSON:
        cli->format = "json";
        return 0;
    case OPT_CSV:
        cli->format = "csv";
        return 0;
    case OPT_OUTPUT:
        if (arg[0] == '\0')
            return pc_err_set(err, PC_EINVAL, "--output: the file name is empty");
        cli->output = arg;
        return 0;
    case OPT_IPV4:
    case OPT_IPV6:
        if (cli->cfg.family != 0 && cli->cfg.family != (id == OPT_IPV4 ? 4 : 6))
            return pc_err_set(err, PC_EINVAL, "-4 and -6 exclude each other");
        cli->cfg.family = id == OPT_IPV4 ? 4 : 6;
        return 0;
    case OPT_QUIET:
        if (cli->verbose)
            return pc_err_set(err, PC_EINVAL, "-q and -v exclude each other");
        cli->quiet = 1;
        cli->progress = 0;
        return 0;
    case OPT_VERBOSE:
        if (cli->quiet)
            return pc_err_set(err, PC_EINVAL, "-q and -v exclude each other");
        cli->verbose = 1;
        return 0;
    case OPT_COLOR:
        if (strcmp(arg, "auto") == 0)
            cli->color = -1;
        else if (strcmp(arg, "always") == 0)
            cli->color = 1;
        else if (strcmp(arg, "never") == 0)
            cli->color = 0;
        else
            return pc_err_set(err, PC_EINVAL, "--color: expected auto, always or never, not '%s'",
                              pc_err_quote(arg, q));
        return 0;
    case OPT_NO_PROGRESS:
        cli->progress = 0;
        return 0;
    case OPT_INTERFACE:
        if (arg[0] == '\0')
            return pc_err_set(err, PC_EINVAL, "--interface: the name is empty");
        cli->interface = arg;
        return 0;
    case OPT_WRITE:
        if (arg[0] == '\0')
            return pc_err_set(err, PC_EINVAL, "--write: the file name is empty");
        cli->write = arg;
        return 0;
    case OPT_CLOCK_RATE:
        return clock_rate(cli, arg, err);
    case OPT_REDACT:
        cli->redact = 1;
        return 0;
    case OPT_NO_HISTORY:
        cli->no_history = 1;
        return 0;
    case OPT_EVERY:
        rc = pc_cli_parse_duration(arg, PC_NS_PER_S, 24 * 3600 * PC_NS_PER_S, &ns, err);
        if (rc < 0)
            return pc_err_prefix(err, "--every: ");
        cli->watch_every_ns = ns;
        return 0;
    case OPT_UNTIL:
        return pc_cli_parse_until(arg, (long long)time(NULL), &cli->watch_until, err);
    case OPT_COUNT:
        if (strspn(arg, "0123456789") != strlen(arg) || strlen(arg) == 0 || strlen(arg) > 6 ||
            strtol(arg, NULL, 10) < 1)
            return pc_err_set(err, PC_EINVAL,
                              "--count: expected a number of checks from 1 to "
                              "999999, not '%s'",
                              pc_err_quote(arg, q));
        cli->watch_count = strtol(arg, NULL, 10);
        return 0;
    default:
        return pc_err_set(err, PC_EINTERNAL, "option %d has no handler", id);
    }
}

/*
 * Refuse at once what cannot work: a budget (--duration, or what fits
 * before --timeout) too short for a selected probe to measure anything
 * ends in "No verdict" after a wasted run. Then plan the budget within the
 * deadline, and keep the --duration asked for when it had to be shortened.
 */
static int plan(struct pc_cli *cli, unsigned mask, const char *duration, const char *timeout,
                struct pc_err *err)
{
    char q[PC_ERR_QUOTE_BUF], hint[80] = "";
    size_t n;
    const struct pc_probe *const *probes = pc_probe_registry(&n);
    const char *probe, *what;
    int64_t min = pc_plan_min_budget(probes, n, mask, &probe, &what);
    int64_t asked = cli->cfg.budget_ns, budget;

    if (cli->cfg.timeout_ns == 0)
        cli->cfg.timeout_ns = asked + TIMEOUT_GRACE_NS;
    budget = pc_plan_budget(asked, cli->cfg.timeout_ns);
    if (cli->only == NULL && probe != NULL)
        snprintf(hint, sizeof(hint), ", or leave it out with --skip %s", probe);
    if (asked < min)
        return pc_err_set(err, PC_EINVAL,
                          "--duration %s is too short for %s (%s probe): use --duration %g or "
                          "more%s",
                          pc_err_quote(duration ? duration : "10", q), what, probe,
                          (double)min / 1e9, hint);
    if (budget < min)
        return pc_err_set(err, PC_EINVAL,
                          "--timeout %s leaves too little time for %s (%s probe): use "
                          "--timeout %g or more%s",
                          pc_err_quote(timeout ? timeout : "", q), what, probe,
                          (double)pc_plan_timeout_for(min) / 1e9, hint);
    if (budget < asked && duration != NULL)
        cli->asked_ns = asked;
    cli->cfg.budget_ns = budget;
    return 0;
}

/*
 * The format a report file's name asks for ("report.html": html), or NULL
 * when its extension names none (or names a format this build lacks).
 * --format and --json win over it.
 */
static const char *format_of_path(const char *path)
{
    static const char *const by_extension[][2] = {
        {".html", "html"},     {".htm", "html"}, {".json", "json"},
        {".ndjson", "ndjson"}, {".txt", "text"}, {".csv", "csv"},
    };
    const char *dot = strrchr(path, '.');

    if (dot == NULL)
        return NULL; /* a dot in a folder's name leaves '/' in dot: no extension matches */
    for (size_t i = 0; i < sizeof(by_extension) / sizeof(by_extension[0]); i++)
        if (strcasecmp(dot, by_extension[i][0]) == 0 && pc_renderer_find(by_extension[i][1]))
            return by_extension[i][1];
    return NULL;
}

int pc_cli_parse(int argc, char **argv, unsigned command, struct pc_cli *cli, int *help,
                 int *version, int *first_operand, struct pc_err *err)
{
    const char *duration = NULL, *timeout = NULL, *by_name;
    int format_given = 0;
    struct option longs[N_OPTIONS + 1];
    char shorts[2 * N_OPTIONS + 2];
    char q[PC_ERR_QUOTE_BUF];
    unsigned mask;
    int c, rc;

    defaults(cli, command);
    *help = *version = 0;
    build(command, longs, shorts);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        const char *bad = argv[optind - 1];

        if (c == '?') {
            if (optopt != 0 && optopt < 256)
                return pc_err_set(err, PC_EINVAL, "unknown option '-%c'", optopt);
            return pc_err_set(err, PC_EINVAL, "unknown option '%s'", pc_err_quote(bad, q));
        }
        if (c == ':')
            return pc_err_set(err, PC_EINVAL, "option '%s' needs a value", pc_err_quote(bad, q));
        if (c == OPT_HELP) {
            *help = 1;
            continue;
        }
        if (c == OPT_VERSION) {
            *version = 1;
            continue;
        }
        rc = set_value(cli, c, optarg, err);
        if (rc < 0)
            return rc;
        if (c == OPT_DURATION)
            duration = optarg;
        else if (c == OPT_TIMEOUT)
            timeout = optarg;
        format_given |= c == OPT_FORMAT || c == OPT_JSON || c == OPT_CSV;
    }
    *first_operand = optind;
    if (!format_given && cli->output != NULL && (by_name = format_of_path(cli->output)) != NULL)
        cli->format = by_name;
    /* The selection must leave a probe to run: --skip of every probe is a usage error. */
    if (command & (PC_CMD_CHECK | PC_CMD_WATCH)) {
        size_t n;
        const struct pc_probe *const *probes = pc_probe_registry(&n);

        rc = pc_runner_select(probes, n, cli->only, cli->skip, &mask, err);
        if (rc < 0)
            return rc;
        /*
         * Probes with nothing to do (the relay check without --turn) are left out of the
         * run and of its time plan; the runner says why in the report.
         */
        mask = pc_runner_active(probes, n, mask, &cli->cfg);
        if (mask == 0) /* --only turn without --turn, or the rest skipped */
            return pc_err_set(err, PC_EINVAL, "--only/--skip: nothing left to run");
        /* A relay needs credentials: a file, a shared secret, or the environment. */
        if (cli->cfg.n_turn > 0 && !cli->cfg.turn_secret && !cli->cfg.turn_user) {
            cli->cfg.turn_user = getenv("PRECALL_TURN_USER");
            cli->cfg.turn_password = getenv("PRECALL_TURN_PASSWORD");
            if (!*help && !*version &&
                (!cli->cfg.turn_user || !cli->cfg.turn_password || !cli->cfg.turn_user[0]))
                return pc_err_set(err, PC_EINVAL,
                                  "--turn: no credentials for the relay: set PRECALL_TURN_USER "
                                  "and PRECALL_TURN_PASSWORD, or use --turn-credentials FILE or "
                                  "--turn-secret-file FILE");
        }
        /* --help and --version run nothing: no plan to refuse. */
        rc = *help || *version ? 0 : plan(cli, mask, duration, timeout, err);
        if (rc < 0)
            return rc;
    }
    if (cli->cfg.timeout_ns == 0)
        cli->cfg.timeout_ns = cli->cfg.budget_ns + TIMEOUT_GRACE_NS;
    return 0;
}

void pc_cli_help(FILE *out, unsigned command)
{
    const struct pc_probe *p;

    if (command == PC_CMD_PROFILES)
        fprintf(out, "Usage: precall profiles [OPTIONS]\n"
                     "List the scoring profiles and their thresholds.\n\n");
    else if (command == PC_CMD_ANALYZE)
        fprintf(out, "Usage: precall analyze [OPTIONS] FILE...\n"
                     "Find the RTP streams of a call in packet captures (pcap, pcapng; several "
                     "files are\nparts of one capture) and report loss, jitter, gaps and "
                     "bitrate per stream and\nper second, and TCP retransmissions.\n\n");
    else if (command == PC_CMD_CAPTURE)
        fprintf(out, "Usage: precall capture -i IF [--duration S] [-w FILE] [OPTIONS]\n"
                     "Capture UDP and TCP port 443 on an interface during a call (needs root, "
                     "or\nCAP_NET_RAW and CAP_NET_ADMIN; privileges are dropped once it is "
                     "open), then\nanalyse it as 'precall analyze' does.\n\n");
    else if (command == PC_CMD_SHOW)
        fprintf(out, "Usage: precall show [OPTIONS] FILE.json\n"
                     "Render a saved JSON report (precall --format json, -o FILE.json) again, "
                     "as text,\nJSON or NDJSON, as its client saw it; --redact first replaces "
                     "its addresses\nand names. Exit status: the report's verdict; 65 when "
                     "the file is not a report\n(malformed, or a newer schema), 66 when it "
                     "cannot be read.\n\n");
    else if (command == PC_CMD_SHELL)
        fprintf(out, "Usage: precall completions bash|zsh|fish\n"
                     "Print the shell's completion script for precall, made from this "
                     "program's commands\nand options. 'cmake --install' installs all three.\n\n");
    else if (command == PC_CMD_DEVICES)
        fprintf(out, "Usage: precall devices [OPTIONS]\n"
                     "Cameras, microphones and speakers and their state, and this computer "
                     "(the 'devices' and 'system' probes, about a second).\n\n");
    else if (command == PC_CMD_HISTORY)
        fprintf(out,
                "Usage: precall history [OPTIONS]\n"
                "List the checks this user ran (the history file, the last %d).\n\n",
                PC_HISTORY_MAX_LINES);
    else if (command == PC_CMD_WATCH)
        fprintf(out, "Usage: precall watch [--every S] [--until HH:MM | --count N] [OPTIONS]\n"
                     "Check again and again before a session: one NDJSON line per check on "
                     "stdout, the\nworst and the typical check on stderr at the end. A full "
                     "check (all probes) first\nand at most every 30 minutes; light checks "
                     "(dns, udp, http, system: no speed test)\nbetween them.\n\n");
    else
        fprintf(out, "Usage: precall [check] [OPTIONS]\n"
                     "       precall devices [OPTIONS]\n"
                     "       precall profiles [OPTIONS]\n"
                     "       precall analyze [OPTIONS] FILE...\n"
                     "       precall capture -i IF [--duration S] [-w FILE] [OPTIONS]\n"
                     "       precall show [--redact] [OPTIONS] FILE.json\n"
                     "       precall completions bash|zsh|fish\n"
                     "       precall history [OPTIONS]\n"
                     "       precall watch [--every S] [--until HH:MM | --count N] [OPTIONS]\n"
                     "Check whether this computer and its connection are ready for a video "
                     "therapy session.\n\n");
    fprintf(out, "Options:\n");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct pc_option *o = &options[i];
        char left[64];

        if (!(o->commands & command))
            continue;
        if (o->id < 256)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", o->id, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(out, "  %-30s %s\n", left, o->help);
    }
    if (command & (PC_CMD_CHECK | PC_CMD_WATCH)) {
        fprintf(out, "\nProbes (for --only and --skip):\n");
        for (size_t i = 0; (p = pc_probe_get(i)) != NULL; i++)
            fprintf(out, "  %-10s %s\n", p->name, p->summary);
    }
    if (command & (PC_CMD_REPORTS | PC_CMD_WATCH)) {
        fprintf(out, "\nExit status:\n");
        for (size_t i = 0; i < sizeof(exits) / sizeof(exits[0]); i++)
            fprintf(out, "  %-4d %s\n", exits[i].code, exits[i].meaning);
    }
}

int pc_cli_parse_until(const char *s, long long now, long long *out, struct pc_err *err)
{
    char q[PC_ERR_QUOTE_BUF];
    time_t t = (time_t)now;
    struct tm tm;
    int hh, mm;

    if (strlen(s) != 5 || s[2] != ':' || strspn(s, "0123456789") != 2 ||
        strspn(s + 3, "0123456789") != 2)
        return pc_err_set(err, PC_EINVAL, "--until: expected HH:MM (24-hour clock), not '%s'",
                          pc_err_quote(s, q));
    hh = (s[0] - '0') * 10 + (s[1] - '0');
    mm = (s[3] - '0') * 10 + (s[4] - '0');
    if (hh > 23 || mm > 59)
        return pc_err_set(err, PC_EINVAL, "--until: '%s' is not a time of day (00:00 to 23:59)",
                          pc_err_quote(s, q));
    localtime_r(&t, &tm);
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    t = mktime(&tm);
    if (t <= (time_t)now) { /* passed today: tomorrow */
        localtime_r(&t, &tm);
        tm.tm_mday += 1;
        tm.tm_hour = hh;
        tm.tm_min = mm;
        tm.tm_isdst = -1;
        t = mktime(&tm);
    }
    *out = (long long)t;
    return 0;
}

int pc_cli_exit_for(int errkind)
{
    switch (errkind) {
    case PC_EINVAL:
        return PC_EXIT_USAGE;
    case PC_EDATA:
        return PC_EXIT_DATA;
    case PC_ENOENT:
        return PC_EXIT_NOINPUT;
    case PC_EINTR:
        return PC_EXIT_INTERRUPTED;
    case PC_EPERM:
        return PC_EXIT_NOPERM;
    default:
        return PC_EXIT_INTERNAL;
    }
}
