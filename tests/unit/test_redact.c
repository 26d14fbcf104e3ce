/*
 * test_redact.c - --redact's pseudonyms (src/core/redact.c), table-driven:
 * addresses found in free text and replaced with their family kept, the
 * same address always the same pseudonym and different ones different
 * (also IPv6 of one prefix and one address written two ways), what is not
 * an address left alone, host names in texts and URLs, and every text field
 * of a report transformed once.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precall/redact.h"
#include "precall/render.h"
#include "precall/report.h"

struct text_case {
    const char *in, *out;
};

/* One map for the whole table: pseudonyms are numbered in the order first seen. */
static const struct text_case texts[] = {
    {"198.18.0.1:40000>198.18.0.2:5004/0x11223344", "ipv4-1:40000>ipv4-2:5004/0x11223344"},
    {"audio from 198.18.0.2:5004 to 198.18.0.1:40000", "audio from ipv4-2:5004 to ipv4-1:40000"},
    {"mapped 203.0.113.7:40211", "mapped ipv4-3:40211"},
    {"[2001:2::1]:50000>[2001:2::2]:50002", "[ipv6-1]:50000>[ipv6-2]:50002"},
    /* the same addresses written out in full, and at the end of a sentence */
    {"2001:0002:0000::0001 and 2001:2:0:0:0:0:0:2.", "ipv6-1 and ipv6-2."},
    {"from 2001:2::1.", "from ipv6-1."},
    {"::ffff:198.18.0.9 mapped", "ipv6-3 mapped"},
    {"fe80::1%eth0", "ipv6-4%eth0"},
    /* not addresses */
    {"at 14:03:04 UTC", "at 14:03:04 UTC"},
    {"precall 0.1.0, 10.0 s, 1.2.3", "precall 0.1.0, 10.0 s, 1.2.3"},
    {"version 1.2.3.4.5 and 256.1.1.1 and 01.2.3.4567",
     "version 1.2.3.4.5 and 256.1.1.1 and 01.2.3.4567"},
    {"a :: b, SSRC 0xdeadbeef, PT 96", "a :: b, SSRC 0xdeadbeef, PT 96"},
    {"x198.18.0.1", "x198.18.0.1"},
    /* host names learnt from URLs, then wherever they are */
    {"https://speed.example.net:8443/__down", "https://host-1:8443/__down"},
    {"speed.example.net answered; Speed.Example.Net too", "host-1 answered; host-1 too"},
    {"speed.example.network is another", "speed.example.network is another"},
    {"http://198.18.1.1/x", "http://ipv4-4/x"},
};

static void test_texts(void)
{
    struct pc_redact *m = pc_redact_new();
    char out[200];

    CHECK(m != NULL);
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        CHECK(pc_redact_text(m, texts[i].in, out, sizeof(out)) == 0);
        if (strcmp(out, texts[i].out) != 0) {
            fprintf(stderr, "redact '%s': '%s', expected '%s'\n", texts[i].in, out, texts[i].out);
            CHECK(0);
        }
    }
    /* A learnt name, and one too short or that is an address, not a name. */
    CHECK(pc_redact_name(m, "stun.example.org") == 0);
    CHECK(pc_redact_name(m, "198.18.0.1") == 0);
    CHECK(pc_redact_text(m, "stun.example.org:3478 and 198.18.0.1", out, sizeof(out)) == 0);
    CHECK(strcmp(out, "host-2:3478 and ipv4-1") == 0);
    /* A field too small is cut, never overrun. */
    CHECK(pc_redact_text(m, "from 198.18.0.1:40000 to 198.18.0.2:5004", out, 12) == 0);
    CHECK(strlen(out) == 11);
    pc_redact_free(m);
    pc_redact_free(NULL);
}

