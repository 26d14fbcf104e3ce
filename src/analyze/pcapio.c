/*
 * pcapio.c - frames from capture files and live captures through libpcap
 * (pcap and pcapng), handed to the analyzer one at a time.
 */
#define _DEFAULT_SOURCE /* libpcap's headers use the BSD types u_int, u_char */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze/analyzer.h"
#include "analyze/instream.h"
#include "analyze/decode.h"
#include "analyze/pcapng.h"
#include "analyze/sipmedia.h"
#include "precall/buf.h"
#include "precall/clock.h"

#define GZ_CORRUPT "the gzip data is corrupt"

/*
 * One frame to the analyzer, after the signalling in it (SIP with SDP, on
 * any port, UDP or TCP) was read: a stream's clock rate is chosen when the
 * stream is confirmed, and the offer comes before the media.
 */
static void frame(struct pc_analyzer *a, int dlt, int64_t t_ns, const uint8_t *p, size_t caplen)
{
    struct pc_pkt pk;

    if (pc_decode_frame(dlt, p, caplen, &pk) == PC_DECODE_OK)
        pc_sipmedia_packet(a, &pk);
    pc_analyzer_frame(a, dlt, t_ns, p, caplen);
}

static struct capfile *add_file(struct pc_analyzer *a, const char *path)
{
    struct capfile *f;

    if (a->n_files >= FILES_MAX)
        return NULL;
    f = &a->files[a->n_files++];
    memset(f, 0, sizeof(*f));
    f->path = strdup(path);
    f->format = "unknown";
    /* a new part: its clock is not compared with the last file's */
    a->have_prev = 0;
    a->clock_offset_ns = 0;
    return f;
}

/* pcapng begins with a Section Header Block, type 0x0A0D0D0A. */
static const char *sniff_format(const uint8_t *b, size_t n)
{
    if (n < 4)
        return "unknown";
    if (b[0] == 0x0A && b[1] == 0x0D && b[2] == 0x0D && b[3] == 0x0A)
        return "pcapng";
    return "pcap";
}

