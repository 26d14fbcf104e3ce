/*
 * traffic_proc.c - /proc/net socket tables and socket owners (see traffic.h).
 *
 * A line of /proc/net/tcp (udp, tcp6, udp6 alike) reads
 *   "  0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 2345 ..."
 * that is: slot, local address:port, remote address:port, state, queues,
 * timer, retransmits, uid, timeout, inode. The kernel prints each 32-bit
 * word of an address as the hexadecimal of its value in host byte order
 * (net/ipv4/tcp_ipv4.c get_tcp4_sock, net/ipv6/tcp_ipv6.c get_tcp6_sock),
 * the ports in host order. Linux-specific in what it reads, plain C in how.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "precall/buf.h"
#include "probe/traffic.h"

#define FIELD_MAX   12 /* we need fields 0 to 9 */
#define TABLE_MAX   (4u << 20)
#define LINE_FIELDS 10

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* n hex digits of s into *out; 0, or -1 when one is not a hex digit. */
static int hex_u32(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;

    for (size_t i = 0; i < n; i++) {
        int h = hexval(s[i]);

        if (h < 0)
            return -1;
        v = v << 4 | (uint32_t)h;
    }
    *out = v;
    return 0;
}

/* "ADDR:PORT" of the family (8 or 32 hex digits, a colon, 4 hex digits). */
static int parse_endpoint(const char *s, size_t n, int family, uint8_t *addr, uint16_t *port)
{
    size_t words = family == 6 ? 4 : 1;
    uint32_t w, p;

    if (n != words * 8 + 5 || s[words * 8] != ':')
        return -1;
    memset(addr, 0, 16);
    for (size_t i = 0; i < words; i++) {
        if (hex_u32(s + i * 8, 8, &w) < 0)
            return -1;
        memcpy(addr + i * 4, &w, 4); /* the word's value in host order is its bytes */
    }
    if (hex_u32(s + words * 8 + 1, 4, &p) < 0)
        return -1;
    *port = (uint16_t)p;
    return 0;
}

static int parse_inode(const char *s, size_t n, unsigned long *out)
{
    unsigned long v = 0;

    if (n == 0 || n > 19)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    *out = v;
    return 0;
}

/* One line (without its newline): 0 and *sk filled, or -1 (the heading, or not a socket). */
static int parse_line(const char *s, size_t n, int family, struct pc_sock *sk)
{
    const char *f[FIELD_MAX];
    size_t fl[FIELD_MAX], nf = 0, i = 0;

    while (i < n && nf < FIELD_MAX) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= n)
            break;
        f[nf] = s + i;
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
        fl[nf] = (size_t)(s + i - f[nf]);
        nf++;
    }
    if (nf < LINE_FIELDS || fl[0] < 2 || f[0][fl[0] - 1] != ':')
        return -1;
    if (parse_endpoint(f[1], fl[1], family, sk->local, &sk->local_port) < 0 ||
        parse_endpoint(f[2], fl[2], family, sk->remote, &sk->remote_port) < 0 ||
        parse_inode(f[9], fl[9], &sk->inode) < 0)
        return -1;
    sk->family = family;
    return 0;
}

int pc_socktab_parse(struct pc_socktab *t, const char *text, size_t len, int proto, int family)
{
    size_t at = 0;
    int taken = 0;

    while (at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl != NULL ? (size_t)(nl - (text + at)) : len - at;
        struct pc_sock sk;

        if (parse_line(text + at, n, family, &sk) == 0) {
            sk.proto = proto;
            if (t->n == t->cap && pc_grow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v)) < 0)
                return PC_ENOMEM;
            t->v[t->n++] = sk;
            taken++;
        }
        at += n + 1;
    }
    return taken;
}

/* The whole of a small file, NUL-terminated; NULL when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "r");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (fp == NULL)
        return NULL;
    for (;;) {
        if (cap - n < 4096 &&
            (n + 4096 > TABLE_MAX || pc_grow((void **)&buf, &cap, n + 4096 + 1, 1) < 0))
            break;
        size_t got = fread(buf + n, 1, cap - n - 1, fp);

        n += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    if (buf != NULL)
        buf[n] = '\0';
    *len = n;
    return buf;
}

int pc_socktab_read(struct pc_socktab *t, const char *sysroot)
{
    static const struct {
        const char *file;
        int proto, family;
    } tabs[] = {{"tcp", 6, 4}, {"tcp6", 6, 6}, {"udp", 17, 4}, {"udp6", 17, 6}};
    const char *root = sysroot != NULL ? sysroot : "";

    for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
        char path[512];
        size_t len = 0;
        char *text;

        snprintf(path, sizeof(path), "%s/proc/net/%s", root, tabs[i].file);
        text = slurp(path, &len);
        if (text == NULL)
            continue;
        if (pc_socktab_parse(t, text, len, tabs[i].proto, tabs[i].family) < 0) {
            free(text);
            return PC_ENOMEM;
        }
        free(text);
    }
    return 0;
}

void pc_socktab_free(struct pc_socktab *t)
{
    if (t == NULL)
        return;
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

static int is_zero(const uint8_t *a)
{
    static const uint8_t zero[16];

    return memcmp(a, zero, 16) == 0;
}

/*
 * Is the socket's address a (of the flow's family)? An IPv4 flow may be held
 * by an IPv6 socket, whose table line then gives the address v4-mapped,
 * ::ffff:a.b.c.d (RFC 4291 section 2.5.5.2).
 */
static int same_addr(const struct pc_sock *s, const uint8_t *sa, int family, const uint8_t *a)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

    if (s->family == family)
        return memcmp(sa, a, family == 6 ? 16 : 4) == 0;
    return family == 4 && s->family == 6 && memcmp(sa, mapped, 12) == 0 &&
           memcmp(sa + 12, a, 4) == 0;
}

