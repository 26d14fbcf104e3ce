/*
 * sipmedia.c - the table of signalled media (see sipmedia.h).
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/sdp.h"
#include "analyze/sipframe.h"
#include "analyze/sipmedia.h"
#include "precall/buf.h"

struct pc_sipmedia {
    struct pc_sipmedia_entry *e;
    size_t n, cap;
};

void pc_sipmedia_free(struct pc_sipmedia *t)
{
    if (t == NULL)
        return;
    free(t->e);
    free(t);
}

static struct pc_sipmedia_entry *find(struct pc_sipmedia *t, int family, const uint8_t *addr,
                                      uint16_t port, uint8_t pt)
{
    for (size_t i = 0; t != NULL && i < t->n; i++)
        if (t->e[i].family == family && t->e[i].port == port && t->e[i].pt == pt &&
            memcmp(t->e[i].addr, addr, 16) == 0)
            return &t->e[i];
    return NULL;
}

static void add(struct pc_analyzer *a, const struct pc_sdp_media *m, const struct pc_sdp_pt *p)
{
    struct pc_sipmedia *t = a->sipmedia;
    struct pc_sipmedia_entry *e;

    if (t == NULL && (t = a->sipmedia = calloc(1, sizeof(*t))) == NULL) {
        a->oom = 1;
        return;
    }
    if ((e = find(t, m->family, m->addr, m->port, p->pt)) == NULL) {
        if (t->n >= PC_SIPMEDIA_MAX || pc_grow((void **)&t->e, &t->cap, t->n + 1, sizeof(*e)) < 0)
            return;
        e = &t->e[t->n++];
    }
    memset(e, 0, sizeof(*e));
    e->family = (uint8_t)m->family;
    e->port = m->port;
    e->pt = p->pt;
    memcpy(e->addr, m->addr, 16);
    e->rate = p->rate;
    memcpy(e->name, p->name, sizeof(e->name));
    memcpy(e->kind, m->kind, sizeof(e->kind));
}

/* One whole SIP message: its SDP's media go into the table. */
static void message(void *ctx, const uint8_t *p, size_t n)
{
    struct pc_analyzer *a = ctx;
    struct pc_sdp sdp;

    if (pc_sip_sdp_parse(p, n, &sdp) != 0)
        return;
    for (int i = 0; i < sdp.n_media; i++) {
        const struct pc_sdp_media *m = &sdp.media[i];

        if (m->family == 0 || m->port == 0) /* port 0: a stream refused (RFC 3264 6) */
            continue;
        for (int k = 0; k < m->n_pt; k++)
            add(a, m, &m->pt[k]);
    }
}

void pc_sipmedia_packet(struct pc_analyzer *a, const struct pc_pkt *pk)
{
    uint8_t key[1 + 2 + 2 + 16 + 16] = {0};

    if (pk->proto == 6) { /* a byte stream: messages span segments (sipframe.c) */
        key[0] = (uint8_t)pk->family;
        memcpy(key + 1, &pk->sport, 2);
        memcpy(key + 3, &pk->dport, 2);
        memcpy(key + 5, pk->src, 16);
        memcpy(key + 21, pk->dst, 16);
        if (pc_sipframe_segment(&a->sipframe, key, sizeof(key), pk->tcp_seq, pk->payload,
                                pk->payload_len, pk->wire_len, message, a) < 0)
            a->oom = 1;
        return;
    }
    /* RFC 3261 7.1, 7.2: a request begins with a method in capitals, a response with "SIP/" */
    if (pk->payload_len < 16 || pk->payload[0] < 'A' || pk->payload[0] > 'Z')
        return;
    message(a, pk->payload, pk->payload_len);
}

const struct pc_sipmedia_entry *pc_sipmedia_find(const struct pc_analyzer *a,
                                                 const struct stream *s)
{
    const struct udpflow *f;
    const struct pc_sipmedia_entry *e;

    if (a->sipmedia == NULL || s->k.via != VIA_DIRECT || s->k.flow >= a->n_udp)
        return NULL;
    f = &a->udp[s->k.flow];
    e = find(a->sipmedia, f->k.family, f->k.dst, f->k.dport, (uint8_t)s->pt);
    if (e == NULL) /* symmetric RTP: the sender's own offer names the port it sends from */
        e = find(a->sipmedia, f->k.family, f->k.src, f->k.sport, (uint8_t)s->pt);
    return e;
}

unsigned pc_sipmedia_rate(const struct pc_analyzer *a, const struct stream *s)
{
    const struct pc_sipmedia_entry *e = pc_sipmedia_find(a, s);

    return e != NULL ? e->rate : 0;
}
