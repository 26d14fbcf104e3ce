/*
 * linkem.c - test fixture: delay, jitter and loss on every packet of one
 * direction of the integration topology's router (the kernel here has no
 * netem).
 *
 * It opens a tun device (--dev NAME) in the router namespace. The shell side
 * (nt_link in netns.sh) routes one direction into it by policy routing
 * (ip rule iif <veth> lookup T; default dev NAME in table T), so every IP
 * packet arriving on that veth (TCP, UDP, ICMP) is read here. Each is held for
 * its delay and written back into the tun, from where the kernel forwards it
 * on by the main table (rp_filter off on the tun).
 *
 * Delay: --delay-ms D plus a jitter drawn uniformly from [-J, +J]
 * (--jitter-ms J), never below 0. A real queue does not reorder, so by
 * default a packet is never released before the one ahead of it (its due
 * time is at least the previous one's); --reorder lets each keep its own.
 * Loss (--loss-pct L): independent, or with --burst N > 1 a Gilbert-Elliott
 * chain (every packet lost in the bad state) whose mean burst is N packets
 * and whose long-run loss is L. --loss-udp drops UDP only. Every draw comes
 * from one seeded PRNG (splitmix64, --seed), so a run repeats.
 *
 * Memory is bounded: at most --queue-cap packets are held (default 20000);
 * a packet that finds the queue full is dropped and counted.
 *
 * Ground truth: at exit (SIGTERM, SIGINT, --duration-s) a JSON report with
 * the packets read, forwarded, dropped (loss, queue), bytes, and the delay
 * actually applied (from read() returning to write() returning: mean, min,
 * max in ms, over the packets forwarded), and how late releases were against
 * their schedule.
 *
 * It asks for SCHED_FIFO (priority 50) so that releases stay within tens of
 * microseconds of schedule on a busy machine.
 *
 * Linux-specific (tun, timerfd, signalfd, epoll). One process, one thread;
 * owns everything it allocates.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "precall/clock.h"

#define MAX_PKT 65536

struct pkt {
    int64_t due_ns;
    int64_t rx_ns;
    uint64_t seq; /* order of arrival: ties on due time keep it */
    size_t len;
    unsigned char *data;
};

struct opts {
    const char *dev, *report, *ready;
    double delay_ms, jitter_ms, loss_pct, burst;
    int reorder, loss_udp;
    uint64_t seed;
    long queue_cap;
    double duration_s;
};

struct stats {
    uint64_t read, forwarded, dropped_loss, dropped_queue, write_errors, bytes;
    uint64_t udp, tcp, other;
    double delay_sum_ms, delay_min_ms, delay_max_ms;
    double late_max_ms, late_sum_ms;
    long queue_peak;
};

struct link {
    struct opts o;
    struct stats st;
    struct pkt *heap;
    long n;
    uint64_t seq;
    uint64_t rng;
    int64_t last_due_ns;
    int bad; /* Gilbert-Elliott state */
};

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double uniform(struct link *l)
{
    return (double)(splitmix64(&l->rng) >> 11) / 9007199254740992.0;
}

static int before(const struct pkt *a, const struct pkt *b)
{
    return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->seq < b->seq);
}

static void heap_push(struct link *l, struct pkt p)
{
    long i = l->n++;
    l->heap[i] = p;
    while (i > 0) {
        long up = (i - 1) / 2;
        if (!before(&l->heap[i], &l->heap[up]))
            break;
        struct pkt t = l->heap[i];
        l->heap[i] = l->heap[up];
        l->heap[up] = t;
        i = up;
    }
}

static struct pkt heap_pop(struct link *l)
{
    struct pkt top = l->heap[0];
    l->heap[0] = l->heap[--l->n];
    long i = 0;
    for (;;) {
        long a = 2 * i + 1, b = a + 1, m = i;
        if (a < l->n && before(&l->heap[a], &l->heap[m]))
            m = a;
        if (b < l->n && before(&l->heap[b], &l->heap[m]))
            m = b;
        if (m == i)
            break;
        struct pkt t = l->heap[i];
        l->heap[i] = l->heap[m];
        l->heap[m] = t;
        i = m;
    }
    return top;
}

