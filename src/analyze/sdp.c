/*
 * sdp.c - SIP messages and their SDP bodies (see sdp.h).
 *
 * RFC 3261 7 (message form), 7.3.3 (compact header names: c for
 * Content-Type), 20.15; RFC 4566 5 (SDP lines "x=value"), 5.7 (c=), 5.14
 * (m=), 6 (a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]);
 * RFC 3551 6 (static payload types). Lines end in CRLF or LF. Every read
 * is bounded by the end of the line, which is bounded by the buffer.
 */
#include <string.h>

#include "analyze/sdp.h"
#include "precall/err.h"
#include "precall/rtp.h"

struct line {
    const char *p;
    size_t n;
};

/* The next line of b[*off..n): without its CR LF; 0 at the end. */
static int next_line(const char *b, size_t n, size_t *off, struct line *l)
{
    size_t i = *off;

    if (i >= n)
        return 0;
    l->p = b + i;
    while (i < n && b[i] != '\n')
        i++;
    l->n = (size_t)(b + i - l->p);
    if (l->n > 0 && l->p[l->n - 1] == '\r')
        l->n--;
    *off = i < n ? i + 1 : n;
    return 1;
}

static int starts(const struct line *l, const char *s)
{
    size_t k = strlen(s);

    return l->n >= k && memcmp(l->p, s, k) == 0;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Case-insensitive: does l contain s? */
static int contains_ci(const char *p, size_t n, const char *s)
{
    size_t k = strlen(s);

    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;

        while (j < k && lower((unsigned char)p[i + j]) == s[j])
            j++;
        if (j == k)
            return 1;
    }
    return 0;
}

/* A decimal number of at most max at *i (advanced); -1 when none. */
static long number(const char *p, size_t n, size_t *i, long max)
{
    long v = 0;
    size_t start = *i;

    while (*i < n && p[*i] >= '0' && p[*i] <= '9') {
        v = v * 10 + (p[*i] - '0');
        if (v > max)
            return -1;
        (*i)++;
    }
    return *i > start ? v : -1;
}

static void skip_spaces(const char *p, size_t n, size_t *i)
{
    while (*i < n && p[*i] == ' ')
        (*i)++;
}

/* An IPv4 dotted quad (RFC 4566 5.7 IP4). */
static int ipv4(const char *p, size_t n, uint8_t out[16])
{
    size_t i = 0;

    memset(out, 0, 16);
    for (int k = 0; k < 4; k++) {
        long v = number(p, n, &i, 255);

        if (v < 0 || (k < 3 && (i >= n || p[i++] != '.')))
            return -1;
        out[k] = (uint8_t)v;
    }
    return i == n ? 0 : -1;
}

static int hexval(int c)
{
    c = lower(c);
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* An IPv6 address in text (RFC 4291 2.2, forms 1 and 2; not the embedded IPv4 form). */
static int ipv6(const char *p, size_t n, uint8_t out[16])
{
    uint16_t g[8] = {0};
    int ng = 0, gap = -1;
    size_t i = 0;

    memset(out, 0, 16);
    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        gap = 0;
        i = 2;
    }
    while (i < n && ng < 8) {
        unsigned v = 0;
        int d = 0;

        while (i < n && d < 4 && hexval((unsigned char)p[i]) >= 0)
            v = v * 16 + (unsigned)hexval((unsigned char)p[i++]), d++;
        if (d == 0)
            return -1;
        g[ng++] = (uint16_t)v;
        if (i == n)
            break;
        if (p[i] != ':')
            return -1;
        i++;
        if (i < n && p[i] == ':') {
            if (gap >= 0)
                return -1;
            gap = ng;
            i++;
        }
    }
    if (i != n || (gap < 0 && ng != 8) || (gap >= 0 && ng > 7))
        return -1;
    for (int k = 0, o = 0; k < ng; k++) {
        if (k == gap)
            o += 8 - ng;
        out[2 * (k + o)] = (uint8_t)(g[k] >> 8);
        out[2 * (k + o) + 1] = (uint8_t)g[k];
    }
    return 0;
}

/* c=IN IP4 192.0.2.7 or c=IN IP6 2001:db8::7 (a TTL or count after '/' is ignored). */
static int connection(const struct line *l, int *family, uint8_t addr[16])
{
    const char *p = l->p + 2;
    size_t n = l->n - 2, e;

    if (n < 8 || memcmp(p, "IN IP", 5) != 0 || (p[5] != '4' && p[5] != '6') || p[6] != ' ')
        return -1;
    for (e = 7; e < n && p[e] != '/' && p[e] != ' '; e++)
        ;
    if (p[5] == '4' ? ipv4(p + 7, e - 7, addr) < 0 : ipv6(p + 7, e - 7, addr) < 0)
        return -1;
    *family = p[5] == '4' ? 4 : 6;
    return 0;
}

