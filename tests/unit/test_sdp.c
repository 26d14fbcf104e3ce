/*
 * test_sdp.c - the SIP/SDP parser (src/analyze/sdp.c): what it reads out of
 * an offer (kinds, addresses, ports, payload types with codec and clock
 * rate, the named helpers telephone-event, RED, FEC and RTX), the session
 * address standing for media without their own, the compact Content-Type,
 * and what it refuses.
 */
#include <string.h>

#include "analyze/sdp.h"
#include "check.h"
#include "precall/err.h"

static int parse(const char *text, struct pc_sdp *s)
{
    return pc_sip_sdp_parse((const uint8_t *)text, strlen(text), s);
}

static const struct pc_sdp_pt *pt_of(const struct pc_sdp_media *m, int pt)
{
    for (int i = 0; i < m->n_pt; i++)
        if (m->pt[i].pt == pt)
            return &m->pt[i];
    return NULL;
}

static void offer(void)
{
    static const char msg[] = "INVITE sip:bob@example.org SIP/2.0\r\n"
                              "Via: SIP/2.0/UDP 10.0.0.5:5060\r\n"
                              "Content-Type: application/sdp\r\n"
                              "\r\n"
                              "v=0\r\n"
                              "o=- 1 1 IN IP4 10.0.0.5\r\n"
                              "c=IN IP4 10.0.0.5\r\n"
                              "m=audio 40000 RTP/AVP 96 0 101 100\r\n"
                              "a=rtpmap:96 opus/48000/2\r\n"
                              "a=rtpmap:101 telephone-event/8000\r\n"
                              "a=rtpmap:100 RED/48000\r\n"
                              "m=video 40002/2 RTP/AVPF 97 98 99\r\n"
                              "c=IN IP6 2001:db8::5\r\n"
                              "a=rtpmap:97 H264/90000\r\n"
                              "a=rtpmap:98 rtx/90000\r\n"
                              "a=rtpmap:99 ulpfec/90000\r\n"
                              "m=audio 0 RTP/AVP 8\r\n";
    static const uint8_t v4[16] = {10, 0, 0, 5};
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5};
    struct pc_sdp s;
    const struct pc_sdp_pt *t;

    CHECK(parse(msg, &s) == 0);
    CHECK(s.n_media == 3);
    CHECK(strcmp(s.media[0].kind, "audio") == 0);
    CHECK(s.media[0].family == 4 && memcmp(s.media[0].addr, v4, 16) == 0);
    CHECK(s.media[0].port == 40000);
    CHECK(s.media[0].n_pt == 4);
    CHECK((t = pt_of(&s.media[0], 96)) != NULL && t->rate == 48000 && strcmp(t->name, "opus") == 0);
    /* a static payload type without rtpmap: RFC 3551's rate, no name */
    CHECK((t = pt_of(&s.media[0], 0)) != NULL && t->rate == 8000 && t->name[0] == '\0');
    CHECK((t = pt_of(&s.media[0], 101)) != NULL && t->rate == 8000 &&
          strcmp(t->name, "telephone-event") == 0);
    CHECK((t = pt_of(&s.media[0], 100)) != NULL && strcmp(t->name, "red") == 0); /* lower case */
    CHECK(strcmp(s.media[1].kind, "video") == 0 && s.media[1].port == 40002);
    CHECK(s.media[1].family == 6 && memcmp(s.media[1].addr, v6, 16) == 0);
    CHECK((t = pt_of(&s.media[1], 97)) != NULL && t->rate == 90000 && strcmp(t->name, "h264") == 0);
    CHECK((t = pt_of(&s.media[1], 98)) != NULL && strcmp(t->name, "rtx") == 0);
    CHECK((t = pt_of(&s.media[1], 99)) != NULL && strcmp(t->name, "ulpfec") == 0);
    /* a refused stream (port 0) is listed; the table leaves it out */
    CHECK(s.media[2].port == 0 && s.media[2].family == 4);
}

static void answer_compact(void)
{
    struct pc_sdp s;

    /* LF line ends, compact "c:" Content-Type, the session's c= after m= only for that m= */
    CHECK(parse("SIP/2.0 200 OK\nc: application/sdp\n\nv=0\nc=IN IP4 192.0.2.7\n"
                "m=audio 50000 RTP/AVP 8\n",
                &s) == 0);
    CHECK(s.n_media == 1 && s.media[0].port == 50000 && s.media[0].addr[0] == 192 &&
          s.media[0].addr[3] == 7 && s.media[0].pt[0].rate == 8000);
}

static void refused(void)
{
    struct pc_sdp s;

    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Type: application/sdp\r\n\r\nm=audio 1 RTP/AVP 0\r\n",
                &s) == PC_EDATA);
    CHECK(parse("INVITE sip:a SIP/2.0\r\nContent-Type: text/plain\r\n\r\nm=audio 1 RTP/AVP 0\r\n",
                &s) == PC_EDATA);
    CHECK(parse("SIP/2.0 180 Ringing\r\nContent-Type: application/sdp\r\n\r\n", &s) == PC_EDATA);
    CHECK(s.n_media == 0);
    /* a port beyond 65535 and a payload type beyond 127 are not read as numbers */
    CHECK(parse("SIP/2.0 200 OK\r\nContent-Type: application/sdp\r\n\r\nm=audio 65536 RTP/AVP 0\r\n"
                "m=audio 65535 RTP/AVP 128 127\r\n",
                &s) == 0);
    CHECK(s.n_media == 1 && s.media[0].port == 65535 && s.media[0].n_pt == 1 &&
          s.media[0].pt[0].pt == 127);
}

int main(void)
{
    offer();
    answer_compact();
    refused();
    return check_done();
}
