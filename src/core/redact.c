/*
 * redact.c - stable pseudonyms for addresses, host names and Wi-Fi names
 * (see precall/redact.h).
 *
 * An address is found in any text by its form: four decimal octets
 * (IPv4), or a run of hex digits, colons and dots with two colons or more
 * that inet_pton(AF_INET6) accepts (IPv6, also when written "[addr]:port"
 * or unbracketed with a port). It is keyed by its binary form, so
 * "2001:2::1" and "2001:0002:0::1" are one address. Host names are those
 * the report names as hosts (targets, subjects, URLs); they are replaced
 * wherever they appear, with the text around them kept.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "precall/buf.h"
#include "precall/err.h"
#include "precall/redact.h"

enum kind { IPV4, IPV6, HOST, WIFI, KINDS };

static const char *const kind_name[KINDS] = {"ipv4", "ipv6", "host", "wifi"};

struct entry {
    enum kind kind;
    unsigned char key[16]; /* an address's bytes */
    char *name;            /* a host or Wi-Fi name, owned */
    char pseudonym[24];
};

struct pc_redact {
    struct entry *e;
    size_t n, cap;
    unsigned count[KINDS];
};

struct pc_redact *pc_redact_new(void)
{
    return calloc(1, sizeof(struct pc_redact));
}

void pc_redact_free(struct pc_redact *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->e[i].name);
    free(m->e);
    free(m);
}

/* The entry of (kind, key or name), created with the next number of its kind. NULL: no memory. */
static struct entry *lookup(struct pc_redact *m, enum kind k, const unsigned char *key,
                            const char *name)
{
    struct entry *e;

    for (size_t i = 0; i < m->n; i++) {
        e = &m->e[i];
        if (e->kind != k)
            continue;
        if (name != NULL ? strcasecmp(e->name, name) == 0 : memcmp(e->key, key, 16) == 0)
            return e;
    }
    if (pc_grow((void **)&m->e, &m->cap, m->n + 1, sizeof(*m->e)) < 0)
        return NULL;
    e = &m->e[m->n];
    memset(e, 0, sizeof(*e));
    e->kind = k;
    if (key != NULL)
        memcpy(e->key, key, 16);
    if (name != NULL && (e->name = strdup(name)) == NULL)
        return NULL;
    m->n++;
    snprintf(e->pseudonym, sizeof(e->pseudonym), "%s-%u", kind_name[k], ++m->count[k]);
    return e;
}

int pc_redact_name(struct pc_redact *m, const char *name)
{
    unsigned char bin[16];

    if (name == NULL || strlen(name) < 2 || inet_pton(AF_INET, name, bin) == 1 ||
        inet_pton(AF_INET6, name, bin) == 1)
        return 0;
    for (const char *c = name; *c; c++) /* a host name: letters, digits, '-', '.', '_' */
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.' && *c != '_')
            return 0;
    return lookup(m, HOST, NULL, name) != NULL ? 0 : PC_ENOMEM;
}

static int word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* An IPv4 address at s (four octets, nothing of a longer number around); its length or 0. */
static size_t ipv4_at(const char *s, unsigned char key[16])
{
    size_t n = 0;
    unsigned char b[4];

    for (int o = 0; o < 4; o++) {
        unsigned v = 0;
        size_t digits = 0;

        if (o > 0 && s[n++] != '.')
            return 0;
        while (isdigit((unsigned char)s[n]) && digits < 4) {
            v = v * 10 + (unsigned)(s[n++] - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || v > 255)
            return 0;
        b[o] = (unsigned char)v;
    }
    if (isdigit((unsigned char)s[n]) || (s[n] == '.' && isdigit((unsigned char)s[n + 1])) ||
        word_char(s[n]))
        return 0;
    memset(key, 0, 16);
    memcpy(key, b, 4);
    return n;
}

/*
 * An IPv6 address at s: the longest run of hex digits, ':' and '.' with
 * two colons or more that inet_pton reads, or that run less a trailing
 * ":port" (an address written without brackets before its port).
 */
static size_t ipv6_at(const char *s, unsigned char key[16])
{
    char buf[64];
    size_t n = strspn(s, "0123456789abcdefABCDEF:."), colons = 0;

    if (n < 2 || n >= sizeof(buf) || word_char(s[n]))
        return 0;
    for (size_t i = 0; i < n; i++)
        colons += s[i] == ':';
    if (colons < 2 || strspn(s, ":.") == n) /* "::" alone is punctuation, not an address */
        return 0;
    while (n > 0 && s[n - 1] == '.') /* a sentence's full stop */
        n--;
    for (int tries = 0; tries < 2 && n >= 2; tries++) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        if (inet_pton(AF_INET6, buf, key) == 1)
            return n;
        while (n > 0 && s[n - 1] != ':') /* without a trailing ":port" */
            n--;
        if (n > 0)
            n--;
    }
    return 0;
}