const struct pc_sock *pc_socktab_match(const struct pc_socktab *t, int proto, int family,
                                       const uint8_t *local, uint16_t local_port,
                                       const uint8_t *remote, uint16_t remote_port)
{
    const struct pc_sock *bound = NULL;

    for (size_t i = 0; i < t->n; i++) {
        const struct pc_sock *s = &t->v[i];

        if (s->proto != proto || s->local_port != local_port)
            continue;
        if (s->remote_port == remote_port && same_addr(s, s->remote, family, remote) &&
            (same_addr(s, s->local, family, local) || is_zero(s->local)))
            return s;
        if (bound == NULL && s->remote_port == 0 && is_zero(s->remote) &&
            (is_zero(s->local) || same_addr(s, s->local, family, local)))
            bound = s;
    }
    return bound;
}

/* Does /proc/PID/fd hold socket:[inode]? */
static int pid_holds(const char *root, const char *pid, unsigned long inode)
{
    char path[512], want[64];
    DIR *d;
    const struct dirent *e;
    int found = 0;

    snprintf(path, sizeof(path), "%s/proc/%s/fd", root, pid);
    snprintf(want, sizeof(want), "socket:[%lu]", inode);
    d = opendir(path);
    if (d == NULL)
        return 0;
    while (!found && (e = readdir(d)) != NULL) {
        char target[128];
        ssize_t n;

        if (e->d_name[0] == '.')
            continue;
        n = readlinkat(dirfd(d), e->d_name, target, sizeof(target) - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        found = strcmp(target, want) == 0;
    }
    closedir(d);
    return found;
}

static int all_digits(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

int pc_sock_owner(const char *sysroot, unsigned long inode, int *pid, char *name, size_t cap)
{
    const char *root = sysroot != NULL ? sysroot : "";
    char path[512];
    DIR *d;
    const struct dirent *e;
    int found = 0;

    snprintf(path, sizeof(path), "%s/proc", root);
    d = opendir(path);
    if (d == NULL)
        return 0;
    while (!found && (e = readdir(d)) != NULL) {
        if (!all_digits(e->d_name) || !pid_holds(root, e->d_name, inode))
            continue;
        found = 1;
        *pid = atoi(e->d_name); /* digits only, from the kernel's own listing */
        snprintf(path, sizeof(path), "%s/proc/%s/comm", root, e->d_name);
        {
            FILE *fp = fopen(path, "r");

            name[0] = '\0';
            if (fp != NULL) {
                if (fgets(name, (int)cap, fp) == NULL)
                    name[0] = '\0';
                fclose(fp);
            }
            name[strcspn(name, "\n")] = '\0';
        }
    }
    closedir(d);
    return found;
}

size_t pc_sock_own_inodes(const char *sysroot, unsigned long *out, size_t cap)
{
    const char *root = sysroot != NULL ? sysroot : "";
    char path[512];
    DIR *d;
    const struct dirent *e;
    size_t n = 0;

    snprintf(path, sizeof(path), "%s/proc/self/fd", root);
    d = opendir(path);
    if (d == NULL)
        return 0;
    while (n < cap && (e = readdir(d)) != NULL) {
        char target[128];
        ssize_t len;

        if (e->d_name[0] == '.')
            continue;
        len = readlinkat(dirfd(d), e->d_name, target, sizeof(target) - 1);
        if (len <= 0)
            continue;
        target[len] = '\0';
        if (strncmp(target, "socket:[", 8) == 0)
            out[n++] = strtoul(target + 8, NULL, 10);
    }
    closedir(d);
    return n;
}

size_t pc_traffic_own_ports(const struct pc_socktab *t, const unsigned long *inodes, size_t n,
                            struct pc_own_port *own, size_t *n_own, size_t cap)
{
    size_t added = 0;

    for (size_t i = 0; i < t->n; i++) {
        const struct pc_sock *s = &t->v[i];
        size_t k;

        for (k = 0; k < n && inodes[k] != s->inode; k++)
            ;
        if (k == n || s->local_port == 0 || pc_traffic_is_own(s->proto, s->local_port, own, *n_own))
            continue;
        if (*n_own >= cap)
            break;
        own[*n_own].proto = s->proto;
        own[*n_own].port = s->local_port;
        (*n_own)++;
        added++;
    }
    return added;
}

int pc_traffic_is_own(int proto, uint16_t local_port, const struct pc_own_port *own, size_t n_own)
{
    for (size_t i = 0; i < n_own; i++)
        if (own[i].proto == proto && own[i].port == local_port)
            return 1;
    return 0;
}

void pc_traffic_filter(const struct pc_own_port *own, size_t n_own, char *buf, size_t cap)
{
    static const char all[] = "(ip or ip6)";
    size_t at = sizeof(all) - 1;
    int cut = 0;

    if (cap < sizeof(all)) {
        if (cap > 0)
            buf[0] = '\0';
        return;
    }
    memcpy(buf, all, sizeof(all));
    for (size_t i = 0; i < n_own && !cut; i++) {
        int n = snprintf(buf + at, cap - at, "%s%s port %u", i == 0 ? " and not (" : " or ",
                         own[i].proto == 6 ? "tcp" : "udp", own[i].port);

        if (n < 0 || (size_t)n >= cap - at)
            cut = 1;
        else
            at += (size_t)n;
    }
    if (n_own == 0)
        return;
    if (cut || at + 2 > cap)
        memcpy(buf, all, sizeof(all)); /* cut short: everything; the flows are sorted out later */
    else
        memcpy(buf + at, ")", 2);
}