/* Is this packet lost? Independent, or Gilbert-Elliott with mean burst N. */
static int lost(struct link *l, const unsigned char *p, size_t len)
{
    if (l->o.loss_pct <= 0)
        return 0;
    if (l->o.loss_udp) {
        int udp = (len >= 20 && (p[0] >> 4) == 4 && p[9] == 17) ||
                  (len >= 40 && (p[0] >> 4) == 6 && p[6] == 17);
        if (!udp)
            return 0;
    }
    double pl = l->o.loss_pct / 100.0;
    if (l->o.burst <= 1.0)
        return uniform(l) < pl;
    /* Bad -> good with 1/N (mean stay N packets); good -> bad chosen so the
     * stationary share of the bad state is pl: p_gb = pl * p_bg / (1 - pl). */
    double p_bg = 1.0 / l->o.burst;
    double p_gb = pl >= 1.0 ? 1.0 : pl * p_bg / (1.0 - pl);
    if (l->bad) {
        if (uniform(l) < p_bg)
            l->bad = 0;
    } else {
        if (uniform(l) < p_gb)
            l->bad = 1;
    }
    return l->bad;
}

static void count_proto(struct stats *st, const unsigned char *p, size_t len)
{
    int proto = -1;
    if (len >= 20 && (p[0] >> 4) == 4)
        proto = p[9];
    else if (len >= 40 && (p[0] >> 4) == 6)
        proto = p[6];
    if (proto == 17)
        st->udp++;
    else if (proto == 6)
        st->tcp++;
    else
        st->other++;
}

static void on_packet(struct link *l, unsigned char *buf, size_t len, int64_t now)
{
    struct stats *st = &l->st;
    st->read++;
    st->bytes += len;
    count_proto(st, buf, len);
    if (lost(l, buf, len)) {
        st->dropped_loss++;
        return;
    }
    if (l->n >= l->o.queue_cap) {
        st->dropped_queue++;
        return;
    }
    double d_ms = l->o.delay_ms;
    if (l->o.jitter_ms > 0)
        d_ms += (2.0 * uniform(l) - 1.0) * l->o.jitter_ms;
    if (d_ms < 0)
        d_ms = 0;
    int64_t due = now + (int64_t)(d_ms * (double)PC_NS_PER_MS);
    if (!l->o.reorder && due < l->last_due_ns)
        due = l->last_due_ns;
    l->last_due_ns = due;
    struct pkt p = {.due_ns = due, .rx_ns = now, .seq = l->seq++, .len = len};
    p.data = malloc(len);
    if (!p.data) {
        st->dropped_queue++;
        return;
    }
    memcpy(p.data, buf, len);
    heap_push(l, p);
    if (l->n > st->queue_peak)
        st->queue_peak = l->n;
}

static void release_due(struct link *l, int tun, int64_t now)
{
    struct stats *st = &l->st;
    while (l->n > 0 && l->heap[0].due_ns <= now) {
        struct pkt p = heap_pop(l);
        ssize_t w = write(tun, p.data, p.len);
        int64_t t = pc_clock_now_ns();
        if (w < 0) {
            st->write_errors++;
        } else {
            double d = (double)(t - p.rx_ns) / (double)PC_NS_PER_MS;
            double late = (double)(t - p.due_ns) / (double)PC_NS_PER_MS;
            if (st->forwarded == 0 || d < st->delay_min_ms)
                st->delay_min_ms = d;
            if (d > st->delay_max_ms)
                st->delay_max_ms = d;
            st->delay_sum_ms += d;
            st->late_sum_ms += late;
            if (late > st->late_max_ms)
                st->late_max_ms = late;
            st->forwarded++;
        }
        free(p.data);
        now = t;
    }
}