/* "-" is standard input; a FIFO opens without waiting for a writer (the reader waits, bounded). */
static int open_input(const char *path)
{
    int fd, fl;

    if (strcmp(path, "-") == 0)
        return fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0 && (fl = fcntl(fd, F_GETFL)) >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

/* The earlier input that is this same file (device and inode), or NULL. */
static const struct capfile *same_as(const struct pc_analyzer *a, const struct stat *st)
{
    for (size_t i = 0; i + 1 < a->n_files; i++)
        if (a->files[i].have_id && a->files[i].dev == st->st_dev && a->files[i].ino == st->st_ino)
            return &a->files[i];
    return NULL;
}

/*
 * A packet's time in ns. A damaged or crafted file can carry any timestamp:
 * it is clamped to [1970, 2262), so that no sum or difference of two of
 * them overflows.
 */
static int64_t frame_ns(const struct pcap_pkthdr *h, int nano)
{
    const int64_t max_sec = INT64_MAX / 1000000000 - 1;
    int64_t sec = (int64_t)h->ts.tv_sec, frac = (int64_t)h->ts.tv_usec;
    int64_t frac_max = nano ? 999999999 : 999999;

    sec = sec < 0 ? 0 : sec > max_sec ? max_sec : sec;
    frac = frac < 0 ? 0 : frac > frac_max ? frac_max : frac;
    return sec * 1000000000 + frac * (nano ? 1 : 1000);
}

static const char *shown(const char *path)
{
    return strcmp(path, "-") == 0 ? "standard input" : path;
}

/*
 * A pcapng file names LINKTYPE_ values; libpcap's DLT_ values are the same
 * but for a few old ones, of which decode.c reads raw IP (LINKTYPE_RAW).
 */
static int dlt_of(int linktype)
{
    return linktype == 101 ? DLT_RAW : linktype;
}

/* The link types of a pcapng file, "EN10MB,LINUX_SLL" when its interfaces differ. */
static void pcapng_links(struct capfile *f, const struct pc_pcapng *r)
{
    char links[sizeof(f->link)] = "";
    size_t n = 0;

    for (size_t i = 0; i < r->n_dlts; i++) {
        const char *name = pcap_datalink_val_to_name(dlt_of(r->dlts[i]));
        int k = snprintf(links + n, sizeof(links) - n, "%s%s", i > 0 ? "," : "",
                         name != NULL ? name : "unknown");

        if (k < 0 || (size_t)k >= sizeof(links) - n)
            break; /* the names that fit */
        n += (size_t)k;
    }
    if (n > 0)
        memcpy(f->link, links, n + 1);
}

/*
 * pcapng through pcapng.c, which gives every packet its own interface's
 * link type (libpcap refuses a file whose interfaces differ in it).
 */
static int read_pcapng(struct pc_analyzer *a, struct capfile *f, FILE *fp, const char *path,
                       const int *timed_out, struct pc_err *err)
{
    struct pc_pcapng r;
    struct pc_pcapng_pkt pkt;
    size_t named = 0;
    int rc;

    pc_pcapng_init(&r, fp);
    while ((rc = pc_pcapng_next(&r, &pkt)) == 1) {
        f->frames++;
        if (r.n_dlts != named) {
            pcapng_links(f, &r);
            named = r.n_dlts;
        }
        frame(a, dlt_of(pkt.dlt), pkt.t_ns, pkt.data, pkt.caplen);
    }
    if (r.n_dlts != named)
        pcapng_links(f, &r);
    if (rc < 0 && ferror(fp) && errno == EBADMSG)
        pc_strfmt(r.err, sizeof(r.err), "%s", GZ_CORRUPT);
    pc_pcapng_free(&r);
    fclose(fp);
    if (rc == 0)
        return 0;
    if (*timed_out)
        pc_strfmt(r.err, sizeof(r.err), "nothing more arrived within the time limit");
    f->damaged = 1;
    if (f->frames == 0 && r.blocks == 0) {
        snprintf(f->error, sizeof(f->error), "not a capture file: %s", r.err);
        return pc_err_set(err, PC_EDATA, "%s: not a packet capture (pcap or pcapng): %s",
                          shown(path), r.err);
    }
    snprintf(f->error, sizeof(f->error), "damaged at packet %llu: %s",
             (unsigned long long)f->frames + 1, r.err);
    return pc_err_set(err, PC_EDATA,
                      "%s: packet %llu: %s (the %llu packets before it were analysed)", shown(path),
                      (unsigned long long)f->frames + 1, r.err, (unsigned long long)f->frames);
}

int pc_analyzer_read_input(struct pc_analyzer *a, const char *path, int64_t idle_ns,
                           struct pc_err *err)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    uint8_t head[PC_INSTREAM_HEAD];
    size_t head_n;
    struct pcap_pkthdr *h;
    const u_char *data;
    struct capfile *f = add_file(a, path);
    const struct capfile *same;
    struct stat st;
    pcap_t *pc;
    FILE *fp;
    int fd, dlt, rc, nano, timed_out = 0, gzipped = 0;

    if (f == NULL)
        return pc_err_set(err, PC_EINVAL, "%s: too many input files (at most %d)", shown(path),
                          FILES_MAX);
    fd = open_input(path);
    if (fd < 0) {
        snprintf(f->error, sizeof(f->error), "cannot be opened: %s", strerror(errno));
        return pc_err_set(err, PC_ENOENT, "%s: cannot open: %s", shown(path), strerror(errno));
    }
    if (fstat(fd, &st) == 0) {
        f->have_id = 1;
        f->dev = st.st_dev;
        f->ino = st.st_ino;
        if ((same = same_as(a, &st)) != NULL) {
            close(fd);
            f->same = 1;
            pc_strfmt(f->error, sizeof(f->error), "the same file as %s: read once, not again",
                      shown(same->path));
            return pc_err_set(err, PC_ANALYZE_SAME, "%s is the same file as %s: read once",
                              shown(path), shown(same->path));
        }
        if (S_ISREG(st.st_mode))
            idle_ns = 0; /* a file has an end: no waiting */
    }
    fp = pc_instream_open(fd, idle_ns, &timed_out, head, &head_n, &gzipped);
    if (fp == NULL && timed_out) {
        snprintf(f->error, sizeof(f->error), "nothing arrived within %.0f s",
                 (double)idle_ns / 1e9);
        return pc_err_set(err, PC_ENOENT, "%s: nothing arrived within %.0f s (no writer?)",
                          shown(path), (double)idle_ns / 1e9);
    }
    if (fp == NULL && errno == EBADMSG) {
        snprintf(f->error, sizeof(f->error), "not a capture file: %s", GZ_CORRUPT);
        f->damaged = 1;
        return pc_err_set(err, PC_EDATA, "%s: not a packet capture (pcap or pcapng): %s",
                          shown(path), GZ_CORRUPT);
    }
    if (fp == NULL) {
        snprintf(f->error, sizeof(f->error), "cannot be read: %s", strerror(errno));
        return pc_err_set(err, PC_ENOENT, "%s: cannot read: %s", shown(path), strerror(errno));
    }
    f->format = sniff_format(head, head_n);
    if (gzipped)
        f->format = strcmp(f->format, "pcapng") == 0 ? "pcapng.gz" : "pcap.gz";
    if (strncmp(f->format, "pcapng", 6) == 0)
        return read_pcapng(a, f, fp, path, &timed_out, err);
    pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (pc == NULL) {
        fclose(fp);
        /* libpcap: "truncated dump file; ..." for a short one, "unknown file format" */
        snprintf(f->error, sizeof(f->error), "not a capture file: %s", errbuf);
        f->damaged = 1;
        return pc_err_set(err, PC_EDATA, "%s: not a packet capture (pcap or pcapng): %s",
                          shown(path), errbuf);
    }
    nano = pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;
    dlt = pcap_datalink(pc);
    snprintf(f->link, sizeof(f->link), "%s",
             pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "unknown");
    while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
        f->frames++;
        /* pcapng may change the link type between interfaces */
        frame(a, pcap_datalink(pc), frame_ns(h, nano), data, h->caplen);
    }
    if (rc == PCAP_ERROR) {
        const char *why =
            timed_out ? "nothing more arrived within the time limit" : pcap_geterr(pc);

        if (gzipped && strstr(why, strerror(EBADMSG)) != NULL)
            why = GZ_CORRUPT;

        snprintf(f->error, sizeof(f->error), "damaged at packet %llu: %s",
                 (unsigned long long)f->frames + 1, why);
        f->damaged = 1;
        pc_err_set(err, PC_EDATA, "%s: packet %llu: %s (the %llu packets before it were analysed)",
                   shown(path), (unsigned long long)f->frames + 1, why,
                   (unsigned long long)f->frames);
        pcap_close(pc);
        return PC_EDATA;
    }
    pcap_close(pc);
    return 0;
}