/* A known name at s (whole: no name character around it); its entry or NULL. */
static const struct entry *name_at(const struct pc_redact *m, const char *s, size_t *len)
{
    const struct entry *best = NULL;

    for (size_t i = 0; i < m->n; i++) {
        const struct entry *e = &m->e[i];
        size_t n;

        if (e->name == NULL)
            continue;
        n = strlen(e->name);
        if (strncasecmp(s, e->name, n) != 0 || word_char(s[n]) || s[n] == '-' ||
            (s[n] == '.' && word_char(s[n + 1])))
            continue;
        if (best == NULL || n > *len) { /* "a.example.net" before "example.net" */
            best = e;
            *len = n;
        }
    }
    return best;
}

/* Host names in URLs ("https://speed.example.net:8443/") are names to learn. */
static int learn_urls(struct pc_redact *m, const char *s)
{
    for (const char *p = strstr(s, "://"); p != NULL; p = strstr(p + 3, "://")) {
        char host[256];
        size_t n = strcspn(p + 3, ":/[]? ,;");

        if (n == 0 || n >= sizeof(host))
            continue;
        memcpy(host, p + 3, n);
        host[n] = '\0';
        if (pc_redact_name(m, host) < 0)
            return PC_ENOMEM;
    }
    return 0;
}

/* s redacted into b. */
static int scrub(struct pc_redact *m, const char *s, struct pc_buf *b)
{
    unsigned char key[16];

    if (learn_urls(m, s) < 0)
        return PC_ENOMEM;
    for (size_t i = 0; s[i] != '\0';) {
        int boundary = i == 0 || (!word_char(s[i - 1]) && s[i - 1] != '.' && s[i - 1] != ':' &&
                                  s[i - 1] != '-');
        const struct entry *e = NULL;
        size_t n = 0;

        if (boundary && (n = ipv6_at(s + i, key)) > 0)
            e = lookup(m, IPV6, key, NULL);
        else if (boundary && (n = ipv4_at(s + i, key)) > 0)
            e = lookup(m, IPV4, key, NULL);
        else if (boundary && (e = name_at(m, s + i, &n)) == NULL)
            n = 0;
        if (n > 0 && e == NULL)
            return PC_ENOMEM;
        if (n > 0) {
            pc_buf_puts(b, e->pseudonym);
            i += n;
        } else {
            char c[2] = {s[i], '\0'};

            pc_buf_puts(b, c);
            i++;
        }
    }
    return b->failed ? PC_ENOMEM : 0;
}

int pc_redact_text(struct pc_redact *m, const char *in, char *out, size_t cap)
{
    struct pc_buf b = {0};
    int rc = scrub(m, in, &b);

    if (rc == 0)
        pc_strfmt(out, cap, "%s", b.data != NULL ? b.data : "");
    pc_buf_free(&b);
    return rc;
}

/* A text the report owns on the heap, replaced by its redacted copy. */
static int redact_owned(struct pc_redact *m, char **s)
{
    struct pc_buf b = {0};
    char *copy;

    if (*s == NULL)
        return 0;
    if (scrub(m, *s, &b) < 0 || (copy = strdup(b.data != NULL ? b.data : "")) == NULL) {
        pc_buf_free(&b);
        return PC_ENOMEM;
    }
    pc_buf_free(&b);
    free(*s);
    *s = copy;
    return 0;
}

