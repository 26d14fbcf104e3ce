/*
 * pcapng.c - pcapng blocks read with bounds (see pcapng.h).
 *
 * draft-ietf-opsawg-pcapng: 3.1 the general block (type, total length,
 * body, total length again; a multiple of 4), 4.1 the Section Header Block
 * (its byte-order magic tells the section's byte order), 4.2 the Interface
 * Description Block (link type, snap length; the options if_tsresol and
 * if_tsoffset), 4.3 the Enhanced Packet Block, 4.4 the Simple Packet Block
 * (interface 0, no time), and the obsolete Packet Block of appendix A.
 * Every other block is skipped whole.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/pcapng.h"
#include "precall/buf.h"

#define SHB       0x0A0D0D0Au
#define IDB       1u
#define PB        2u
#define SPB       3u
#define EPB       6u
#define BOM       0x1A2B3C4Du
#define OPT_RESOL 9
#define OPT_OFFS  14

void pc_pcapng_init(struct pc_pcapng *r, FILE *fp)
{
    memset(r, 0, sizeof(*r));
    r->fp = fp;
}

void pc_pcapng_free(struct pc_pcapng *r)
{
    if (r == NULL)
        return;
    free(r->ifs);
    free(r->buf);
    r->ifs = NULL;
    r->buf = NULL;
}

static uint32_t u32(const struct pc_pcapng *r, const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return r->swap ? __builtin_bswap32(v) : v;
}

static uint16_t u16(const struct pc_pcapng *r, const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, 2);
    return r->swap ? __builtin_bswap16(v) : v;
}

static int fail(struct pc_pcapng *r, const char *what)
{
    pc_strfmt(r->err, sizeof(r->err), "pcapng block %llu: %s", (unsigned long long)r->blocks + 1,
              what);
    return -1;
}

/* Exactly n bytes: 1, or 0 at the end of the file before any, -1 cut short. */
static int read_exact(struct pc_pcapng *r, void *p, size_t n)
{
    size_t got = fread(p, 1, n, r->fp);

    if (got == n)
        return 1;
    return got == 0 && !ferror(r->fp) ? 0 : -1;
}

/* 10^e or 2^e units per second (4.2, if_tsresol); 0 when out of range. */
static uint64_t resolution(uint8_t v)
{
    uint64_t u = 1;

    if (v & 0x80)
        return (v & 0x7F) <= 63 ? (uint64_t)1 << (v & 0x7F) : 0;
    if (v > 19)
        return 0;
    for (uint8_t i = 0; i < v; i++)
        u *= 10;
    return u;
}

/* The options of an IDB (4.2, 3.5): code, length, value padded to 4 bytes. */
static int idb_options(struct pc_pcapng *r, struct pc_pcapng_iface *f, const uint8_t *p, size_t n)
{
    size_t off = 0;

    while (off + 4 <= n) {
        uint16_t code = u16(r, p + off), len = u16(r, p + off + 2);
        size_t padded = ((size_t)len + 3u) & ~(size_t)3u;

        off += 4;
        if (code == 0)
            break;
        if (padded > n - off)
            return fail(r, "an interface option runs past its block");
        if (code == OPT_RESOL && len >= 1 && (f->units = resolution(p[off])) == 0)
            return fail(r, "an interface's time resolution is out of range");
        if (code == OPT_OFFS && len >= 8) {
            uint64_t v;

            memcpy(&v, p + off, 8);
            v = r->swap ? __builtin_bswap64(v) : v;
            f->offset_s = (int64_t)v;
            if (f->offset_s < -(INT64_C(1) << 40) || f->offset_s > (INT64_C(1) << 40))
                f->offset_s = 0; /* not a time offset anyone means */
        }
        off += padded;
    }
    return 0;
}

static void note_dlt(struct pc_pcapng *r, int dlt)
{
    for (size_t i = 0; i < r->n_dlts; i++)
        if (r->dlts[i] == dlt)
            return;
    if (r->n_dlts < sizeof(r->dlts) / sizeof(r->dlts[0]))
        r->dlts[r->n_dlts++] = dlt;
}

static int add_iface(struct pc_pcapng *r, const uint8_t *b, size_t n)
{
    struct pc_pcapng_iface f = {0};

    if (n < 8)
        return fail(r, "an interface description shorter than its fields");
    if (r->n_ifs >= PC_PCAPNG_IFACES_MAX)
        return fail(r, "more interfaces than precall reads in one section");
    f.dlt = u16(r, b);
    f.snaplen = u32(r, b + 4);
    f.units = 1000000;
    if (idb_options(r, &f, b + 8, n - 8) < 0)
        return -1;
    if (pc_grow((void **)&r->ifs, &r->cap_ifs, r->n_ifs + 1, sizeof(*r->ifs)) < 0)
        return fail(r, "out of memory");
    r->ifs[r->n_ifs++] = f;
    note_dlt(r, f.dlt);
    return 0;
}