static struct pc_sdp_pt *find_pt(struct pc_sdp_media *m, long pt)
{
    for (int i = 0; i < m->n_pt; i++)
        if (m->pt[i].pt == pt)
            return &m->pt[i];
    return NULL;
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
static int media_line(const struct line *l, struct pc_sdp_media *m)
{
    const char *p = l->p + 2;
    size_t n = l->n - 2, i = 0, k;
    long port;

    memset(m, 0, sizeof(*m));
    while (i < n && p[i] != ' ')
        i++;
    if (i == 0 || i >= sizeof(m->kind))
        return -1;
    memcpy(m->kind, p, i);
    skip_spaces(p, n, &i);
    if ((port = number(p, n, &i, 65535)) < 0)
        return -1;
    m->port = (uint16_t)port;
    if (i < n && p[i] == '/') { /* a number of ports: the first is the one used here */
        i++;
        if (number(p, n, &i, 65535) < 0)
            return -1;
    }
    skip_spaces(p, n, &i);
    for (k = i; i < n && p[i] != ' '; i++) /* the transport: RTP/AVP, RTP/SAVPF, udptl ... */
        ;
    if (i == k)
        return -1;
    while (i < n) {
        long pt;

        skip_spaces(p, n, &i);
        if (i >= n)
            break;
        pt = number(p, n, &i, 127);
        if (pt < 0 || (i < n && p[i] != ' ')) { /* not an RTP payload type: skip the word */
            while (i < n && p[i] != ' ')
                i++;
            continue;
        }
        if (m->n_pt < PC_SDP_PT_MAX && find_pt(m, pt) == NULL) {
            struct pc_sdp_pt *t = &m->pt[m->n_pt++];

            t->pt = (uint8_t)pt;
            t->rate = pc_rtp_static_clock((unsigned)pt); /* RFC 3551 6, until rtpmap says */
        }
    }
    return 0;
}

/* a=rtpmap:<pt> <name>/<rate>[/<channels>], for a payload type of the m= line. */
static void rtpmap(const struct line *l, struct pc_sdp_media *m)
{
    const char *p = l->p + 9;
    size_t n = l->n - 9, i = 0, s;
    struct pc_sdp_pt *t;
    long pt, rate;

    if ((pt = number(p, n, &i, 127)) < 0 || (t = find_pt(m, pt)) == NULL)
        return;
    skip_spaces(p, n, &i);
    for (s = i; i < n && p[i] != '/' && p[i] != ' '; i++)
        ;
    if (i == s || i >= n || p[i] != '/')
        return;
    memset(t->name, 0, sizeof(t->name));
    for (size_t k = 0; k < i - s && k + 1 < sizeof(t->name); k++)
        t->name[k] = (char)lower((unsigned char)p[s + k]);
    i++;
    if ((rate = number(p, n, &i, 10000000)) > 0)
        t->rate = (unsigned)rate;
}

int pc_sdp_parse(const uint8_t *p, size_t n, struct pc_sdp *out)
{
    const char *b = (const char *)p;
    struct line l;
    size_t off = 0;
    int s_family = 0, have_media_c = 0;
    uint8_t s_addr[16] = {0};
    struct pc_sdp_media *m = NULL;

    memset(out, 0, sizeof(*out));
    while (next_line(b, n, &off, &l)) {
        if (l.n < 2 || l.p[1] != '=')
            continue;
        if (starts(&l, "m=")) {
            if (m != NULL && !have_media_c && s_family != 0) {
                m->family = s_family;
                memcpy(m->addr, s_addr, 16);
            }
            m = NULL;
            have_media_c = 0;
            if (out->n_media < PC_SDP_MEDIA_MAX && media_line(&l, &out->media[out->n_media]) == 0)
                m = &out->media[out->n_media++];
        } else if (starts(&l, "c=")) {
            if (m == NULL && out->n_media == 0)
                connection(&l, &s_family, s_addr);
            else if (m != NULL && connection(&l, &m->family, m->addr) == 0)
                have_media_c = 1;
        } else if (m != NULL && starts(&l, "a=rtpmap:")) {
            rtpmap(&l, m);
        }
    }
    if (m != NULL && !have_media_c && s_family != 0) {
        m->family = s_family;
        memcpy(m->addr, s_addr, 16);
    }
    return out->n_media > 0 ? 0 : PC_EDATA;
}

int pc_sip_sdp_parse(const uint8_t *p, size_t n, struct pc_sdp *out)
{
    const char *b = (const char *)p;
    struct line l;
    size_t off = 0;
    int sdp = 0;

    memset(out, 0, sizeof(*out));
    /* 7.1, 7.2: "INVITE sip:... SIP/2.0" or "SIP/2.0 200 OK" */
    if (!next_line(b, n, &off, &l) ||
        !(starts(&l, "SIP/2.0 ") || (l.n > 8 && memcmp(l.p + l.n - 8, " SIP/2.0", 8) == 0)))
        return PC_EDATA;
    while (next_line(b, n, &off, &l) && l.n > 0) {
        if ((l.n >= 13 && contains_ci(l.p, 13, "content-type:")) ||
            (l.n >= 2 && (l.p[0] == 'c' || l.p[0] == 'C') && (l.p[1] == ':' || l.p[1] == ' ')))
            sdp = contains_ci(l.p, l.n, "application/sdp");
    }
    if (!sdp || off >= n)
        return PC_EDATA;
    return pc_sdp_parse(p + off, n - off, out);
}