/* A report of an analysis and of a check, each text field holding an address or a name. */
static void test_report(void)
{
    struct pc_report *r = pc_report_new();
    struct pc_redact *m = pc_redact_new();
    struct pc_probe_result *p = pc_report_probe(r, "udp");
    struct pc_target t = {"stun", "stun.example.org", "198.18.1.2", 3478,
                          "mapped 198.18.0.1:40211"};
    int s = pc_report_scope(r, PC_SCOPE_STREAM, "198.18.0.1:40000>198.18.0.2:5004/0x1",
                            "audio from 198.18.0.1:40000 to 198.18.0.2:5004");
    int v6 = pc_report_scope(r, PC_SCOPE_STREAM, "[2001:2::1]:5000>[2001:2::2]:5002/0x2",
                             "video from [2001:2::1]:5000 to [2001:2::2]:5002");
    int v6b = pc_report_scope(r, PC_SCOPE_STREAM, "[2001:2::2]:5002>[2001:2::1]:5000/0x3",
                              "video from [2001:2::2]:5002 to [2001:2::1]:5000");

    CHECK(s > 0 && v6 > 0 && v6b > 0);
    pc_report_add_target(r, p, &t);
    pc_report_finish(r, p, PC_STATUS_OK, "", "stun.example.org (198.18.1.2) answered");
    snprintf(p->method, sizeof(p->method), "binding requests to 198.18.1.2 port 3478");
    snprintf(p->subject, sizeof(p->subject), "stun.example.org port 3478");
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_PUBLIC_ADDRESS, "198.18.0.1");
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_WIFI_SSID, "Clinic Guest");
    pc_report_set_text(r, (size_t)s, PC_M_STREAM_SOURCE, "198.18.0.1:40000");
    r->n_advice = 1;
    r->advice[0].id = "stream-loss";
    snprintf(r->advice[0].text, sizeof(r->advice[0].text),
             "The audio from 198.18.0.1:40000 to 198.18.0.2:5004 lost 6.8 %% of its packets.");
    snprintf(r->advice[0].cause, sizeof(r->advice[0].cause), "the server stun.example.org");
    r->n_risks = 1;
    r->risks[0].id = "bufferbloat";
    r->risks[0].metric = PC_M_JITTER_MS;
    r->risks[0].advice = "Pause uploads during the session.";
    snprintf(r->risks[0].text, sizeof(r->risks[0].text),
             "to 198.18.0.2 it may drop on the Wi-Fi Clinic Guest");
    snprintf(r->headline, sizeof(r->headline), "Not ready: nothing answers at 198.18.1.2");
    snprintf(r->servers, sizeof(r->servers), "stun.example.org:3478, https://198.18.1.1:8443");

    CHECK(pc_redact_report(m, r) == 0);
    /* The learnt name first (host-1); addresses in the order the fields are walked. */
    CHECK(strcmp(r->scopes[s]->id, "ipv4-1:40000>ipv4-2:5004/0x1") == 0);
    CHECK(strcmp(r->scopes[s]->label, "audio from ipv4-1:40000 to ipv4-2:5004") == 0);
    CHECK(strcmp(r->scopes[v6]->id, "[ipv6-1]:5000>[ipv6-2]:5002/0x2") == 0);
    CHECK(strcmp(r->scopes[v6]->label, "video from [ipv6-1]:5000 to [ipv6-2]:5002") == 0);
    CHECK(strcmp(r->scopes[v6b]->id, "[ipv6-2]:5002>[ipv6-1]:5000/0x3") == 0);
    CHECK(strcmp(pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_PUBLIC_ADDRESS)->text, "ipv4-1") == 0);
    CHECK(strcmp(pc_report_get(r, (size_t)s, PC_M_STREAM_SOURCE)->text, "ipv4-1:40000") == 0);
    CHECK(strcmp(p->targets[0].host, "host-1") == 0);
    CHECK(strcmp(p->targets[0].address, "ipv4-3") == 0);
    CHECK(strcmp(p->targets[0].detail, "mapped ipv4-1:40211") == 0);
    CHECK(strcmp(p->reason, "host-1 (ipv4-3) answered") == 0);
    CHECK(strcmp(p->method, "binding requests to ipv4-3 port 3478") == 0);
    CHECK(strcmp(p->subject, "host-1 port 3478") == 0);
    CHECK(strcmp(r->advice[0].text,
                 "The audio from ipv4-1:40000 to ipv4-2:5004 lost 6.8 % of its packets.") == 0);
    CHECK(strcmp(r->advice[0].cause, "the server host-1") == 0);
    CHECK(strcmp(r->risks[0].text, "to ipv4-2 it may drop on the Wi-Fi wifi-1") == 0);
    CHECK(strcmp(pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_WIFI_SSID)->text, "wifi-1") == 0);
    /* No format shows a name or an address that was replaced. */
    for (size_t i = 0; pc_renderer_get(i) != NULL; i++) {
        struct pc_render_opts ro = {1, 0, 0, "test"};
        struct pc_buf b = {0};

        pc_renderer_get(i)->render(r, &ro, &b);
        CHECK(!b.failed && b.len > 0);
        CHECK(b.data != NULL && strstr(b.data, "Clinic Guest") == NULL);
        CHECK(b.data != NULL && strstr(b.data, "198.18.") == NULL);
        CHECK(b.data != NULL && strstr(b.data, "stun.example.org") == NULL);
        pc_buf_free(&b);
    }
    CHECK(strcmp(r->headline, "Not ready: nothing answers at ipv4-3") == 0);
    CHECK(strcmp(r->servers, "host-1:3478, https://ipv4-4:8443") == 0);
    /* Scopes stay distinct and findable by their new ids. */
    CHECK(pc_report_scope_find(r, PC_SCOPE_STREAM, "ipv4-1:40000>ipv4-2:5004/0x1") == s);
    pc_redact_free(m);
    pc_report_free(r);
}

int main(void)
{
    test_texts();
    test_report();
    return check_done();
}