int pc_analyzer_read_file(struct pc_analyzer *a, const char *path, struct pc_err *err)
{
    return pc_analyzer_read_input(a, path, 0, err);
}

/* What pcap_dispatch hands each frame of a live capture to. */
struct live {
    struct pc_analyzer *a;
    struct capfile *f;
    int nano;
    pcap_t *pc;
    void (*tap)(void *user, const void *pkthdr, const uint8_t *data);
    void *tap_user;
};

static void live_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    struct live *l = (struct live *)user;

    if (l->f != NULL)
        l->f->frames++;
    if (l->tap != NULL)
        l->tap(l->tap_user, h, data);
    frame(l->a, pcap_datalink(l->pc), frame_ns(h, l->nano), data, h->caplen);
}

#define LIVE_POLL_MAX_MS 100 /* how late a signal that slips in before poll() is seen, at most */

int pc_analyzer_read_live(struct pc_analyzer *a, void *pcap, const char *name, atomic_int *stop,
                          int64_t deadline_ns,
                          void (*tap)(void *user, const void *pkthdr, const uint8_t *data),
                          void *tap_user, struct pc_err *err)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap;
    struct live l = {a, add_file(a, name), 0, pc, tap, tap_user};
    const struct timeval *most;
    int fd, rc = 0;

    l.nano = pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;
    if (l.f != NULL) {
        l.f->format = "live";
        snprintf(l.f->link, sizeof(l.f->link), "%s",
                 pcap_datalink_val_to_name(pcap_datalink(pc))
                     ? pcap_datalink_val_to_name(pcap_datalink(pc))
                     : "unknown");
    }
    /*
     * libpcap's read timeout does not fire while no packet arrives: the
     * loop waits on the descriptor with precall's own deadline instead, and
     * reads whatever is there without blocking.
     */
    if (pcap_setnonblock(pc, 1, errbuf) < 0)
        return pc_err_set(err, PC_EIO, "%s: %s", name, errbuf);
    fd = pcap_get_selectable_fd(pc);
    most = pcap_get_required_select_timeout(pc);
    while (stop == NULL || atomic_load(stop) == 0) {
        int64_t now = pc_clock_now_ns();
        int wait_ms = LIVE_POLL_MAX_MS;

        if (deadline_ns != 0 && now >= deadline_ns)
            break;
        if (deadline_ns != 0 && (deadline_ns - now + 999999) / 1000000 < wait_ms)
            wait_ms = (int)((deadline_ns - now + 999999) / 1000000);
        if (most != NULL && most->tv_sec * 1000 + most->tv_usec / 1000 < wait_ms)
            wait_ms = (int)(most->tv_sec * 1000 + most->tv_usec / 1000);
        if (fd >= 0) {
            struct pollfd p = {fd, POLLIN, 0};

            if (poll(&p, 1, wait_ms) < 0 && errno != EINTR)
                return pc_err_set(err, PC_EIO, "%s: %s", name, strerror(errno));
        } else {
            struct timespec ts = {0, (long)wait_ms * 1000000L};

            nanosleep(&ts, NULL);
        }
        rc = pcap_dispatch(pc, -1, live_frame, (u_char *)&l);
        if (rc == PCAP_ERROR)
            return pc_err_set(err, PC_EIO, "%s: %s", name, pcap_geterr(pc));
    }
    return 0;
}