/* ts in the interface's units since 1970, as ns clamped as pcapio.c clamps libpcap's times. */
static int64_t time_ns(const struct pc_pcapng_iface *f, uint64_t ts)
{
    const int64_t max_sec = INT64_MAX / 1000000000 / 2 - 1;
    int64_t sec = (int64_t)(ts / f->units);
    uint64_t frac = ts % f->units;
    int64_t ns = (int64_t)((unsigned __int128)frac * 1000000000u / f->units);

    if (ts / f->units > (uint64_t)max_sec)
        sec = max_sec;
    sec += f->offset_s;
    if (sec < 0)
        return 0;
    if (sec > max_sec)
        sec = max_sec;
    return sec * 1000000000 + ns;
}

/* A packet block's fields into pkt: 1, or -1 when they do not fit the block. */
static int packet(struct pc_pcapng *r, uint32_t type, const uint8_t *b, size_t n,
                  struct pc_pcapng_pkt *pkt)
{
    size_t head = type == SPB ? 4 : 20;
    uint32_t iface = 0, caplen;
    uint64_t ts = 0;

    if (n < head)
        return fail(r, "a packet block shorter than its fields");
    if (type == SPB) {
        pkt->wirelen = u32(r, b);
        caplen = (uint32_t)(n - 4 < pkt->wirelen ? n - 4 : pkt->wirelen);
    } else {
        iface = type == PB ? u16(r, b) : u32(r, b);
        ts = (uint64_t)u32(r, b + 4) << 32 | u32(r, b + 8);
        caplen = u32(r, b + 12);
        pkt->wirelen = u32(r, b + 16);
        if (caplen > n - head)
            return fail(r, "a packet longer than its block");
    }
    if (iface >= r->n_ifs)
        return fail(r, "a packet on an interface that was not described");
    if (type == SPB && r->ifs[0].snaplen != 0 && caplen > r->ifs[0].snaplen)
        caplen = r->ifs[0].snaplen;
    pkt->iface = iface;
    pkt->dlt = r->ifs[iface].dlt;
    pkt->t_ns = type == SPB ? 0 : time_ns(&r->ifs[iface], ts);
    pkt->data = b + head;
    pkt->caplen = caplen;
    return 1;
}

/* A Section Header Block after its type: its byte order, then its body. */
static int section(struct pc_pcapng *r, const uint8_t hdr[8], uint32_t *total)
{
    uint8_t magic[4];
    uint32_t bom;

    if (read_exact(r, magic, 4) != 1)
        return fail(r, "a section header cut short");
    memcpy(&bom, magic, 4);
    if (bom == BOM)
        r->swap = 0;
    else if (bom == __builtin_bswap32(BOM))
        r->swap = 1;
    else
        return fail(r, "a section header with no byte-order magic");
    *total = u32(r, hdr + 4);
    r->n_ifs = 0; /* a new section describes its interfaces anew */
    return 0;
}

int pc_pcapng_next(struct pc_pcapng *r, struct pc_pcapng_pkt *pkt)
{
    for (;;) {
        uint8_t hdr[8];
        uint32_t type, total;
        size_t body, skip = 0;
        int rc = read_exact(r, hdr, 8);

        if (rc == 0 && r->blocks > 0)
            return 0;
        if (rc != 1)
            return fail(r, rc == 0 ? "the file is empty" : "a block header cut short");
        memcpy(&type, hdr, 4); /* the SHB's type reads the same in either order */
        if (type == SHB) {
            if (section(r, hdr, &total) < 0)
                return -1;
            skip = 4;
        } else if (r->blocks == 0) {
            return fail(r, "the file does not begin with a section header");
        } else {
            type = u32(r, hdr);
            total = u32(r, hdr + 4);
        }
        if (total < 12 + skip || total % 4 != 0)
            return fail(r, "a block length that is not a multiple of 4 of at least 12");
        if (total > PC_PCAPNG_BLOCK_MAX)
            return fail(r, "a block larger than 16 MiB");
        body = total - 12 - skip;
        if (pc_grow((void **)&r->buf, &r->cap_buf, body + 4, 1) < 0)
            return fail(r, "out of memory");
        if (read_exact(r, r->buf, body + 4) != 1) /* the body and the trailing length */
            return fail(r, "a block cut short");
        if (type == SHB && (body < 12 || u16(r, r->buf) != 1))
            return fail(r, "a section of a pcapng version other than 1");
        if (type == IDB && add_iface(r, r->buf, body) < 0)
            return -1;
        if ((type == EPB || type == SPB || type == PB) && packet(r, type, r->buf, body, pkt) < 0)
            return -1;
        r->blocks++;
        if (type == EPB || type == SPB || type == PB)
            return 1;
    }
}
