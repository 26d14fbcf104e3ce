/*
 * test_rtp.c - the RTP/RTCP/TURN codecs and the RFC 3550 statistics:
 * header parsing (CSRC, extension, padding), RFC 5761 demultiplexing,
 * extended sequence numbers across the wrap (A.1), duplicates and
 * reordering, interarrival jitter (A.8) with values worked by hand, SR and
 * RR parsing, ChannelData and Send/Data indications (RFC 8656).
 */
#include <string.h>

#include "check.h"
#include "precall/err.h"
#include "precall/rtp.h"

static void header(void)
{
    /* V=2 P=0 X=0 CC=0, M=1 PT=0, seq 0x1234, ts 0xdeadbeef, ssrc 0x01020304, 4 bytes payload */
    const uint8_t a[] = {0x80, 0x80, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef,
                         0x01, 0x02, 0x03, 0x04, 1,    2,    3,    4};
    /* CC=1, X=1 with one word, P=1 with 2 pad bytes */
    const uint8_t b[] = {0xB1, 0x60, 0,    1,    0, 0, 0, 9, 0, 0, 0,    7,    0xAA, 0xAA,
                         0xAA, 0xAA, 0xBE, 0xDE, 0, 1, 1, 2, 3, 4, 0x55, 0x55, 0,    2};
    struct pc_rtp_hdr h;
    uint8_t bad[sizeof(b)];

    CHECK(pc_rtp_parse(a, sizeof(a), &h) == 0);
    CHECK(h.version == 2 && h.marker == 1 && h.payload_type == 0 && h.seq == 0x1234);
    CHECK(h.timestamp == 0xdeadbeefu && h.ssrc == 0x01020304u);
    CHECK(h.header_bytes == 12 && h.payload_bytes == 4);
    CHECK(pc_rtp_parse(b, sizeof(b), &h) == 0);
    CHECK(h.csrc_count == 1 && h.extension == 1 && h.padding == 1 && h.payload_type == 96);
    CHECK(h.header_bytes == 24 && h.payload_bytes == 2);
    /* truncated in the extension, version 1, padding longer than the payload */
    CHECK(pc_rtp_parse(b, 20, &h) == PC_EDATA && h.ssrc == 0);
    memcpy(bad, a, sizeof(a));
    bad[0] = 0x40;
    CHECK(pc_rtp_parse(bad, sizeof(a), &h) == PC_EDATA);
    memcpy(bad, b, sizeof(b));
    bad[sizeof(b) - 1] = 5;
    CHECK(pc_rtp_parse(bad, sizeof(b), &h) == PC_EDATA);
    memcpy(bad, b, sizeof(b));
    bad[sizeof(b) - 1] = 0;
    CHECK(pc_rtp_parse(bad, sizeof(b), &h) == PC_EDATA);
    CHECK(pc_rtp_parse(a, 11, &h) == PC_EDATA);
    CHECK(pc_rtp_parse(a, 0, &h) == PC_EDATA);
    /* RFC 5761 4: 192..223 is RTCP */
    CHECK(!pc_rtp_is_rtcp(a, sizeof(a)));
    {
        uint8_t rr[8] = {0x80, 201, 0, 1, 0, 0, 0, 1};
        CHECK(pc_rtp_is_rtcp(rr, sizeof(rr)));
        rr[1] = 224;
        CHECK(!pc_rtp_is_rtcp(rr, sizeof(rr)));
    }
    CHECK(pc_rtp_static_clock(0) == 8000 && pc_rtp_static_clock(9) == 8000);
    CHECK(pc_rtp_static_clock(26) == 90000 && pc_rtp_static_clock(96) == 0);
    CHECK(pc_rtp_static_video(34) && !pc_rtp_static_video(8));
}

