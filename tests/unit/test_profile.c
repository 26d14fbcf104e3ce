/* test_profile.c - built-in profiles, and errors that name the line and the key. */
#include <string.h>

#include "check.h"
#include "precall/profile.h"

struct bad {
    const char *text;
    const char *expect; /* a substring of the message */
};

static const struct bad bad[] = {
    {"{\n  \"name\": \"x\",\n  \"thresholds\": {\n    \"rtt_avg_ms\": {\"hd\": 100}\n  }\n}\n",
     "x.json:4: rtt_avg_ms: unknown metric"},
    {"{\n  \"name\": \"x\",\n  \"thresholds\": {\n    \"jitter_ms\": {\n      \"hd\": 10,\n"
     "      \"ultra\": 5\n    }\n  }\n}\n",
     "x.json:6: jitter_ms.ultra: unknown tier"},
    {"{\n  \"name\": \"x\",\n  \"thresholds\": {\n    \"loss_pct\": {\"hd\": \"1\"}\n  }\n}\n",
     "x.json:4: loss_pct.hd: expected a number"},
    {"{\n  \"name\": \"x\",\n  \"thresholds\": {\n    \"udp_reachable\": {\"hd\": 1}\n  }\n}\n",
     "x.json:4: udp_reachable.hd: expected true or false"},
    {"{\n  \"name\": \"x\",\n  \"thresholds\": {\n    \"rtt_median_ms\": {\"hd\": 300,\n"
     "                      \"sd\": 100}\n  }\n}\n",
     "x.json:4: rtt_median_ms.hd: the hd limit must be at least as strict as the sd limit"},
    {"{\n  \"name\": \"x\",\n  \"thresholds\": {\n    \"r_factor\": {\"audio\": 80, \"sd\": 70}\n"
     "  }\n}\n",
     "x.json:4: r_factor.sd: the sd limit must be at least as strict"},
    {"{\n  \"name\": \"x\",\n  \"thresholds\": {}\n,\n  \"extra\": 1\n}\n",
     "x.json:5: extra: unknown key"},
    {"{\n  \"thresholds\": {}\n}\n", "x.json:1: name:"},
    {"{\n  \"name\": \"x\",\n  \"thresholds\": {\n    \"rtt_median_ms\": {\"hd\": 100,}\n  }\n}\n",
     "x.json:4: invalid JSON"},
    {"{\n  \"name\": \"x\",\n  \"thresholds\": {\n    \"public_address\": {\"hd\": 1}\n  }\n}\n",
     "x.json:4: public_address: this metric is informational"},
    {"[1, 2]", "x.json:1: expected a JSON object"},
    {"", "x.json:1: invalid JSON"},
};

int main(void)
{
    struct pc_profile p;
    struct pc_err err = {0};
    const char *name, *text;
    size_t n = 0;

    for (size_t i = 0; (text = pc_profile_builtin(i, &name)) != NULL; i++) {
        CHECK(pc_profile_parse(text, strlen(text), name, &p, &err) == 0);
        CHECK(strcmp(p.name, name) == 0);
        n++;
    }
    CHECK(n >= 1);
    CHECK(pc_profile_load("therapy", &p, &err) == 0);
    CHECK(p.has[PC_M_RTT_MEDIAN_MS][PC_TIER_HD] && p.limit[PC_M_RTT_MEDIAN_MS][PC_TIER_HD] == 100);
    CHECK(p.limit[PC_M_JITTER_MS][PC_TIER_SD] == 30);
    CHECK(p.limit[PC_M_LOSS_PCT][PC_TIER_AUDIO] == 10);
    CHECK(p.limit[PC_M_R_FACTOR][PC_TIER_SD] == 70);
    CHECK(!p.has[PC_M_BURST_LOSS_PCT][PC_TIER_AUDIO]);

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = pc_profile_parse(bad[i].text, strlen(bad[i].text), "x.json", &p, &err);

        CHECK(rc == PC_EDATA);
        if (strstr(err.msg, bad[i].expect) == NULL) {
            fprintf(stderr, "case %zu: got '%s', want '%s'\n", i, err.msg, bad[i].expect);
            CHECK(0);
        }
    }
    CHECK(pc_profile_load("nosuch", &p, &err) == PC_EINVAL);
    CHECK(pc_profile_load("/nonexistent/p.json", &p, &err) == PC_ENOENT);
    CHECK(strstr(err.msg, "/nonexistent/p.json") != NULL);
    return check_done();
}