static void arm(int tfd, const struct link *l)
{
    struct itimerspec its = {0};
    if (l->n > 0) {
        int64_t due = l->heap[0].due_ns;
        its.it_value.tv_sec = (time_t)(due / PC_NS_PER_S);
        its.it_value.tv_nsec = (long)(due % PC_NS_PER_S);
        if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
            its.it_value.tv_nsec = 1;
    }
    timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static int write_report(const struct link *l)
{
    const struct stats *st = &l->st;
    const struct opts *o = &l->o;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", o->report);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    double n = st->forwarded ? (double)st->forwarded : 1.0;
    fprintf(f,
            "{\"dev\": \"%s\", \"delay_ms\": %.3f, \"jitter_ms\": %.3f, \"loss_pct\": %.3f, "
            "\"burst\": %.3f, \"loss_udp_only\": %s, \"reorder\": %s, \"seed\": %" PRIu64 ",\n"
            " \"packets\": %" PRIu64 ", \"forwarded\": %" PRIu64 ", \"dropped\": %" PRIu64
            ", \"dropped_loss\": %" PRIu64 ", \"dropped_queue\": %" PRIu64
            ", \"write_errors\": %" PRIu64 ", \"bytes\": %" PRIu64 ",\n"
            " \"udp\": %" PRIu64 ", \"tcp\": %" PRIu64 ", \"other\": %" PRIu64
            ", \"queue_cap\": %ld, \"queue_peak\": %ld, \"held_at_exit\": %ld,\n"
            " \"applied_delay_ms\": {\"mean\": %.4f, \"min\": %.4f, \"max\": %.4f},\n"
            " \"late_ms\": {\"mean\": %.4f, \"max\": %.4f}}\n",
            o->dev, o->delay_ms, o->jitter_ms, o->loss_pct, o->burst,
            o->loss_udp ? "true" : "false", o->reorder ? "true" : "false", o->seed, st->read,
            st->forwarded, st->dropped_loss + st->dropped_queue, st->dropped_loss,
            st->dropped_queue, st->write_errors, st->bytes, st->udp, st->tcp, st->other,
            o->queue_cap, st->queue_peak, l->n, st->delay_sum_ms / n, st->delay_min_ms,
            st->delay_max_ms, st->late_sum_ms / n, st->late_max_ms);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, o->report);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: linkem --dev NAME [--delay-ms D] [--jitter-ms J] [--reorder]\n"
            "              [--loss-pct L] [--burst N] [--loss-udp] [--seed S]\n"
            "              [--queue-cap N] [--report FILE] [--ready FILE] [--duration-s S]\n");
    exit(64);
}

static double num(const char *opt, const char *s, double lo, double hi)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "linkem: %s '%s' is not a number from %g to %g\n", opt, s, lo, hi);
        exit(64);
    }
    return v;
}

static void parse(int argc, char **argv, struct opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--reorder")) {
            o->reorder = 1;
            continue;
        }
        if (!strcmp(a, "--loss-udp")) {
            o->loss_udp = 1;
            continue;
        }
        if (!v)
            usage();
        i++;
        if (!strcmp(a, "--dev"))
            o->dev = v;
        else if (!strcmp(a, "--report"))
            o->report = v;
        else if (!strcmp(a, "--ready"))
            o->ready = v;
        else if (!strcmp(a, "--delay-ms"))
            o->delay_ms = num(a, v, 0, 60000);
        else if (!strcmp(a, "--jitter-ms"))
            o->jitter_ms = num(a, v, 0, 60000);
        else if (!strcmp(a, "--loss-pct"))
            o->loss_pct = num(a, v, 0, 100);
        else if (!strcmp(a, "--burst"))
            o->burst = num(a, v, 1, 1e6);
        else if (!strcmp(a, "--seed"))
            o->seed = (uint64_t)num(a, v, 0, 9007199254740992.0);
        else if (!strcmp(a, "--queue-cap"))
            o->queue_cap = (long)num(a, v, 1, 1e7);
        else if (!strcmp(a, "--duration-s"))
            o->duration_s = num(a, v, 0, 1e6);
        else
            usage();
    }
    if (!o->dev || strlen(o->dev) >= IFNAMSIZ)
        usage();
}