static void sequence(void)
{
    struct pc_rtp_seq s = {0};
    uint32_t e0, e;

    /* A.1: across the wrap the extended number keeps counting. */
    e0 = pc_rtp_seq_update(&s, 65533);
    pc_rtp_seq_update(&s, 65534);
    pc_rtp_seq_update(&s, 65535);
    e = pc_rtp_seq_update(&s, 0);
    CHECK(e == e0 + 3);
    e = pc_rtp_seq_update(&s, 1);
    CHECK(e == e0 + 4);
    CHECK(pc_rtp_seq_expected(&s) == 5 && pc_rtp_seq_lost(&s) == 0 && s.seq_errors == 0);
    /* lose 2 and 3, then 3 arrives late, then 4 twice */
    pc_rtp_seq_update(&s, 4);
    pc_rtp_seq_update(&s, 3);
    pc_rtp_seq_update(&s, 4);
    CHECK(pc_rtp_seq_expected(&s) == 8);
    CHECK(s.received == 8 && s.duplicates == 1 && s.reordered == 1);
    CHECK(pc_rtp_seq_lost(&s) == 1);
    CHECK(s.seq_errors == 3); /* the jump, the late 3, the repeated 4 */
    /* a second wrap, with loss across it */
    for (uint32_t i = 5; i < 65536 + 10; i += 1)
        if (i != 65535 && i != 65536)
            pc_rtp_seq_update(&s, (uint16_t)i);
    CHECK(pc_rtp_seq_expected(&s) == 65549); /* 65533 .. 65535, then 0 .. 65545 */
    CHECK(pc_rtp_seq_lost(&s) == 3);         /* 2, and 65535 and 0 of the second cycle */
    CHECK(s.ext_max == e0 + 3 + 65545);

    /* a packet from before the first extends the range down */
    memset(&s, 0, sizeof(s));
    pc_rtp_seq_update(&s, 10);
    pc_rtp_seq_update(&s, 11);
    pc_rtp_seq_update(&s, 9);
    CHECK(pc_rtp_seq_expected(&s) == 3 && pc_rtp_seq_lost(&s) == 0 && s.reordered == 1);
    /* a duplicate of the highest */
    pc_rtp_seq_update(&s, 11);
    CHECK(s.duplicates == 1 && pc_rtp_seq_lost(&s) == 0);
    /* a duplicate far back in the window (1000 behind) */
    memset(&s, 0, sizeof(s));
    for (unsigned i = 0; i <= 1000; i++)
        pc_rtp_seq_update(&s, (uint16_t)i);
    pc_rtp_seq_update(&s, 0);
    CHECK(s.duplicates == 1 && s.reordered == 0 && pc_rtp_seq_lost(&s) == 0);
}

static void jitter(void)
{
    struct pc_rtp_jitter j = {0};
    const int64_t ms = 1000000;

    /* 20 ms packets at 8000 Hz (160 units); the second arrives 5 ms late. */
    CHECK_NEAR(pc_rtp_jitter_update(&j, 0, 1000, 8000), 0, 1e-12);
    CHECK_NEAR(pc_rtp_jitter_update(&j, 25 * ms, 1160, 8000), 5.0 / 16, 1e-12);
    /* D = (40 - 25) - 20 = -5: J = 0.3125 + (5 - 0.3125) / 16 */
    CHECK_NEAR(pc_rtp_jitter_update(&j, 40 * ms, 1320, 8000), 0.60546875, 1e-12);
    /* on time: D = 0, J = J * 15/16 */
    CHECK_NEAR(pc_rtp_jitter_update(&j, 60 * ms, 1480, 8000), 0.60546875 * 15 / 16, 1e-12);
    /* timestamp wrap: 0xFFFFFF60 + 160 = 0 */
    memset(&j, 0, sizeof(j));
    pc_rtp_jitter_update(&j, 0, 0xFFFFFF60u, 8000);
    CHECK_NEAR(pc_rtp_jitter_update(&j, 20 * ms, 0, 8000), 0, 1e-12);
    /* 90 kHz video: 3000 units = 33.333 ms, arrival 43.333 ms: |D| = 10, J = 0.625 */
    memset(&j, 0, sizeof(j));
    pc_rtp_jitter_update(&j, 0, 0, 90000);
    CHECK_NEAR(pc_rtp_jitter_update(&j, 43333333, 3000, 90000), 10.0 / 16, 1e-5);
    /* unknown clock: no estimate */
    memset(&j, 0, sizeof(j));
    CHECK_NEAR(pc_rtp_jitter_update(&j, 0, 0, 0), 0, 0);
    CHECK(!j.started);
}

