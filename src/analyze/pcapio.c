/*
 * pcapio.c - frames from capture files and live captures through libpcap
 * (pcap and pcapng), handed to the analyzer one at a time.
 */
#define _DEFAULT_SOURCE /* libpcap's headers use the BSD types u_int, u_char */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/analyzer.h"
#include "precall/clock.h"

static struct capfile *add_file(struct pc_analyzer *a, const char *path)
{
    struct capfile *f;

    if (a->n_files >= FILES_MAX)
        return NULL;
    f = &a->files[a->n_files++];
    memset(f, 0, sizeof(*f));
    f->path = strdup(path);
    f->format = "unknown";
    return f;
}

/* pcapng begins with a Section Header Block, type 0x0A0D0D0A. */
static const char *sniff_format(int fd)
{
    uint8_t b[4];

    if (read(fd, b, 4) != 4)
        return "unknown";
    if (b[0] == 0x0A && b[1] == 0x0D && b[2] == 0x0D && b[3] == 0x0A)
        return "pcapng";
    return "pcap";
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

int pc_analyzer_read_file(struct pc_analyzer *a, const char *path, struct pc_err *err)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    struct pcap_pkthdr *h;
    const u_char *data;
    struct capfile *f = add_file(a, path);
    pcap_t *pc;
    int fd, dlt, rc, nano;

    if (f == NULL)
        return pc_err_set(err, PC_EINVAL, "%s: too many input files (at most %d)", path, FILES_MAX);
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(f->error, sizeof(f->error), "cannot be opened: %s", strerror(errno));
        return pc_err_set(err, PC_ENOENT, "%s: cannot open: %s", path, strerror(errno));
    }
    f->format = sniff_format(fd);
    close(fd);
    pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (pc == NULL) {
        /* libpcap: "truncated dump file; ..." for an empty one, "unknown file format" */
        snprintf(f->error, sizeof(f->error), "not a capture file: %s", errbuf);
        f->damaged = 1;
        return pc_err_set(err, PC_EDATA, "%s: not a packet capture (pcap or pcapng): %s", path,
                          errbuf);
    }
    nano = pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;
    dlt = pcap_datalink(pc);
    snprintf(f->link, sizeof(f->link), "%s",
             pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "unknown");
    while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
        f->frames++;
        /* pcapng may change the link type between interfaces */
        pc_analyzer_frame(a, pcap_datalink(pc), frame_ns(h, nano), data, h->caplen);
    }
    if (rc == PCAP_ERROR) {
        snprintf(f->error, sizeof(f->error), "damaged at packet %llu: %s",
                 (unsigned long long)f->frames + 1, pcap_geterr(pc));
        f->damaged = 1;
        pc_err_set(err, PC_EDATA, "%s: packet %llu: %s (the %llu packets before it were analysed)",
                   path, (unsigned long long)f->frames + 1, pcap_geterr(pc),
                   (unsigned long long)f->frames);
        pcap_close(pc);
        return PC_EDATA;
    }
    pcap_close(pc);
    return 0;
}

int pc_analyzer_read_live(struct pc_analyzer *a, void *pcap, void *dumper, const char *name,
                          atomic_int *stop, int64_t deadline_ns, struct pc_err *err)
{
    pcap_t *pc = pcap;
    struct capfile *f = add_file(a, name);
    struct pcap_pkthdr *h;
    const u_char *data;
    int nano = pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO, rc = 0;

    if (f != NULL) {
        f->format = "live";
        snprintf(f->link, sizeof(f->link), "%s",
                 pcap_datalink_val_to_name(pcap_datalink(pc))
                     ? pcap_datalink_val_to_name(pcap_datalink(pc))
                     : "unknown");
    }
    while ((stop == NULL || atomic_load(stop) == 0) &&
           (deadline_ns == 0 || pc_clock_now_ns() < deadline_ns)) {
        rc = pcap_next_ex(pc, &h, &data);
        if (rc == 0)
            continue; /* the read timeout: look at the clock and the flag again */
        if (rc != 1)
            break;
        if (f != NULL)
            f->frames++;
        if (dumper != NULL)
            pcap_dump(dumper, h, data);
        pc_analyzer_frame(a, pcap_datalink(pc), frame_ns(h, nano), data, h->caplen);
    }
    if (rc == PCAP_ERROR)
        return pc_err_set(err, PC_EIO, "%s: %s", name, pcap_geterr(pc));
    return 0;
}