#define FIELD(m, f) pc_redact_text((m), (f), (f), sizeof(f))

/* A text figure that is a name as a whole (an SSID, a host name): its pseudonym. */
static int whole_name(struct pc_redact *m, const struct pc_metric_def *d, struct pc_value *v)
{
    enum kind k = strstr(d->key, "ssid") != NULL ? WIFI : HOST;
    const struct entry *e;
    char *copy;

    if (v->text == NULL || v->text[0] == '\0')
        return 0;
    e = lookup(m, k, NULL, v->text);
    if (e == NULL || (copy = strdup(e->pseudonym)) == NULL)
        return PC_ENOMEM;
    free(v->text);
    v->text = copy;
    return 0;
}

static int is_name_metric(const struct pc_metric_def *d)
{
    return d->kind == PC_KIND_TEXT &&
           (strstr(d->key, "ssid") != NULL || strstr(d->key, "hostname") != NULL ||
            strstr(d->key, "host_name") != NULL);
}

/* Names first, so that a name is replaced also in texts that come before its own field. */
static int learn(struct pc_redact *m, const struct pc_report *r)
{
    for (size_t i = 0; i < r->n_probes; i++) {
        const struct pc_probe_result *p = &r->probes[i];

        for (size_t t = 0; t < p->n_targets; t++)
            if (pc_redact_name(m, p->targets[t].host) < 0)
                return PC_ENOMEM;
        /* "nosuch.example", "host port 3478": its first word when it is a name */
        if (p->subject[0] != '\0') {
            char first[256];

            snprintf(first, sizeof(first), "%.*s", (int)strcspn(p->subject, " :"), p->subject);
            if (strchr(first, '.') != NULL && pc_redact_name(m, first) < 0)
                return PC_ENOMEM;
        }
    }
    for (size_t s = 0; s < r->n_scopes; s++)
        for (int k = 0; k < PC_M__COUNT; k++) {
            const struct pc_metric_def *d = pc_metric_def(k);
            const struct pc_value *v = &r->scopes[s]->values[k];

            if (is_name_metric(d) && v->set && v->text != NULL && v->text[0] != '\0' &&
                lookup(m, strstr(d->key, "ssid") != NULL ? WIFI : HOST, NULL, v->text) == NULL)
                return PC_ENOMEM;
        }
    return learn_urls(m, r->servers);
}

int pc_redact_report(struct pc_redact *m, struct pc_report *r)
{
    int rc = learn(m, r);

    for (size_t s = 0; s < r->n_scopes && rc == 0; s++) {
        struct pc_scope *sc = r->scopes[s];

        rc = redact_owned(m, &sc->id);
        if (rc == 0)
            rc = redact_owned(m, &sc->label);
        for (int k = 0; k < PC_M__COUNT && rc == 0; k++) {
            const struct pc_metric_def *d = pc_metric_def(k);

            if (d->kind != PC_KIND_TEXT || !sc->values[k].set)
                continue;
            rc = is_name_metric(d) ? whole_name(m, d, &sc->values[k])
                                   : redact_owned(m, &sc->values[k].text);
        }
    }
    for (size_t i = 0; i < r->n_probes && rc == 0; i++) {
        struct pc_probe_result *p = &r->probes[i];

        rc = FIELD(m, p->reason) || FIELD(m, p->subject) || FIELD(m, p->method) ? PC_ENOMEM : 0;
        for (size_t t = 0; t < p->n_targets && rc == 0; t++) {
            struct pc_target *tg = &p->targets[t];

            rc =
                FIELD(m, tg->host) || FIELD(m, tg->address) || FIELD(m, tg->detail) ? PC_ENOMEM : 0;
        }
    }
    for (size_t i = 0; i < r->n_advice && rc == 0; i++)
        rc = FIELD(m, r->advice[i].text) || FIELD(m, r->advice[i].cause) ? PC_ENOMEM : 0;
    for (size_t i = 0; i < r->n_risks && rc == 0; i++)
        rc = FIELD(m, r->risks[i].text);
    if (rc == 0)
        rc = FIELD(m, r->headline) || FIELD(m, r->servers) ? PC_ENOMEM : 0;
    return rc;
}