static int open_tun(const char *name)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct ifreq ifr = {0};
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    memcpy(ifr.ifr_name, name, strlen(name));
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    struct link l = {.o = {.burst = 1.0, .queue_cap = 20000, .seed = 1}};
    parse(argc, argv, &l.o);
    l.rng = l.o.seed;
    l.heap = calloc((size_t)l.o.queue_cap, sizeof *l.heap);
    static unsigned char buf[MAX_PKT];
    int rc = 1, tun = -1, tfd = -1, sfd = -1, ep = -1;
    if (!l.heap) {
        fprintf(stderr, "linkem: out of memory\n");
        return 1;
    }
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    /* On a busy machine a timer wake-up can come milliseconds late; a
     * real-time priority (root) keeps releases on schedule. Best effort. */
    struct sched_param sp = {.sched_priority = 50};
    if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
        fprintf(stderr, "linkem: no real-time priority (%s): releases may be late\n",
                strerror(errno));
    tun = open_tun(l.o.dev);
    if (tun < 0) {
        fprintf(stderr, "linkem: tun device %s: %s\n", l.o.dev, strerror(errno));
        goto out;
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    sfd = signalfd(-1, &mask, SFD_CLOEXEC);
    tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (sfd < 0 || tfd < 0 || ep < 0) {
        fprintf(stderr, "linkem: %s\n", strerror(errno));
        goto out;
    }
    struct epoll_event ev = {.events = EPOLLIN};
    ev.data.fd = tun;
    epoll_ctl(ep, EPOLL_CTL_ADD, tun, &ev);
    ev.data.fd = tfd;
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
    ev.data.fd = sfd;
    epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
    if (l.o.ready) {
        FILE *f = fopen(l.o.ready, "w");
        if (f) {
            fprintf(f, "%d\n", (int)getpid());
            fclose(f);
        }
    }
    int64_t end = l.o.duration_s > 0
                      ? pc_clock_now_ns() + (int64_t)(l.o.duration_s * (double)PC_NS_PER_S)
                      : 0;
    int stop = 0;
    while (!stop) {
        int timeout = -1;
        if (end) {
            int64_t left = end - pc_clock_now_ns();
            if (left <= 0)
                break;
            timeout = (int)(left / PC_NS_PER_MS) + 1;
        }
        struct epoll_event evs[4];
        int k = epoll_wait(ep, evs, 4, timeout);
        if (k < 0 && errno != EINTR) {
            fprintf(stderr, "linkem: epoll: %s\n", strerror(errno));
            goto out;
        }
        for (int i = 0; i < k; i++) {
            int fd = evs[i].data.fd;
            if (fd == sfd) {
                stop = 1;
            } else if (fd == tfd) {
                uint64_t x;
                ssize_t r = read(tfd, &x, sizeof x);
                (void)r;
            } else if (fd == tun) {
                for (int burst = 0; burst < 256; burst++) {
                    ssize_t r = read(tun, buf, sizeof buf);
                    if (r <= 0)
                        break;
                    on_packet(&l, buf, (size_t)r, pc_clock_now_ns());
                }
            }
        }
        release_due(&l, tun, pc_clock_now_ns());
        arm(tfd, &l);
    }
    rc = 0;
out:
    if (l.o.report && write_report(&l) < 0) {
        fprintf(stderr, "linkem: report %s: %s\n", l.o.report, strerror(errno));
        rc = 1;
    }
    while (l.n > 0) {
        struct pkt p = heap_pop(&l);
        free(p.data);
    }
    free(l.heap);
    if (ep >= 0)
        close(ep);
    if (tfd >= 0)
        close(tfd);
    if (sfd >= 0)
        close(sfd);
    if (tun >= 0)
        close(tun);
    return rc;
}