static void rtcp(void)
{
    /* SR (ssrc 0x11111111, NTP 0x0000000100000002, rtp ts 3, 4 packets, 5 octets, 1 block)
     * + SDES, compound */
    const uint8_t sr[] = {0x81, 200, 0,    12,   0x11, 0x11, 0x11, 0x11, 0,    0,    0,    1,
                          0,    0,   0,    2,    0,    0,    0,    3,    0,    0,    0,    4,
                          0,    0,   0,    5,    0x22, 0x22, 0x22, 0x22, 0x0A, 0xFF, 0xFF, 0xFE,
                          0,    1,   0x00, 0x10, 0,    0,    0,    7,    0,    0,    0,    8,
                          0,    0,   0,    9,    0x81, 202,  0,    1,    0x11, 0x11, 0x11, 0x11};
    /* RR from 0x33333333 about 0x44444444: 25 % lost, 1000 cumulative, jitter 160 */
    const uint8_t rr[] = {0x81, 201,  0, 7,    0x33, 0x33, 0x33, 0x33, 0x44, 0x44, 0x44,
                          0x44, 0x40, 0, 0x03, 0xE8, 0,    0,    0x10, 0,    0,    0,
                          0,    160,  0, 0,    0,    0,    0,    0,    0,    0};
    struct pc_rtcp_info in;
    uint8_t bad[sizeof(rr)];

    CHECK(pc_rtcp_parse(sr, sizeof(sr), &in) == 0);
    CHECK(in.n_packets == 2 && in.has_sr && in.sr_ssrc == 0x11111111u);
    CHECK(in.sr_ntp == 0x0000000100000002ull && in.sr_rtp_ts == 3);
    CHECK(in.sr_packets == 4 && in.sr_octets == 5 && in.n_blocks == 1);
    CHECK(in.blocks[0].reporter == 0x11111111u && in.blocks[0].ssrc == 0x22222222u);
    CHECK(in.blocks[0].fraction_lost == 10 && in.blocks[0].cumulative_lost == -2);
    CHECK(in.blocks[0].ext_highest_seq == 0x00010010u && in.blocks[0].jitter == 7);
    CHECK(pc_rtcp_parse(rr, sizeof(rr), &in) == 0);
    CHECK(!in.has_sr && in.n_blocks == 1 && in.blocks[0].reporter == 0x33333333u);
    CHECK(in.blocks[0].fraction_lost == 64 && in.blocks[0].cumulative_lost == 1000);
    CHECK(in.blocks[0].jitter == 160);
    /* a length past the end, a block count past the packet, version 1 */
    CHECK(pc_rtcp_parse(rr, sizeof(rr) - 4, &in) == PC_EDATA && in.n_blocks == 0);
    memcpy(bad, rr, sizeof(rr));
    bad[0] = 0x82;
    CHECK(pc_rtcp_parse(bad, sizeof(bad), &in) == PC_EDATA);
    bad[0] = 0x41;
    CHECK(pc_rtcp_parse(bad, sizeof(bad), &in) == PC_EDATA);
    CHECK(pc_rtcp_parse(rr, 0, &in) == PC_EDATA);
}

static void turn(void)
{
    const uint8_t cd[] = {0x40, 0x01, 0, 5, 1, 2, 3, 4, 5, 0, 0, 0};
    /* Data indication: XOR-PEER-ADDRESS 198.18.0.2:5004, DATA 2 bytes */
    uint8_t ind[] = {0x00, 0x17, 0, 20, 0x21, 0x12, 0xA4, 0x42, 1,    2,    3, 4, 5, 6,
                     7,    8,    9, 10, 11,   12,   0,    0x12, 0,    8,    0, 1, 0, 0,
                     0,    0,    0, 0,  0,    0x13, 0,    2,    0xAB, 0xCD, 0, 0};
    const uint8_t peer[4] = {198, 18, 0, 2};
    struct pc_turn_indication ti;
    const uint8_t *data;
    size_t n;
    uint16_t ch;

    CHECK(pc_turn_channel_data(cd, sizeof(cd), &ch, &data, &n) == 0);
    CHECK(ch == 0x4001 && n == 5 && data == cd + 4);
    CHECK(pc_turn_channel_data(cd, 8, &ch, &data, &n) == PC_EDATA && data == NULL);
    CHECK(pc_turn_channel_data(cd, 9, &ch, &data, &n) == 0);
    {
        uint8_t c2[sizeof(cd)];
        memcpy(c2, cd, sizeof(cd));
        c2[0] = 0x50;
        CHECK(pc_turn_channel_data(c2, sizeof(c2), &ch, &data, &n) == PC_EDATA);
    }
    ind[26] = (uint8_t)(5004 >> 8) ^ 0x21;
    ind[27] = (uint8_t)(5004 & 0xFF) ^ 0x12;
    ind[28] = 198 ^ 0x21;
    ind[29] = 18 ^ 0x12;
    ind[30] = 0 ^ 0xA4;
    ind[31] = 2 ^ 0x42;
    CHECK(pc_rtp_looks_stun(ind, sizeof(ind)));
    CHECK(pc_turn_indication(ind, sizeof(ind), &ti) == 0);
    CHECK(ti.is_data && ti.family == 4 && ti.peer_port == 5004);
    CHECK(memcmp(ti.peer_addr, peer, 4) == 0);
    CHECK(ti.data_len == 2 && ti.data[0] == 0xAB && ti.data[1] == 0xCD);
    /* Send indication */
    ind[1] = 0x16;
    CHECK(pc_turn_indication(ind, sizeof(ind), &ti) == 0 && !ti.is_data);
    /* a Binding request is not an indication; a short message is refused */
    ind[0] = 0, ind[1] = 1;
    CHECK(pc_turn_indication(ind, sizeof(ind), &ti) == PC_EDATA && ti.data == NULL);
    CHECK(pc_turn_indication(ind, 30, &ti) == PC_EDATA);
}

int main(void)
{
    header();
    sequence();
    jitter();
    rtcp();
    turn();
    return check_done();
}
