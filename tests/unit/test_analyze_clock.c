/*
 * test_analyze_clock.c - the analyzer's clock jumps (precall/analyze.h:
 * PC_CLOCK_JUMP_BACK_NS, PC_CLOCK_JUMP_FWD_NS) on both sides of each limit,
 * what a stream measures across a jump (nothing), and the stream key that
 * is hashed as bytes (zeroed whole, no padding). White-box: it reads the
 * analyzer's state through src/analyze/analyzer.h.
 */
#include <pcap/dlt.h>
#include <string.h>

#include "analyze/analyzer.h"
#include "check.h"

#define MS    1000000LL
#define T0_NS (1705327380LL * 1000000000LL) /* 2024-01-15 14:03:00 UTC */

/* One raw IPv4/UDP/RTP frame of a PCMU stream (PT 0, 20 ms, 160 bytes of payload). */
static void send(struct pc_analyzer *a, int64_t t_ns, int i)
{
    uint8_t f[20 + 8 + 12 + 160] = {0x45};
    uint16_t seq = (uint16_t)(100 + i);
    uint32_t ts = 160u * (uint32_t)i;

    f[2] = sizeof(f) >> 8, f[3] = sizeof(f) & 0xFF;
    f[8] = 64, f[9] = 17;
    f[12] = 198, f[13] = 18, f[14] = 0, f[15] = 1;
    f[16] = 198, f[17] = 18, f[18] = 0, f[19] = 2;
    f[20] = 40000 >> 8, f[21] = 40000 & 0xFF, f[22] = 5004 >> 8, f[23] = 5004 & 0xFF;
    f[24] = (8 + 12 + 160) >> 8, f[25] = (8 + 12 + 160) & 0xFF;
    f[28] = 0x80, f[29] = 0;
    f[30] = (uint8_t)(seq >> 8), f[31] = (uint8_t)seq;
    f[32] = (uint8_t)(ts >> 24), f[33] = (uint8_t)(ts >> 16), f[34] = (uint8_t)(ts >> 8);
    f[35] = (uint8_t)ts;
    f[36] = 0x11, f[37] = 0x22, f[38] = 0x33, f[39] = 0x44;
    memset(f + 40, 0xD5, 160);
    pc_analyzer_frame(a, DLT_RAW, t_ns, f, sizeof(f));
}

/*
 * 20 packets at 20 ms, then one step of the given size, then 20 more at
 * 20 ms: the jumps seen, and the stream's largest gap and jitter maximum.
 */
static void step(int64_t step_ns, uint32_t *jumps, double *gap_ms, double *jitter_max_ms)
{
    struct pc_analyzer *a = pc_analyzer_new(NULL);
    int64_t t = T0_NS;

    for (int i = 0; i < 40; i++) {
        send(a, t, i);
        t += i == 19 ? step_ns : 20 * MS;
    }
    *jumps = a->clock_epoch;
    CHECK(a->n_streams == 1 && a->streams[0].confirmed && a->streams[0].n_rates == 1);
    *gap_ms = a->streams[0].gap_max_ms;
    *jitter_max_ms = a->streams[0].jit[0].max;
    CHECK(a->first_ns == T0_NS || step_ns > -PC_CLOCK_JUMP_BACK_NS - 1); /* never 1970 */
    pc_analyzer_free(a);
}

static void limits(void)
{
    uint32_t jumps;
    double gap, jit;

    /* back by exactly 10 s: time (reordered capture), not a jump; scored as it is */
    step(-PC_CLOCK_JUMP_BACK_NS, &jumps, &gap, &jit);
    CHECK(jumps == 0);
    CHECK(jit > 100);
    /* back by 10 s and 1 ns: a jump; nothing measured across it */
    step(-PC_CLOCK_JUMP_BACK_NS - 1, &jumps, &gap, &jit);
    CHECK(jumps == 1);
    CHECK_NEAR(gap, 20.0, 1e-9);
    CHECK_NEAR(jit, 0.0, 1e-9);
    /* forward by exactly 1 hour: a pause of the stream, measured */
    step(PC_CLOCK_JUMP_FWD_NS, &jumps, &gap, &jit);
    CHECK(jumps == 0);
    CHECK_NEAR(gap, 3600000.0, 1e-6);
    /* forward by 1 hour and 1 ns: a jump */
    step(PC_CLOCK_JUMP_FWD_NS + 1, &jumps, &gap, &jit);
    CHECK(jumps == 1);
    CHECK_NEAR(gap, 20.0, 1e-9);
    CHECK_NEAR(jit, 0.0, 1e-9);
    /* to 1970 and back: two jumps, still nothing absurd */
    step(-T0_NS, &jumps, &gap, &jit);
    CHECK(jumps == 1);
    CHECK_NEAR(gap, 20.0, 1e-9);
}

/* A packet stamped 1970 in the middle: jumps back and forward again, the stream stays whole. */
static void one_bad_stamp(void)
{
    struct pc_analyzer *a = pc_analyzer_new(NULL);

    for (int i = 0; i < 50; i++)
        send(a, i == 25 ? 0 : T0_NS + i * 20 * MS, i);
    CHECK(a->clock_epoch == 2);
    CHECK(a->first_ns == T0_NS);
    CHECK(a->last_ns == T0_NS + 47 * 20 * MS); /* the two jumps took 2 steps out */
    CHECK_NEAR(a->streams[0].gap_max_ms, 20.0, 1e-9);
    CHECK_NEAR(a->streams[0].jit[0].max, 0.0, 1e-9);
    CHECK(a->streams[0].seq.received == 50);
    pc_analyzer_free(a);
}

/* The stream key is hashed and compared as bytes: built zeroed whole, whatever the memory held. */
static void stream_key(void)
{
    struct skey k1, k2;
    const uint8_t *b = (const uint8_t *)&k1;
    int other = 0;

    memset(&k1, 0xAA, sizeof(k1));
    memset(&k2, 0x55, sizeof(k2));
    pc_stream_key(&k1, 7);
    pc_stream_key(&k2, 7);
    CHECK(memcmp(&k1, &k2, sizeof(k1)) == 0);
    CHECK(k1.flow == 7);
    for (size_t i = 0; i < sizeof(k1); i++)
        other += i >= offsetof(struct skey, flow) + sizeof(k1.flow) && b[i] != 0;
    CHECK(other == 0);
    CHECK(sizeof(struct skey) == 32);
}

int main(void)
{
    limits();
    one_bad_stamp();
    stream_key();
    return check_done();
}
