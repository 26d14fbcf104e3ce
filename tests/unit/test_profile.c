/* test_profile.c - built-in profiles, and errors that name the line and the key. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "precall/clock.h"
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

/* Lines 1-3 of a profile, then the five metrics every profile must limit (lines 4-8). */
#define HEAD   "{\n  \"name\": \"x\",\n  \"thresholds\": {\n"
#define ONLINE "    \"online\": {\"hd\": true, \"sd\": true, \"audio\": true},\n"
#define UDP    "    \"udp_reachable\": {\"hd\": true, \"sd\": true, \"audio\": true},\n"
#define RTT    "    \"rtt_median_ms\": {\"hd\": 100, \"sd\": 250, \"audio\": 400},\n"
#define JITTER "    \"jitter_ms\": {\"hd\": 20, \"sd\": 30, \"audio\": 100},\n"
#define LOSS   "    \"loss_pct\": {\"hd\": 1, \"sd\": 3, \"audio\": 10}\n"
#define TAIL   "  }\n}\n"
#define VALID  HEAD ONLINE UDP RTT JITTER LOSS TAIL

#define VALID_THRESHOLDS_TWICE                                                                     \
    HEAD ONLINE UDP RTT JITTER LOSS "  },\n  \"thresholds\": {\n" ONLINE UDP RTT JITTER LOSS TAIL

/* Profiles that would make a verdict lie, with the whole message expected. */
static const struct bad exact[] = {
    /* text after the object */
    {VALID "  junk\n", "x.json:11: text after the JSON object"},
    {VALID "{}", "x.json:11: text after the JSON object"},
    {"{\"name\": \"x\"} {\"name\": \"y\"}", "x.json:1: text after the JSON object"},
    /* duplicate keys at every level, placed at the second occurrence */
    {"{\n  \"name\": \"x\",\n  \"name\": \"y\",\n  \"thresholds\": {}\n}\n",
     "x.json:3: name: duplicate key (first on line 2)"},
    {HEAD ONLINE UDP RTT JITTER
     "    \"loss_pct\": {\"hd\": 1, \"sd\": 3, \"audio\": 10},\n"
     "    \"jitter_ms\": {\"hd\": 10, \"sd\": 30, \"audio\": 100}\n" TAIL,
     "x.json:9: jitter_ms: duplicate key (first on line 7)"},
    {HEAD ONLINE UDP RTT JITTER
     "    \"loss_pct\": {\"hd\": 1, \"sd\": 3, \"audio\": 10, \"hd\": 0.5}\n" TAIL,
     "x.json:8: loss_pct.hd: duplicate key (first on line 8)"},
    {HEAD ONLINE UDP RTT JITTER
     "    \"loss_pct\": {\"hd\": 1, \"sd\": 3,\n"
     "                 \"audio\": 10,\n                 \"sd\": 2}\n" TAIL,
     "x.json:10: loss_pct.sd: duplicate key (first on line 8)"},
    {VALID_THRESHOLDS_TWICE, "x.json:10: thresholds: duplicate key (first on line 3)"},
    /* the locator is not fooled by the same text inside a string */
    {"{\n  \"description\": \"see \\\"online\\\": below\",\n  \"name\": \"x\",\n"
     "  \"thresholds\": {\n    \"online\": {\"hd\": false}\n  }\n}\n",
     "x.json:5: online.hd: false would let a failed check pass"},
    /* limits outside the values the metric can take */
    {HEAD ONLINE UDP RTT JITTER "    \"loss_pct\": {\"hd\": 150, \"sd\": 3, \"audio\": 10}\n" TAIL,
     "x.json:8: loss_pct.hd: 150 is out of range (0 to 100 %)"},
    {HEAD ONLINE UDP
     "    \"rtt_median_ms\": {\"hd\": -1, \"sd\": 250, \"audio\": 400},\n" JITTER LOSS TAIL,
     "x.json:6: rtt_median_ms.hd: -1 is out of range (0 to 600000 ms)"},
    {HEAD ONLINE UDP "    \"rtt_median_ms\": {\"hd\": 100, \"sd\": 250, \"audio\": "
                     "1.7976931348623157e308},\n" JITTER LOSS TAIL,
     "x.json:6: rtt_median_ms.audio: 1.7976931348623157e308 is out of range (0 to 600000 ms)"},
    {HEAD ONLINE UDP RTT "    \"jitter_ms\": {\"hd\": 1e999}\n" TAIL,
     "x.json:7: jitter_ms.hd: 1e999 is out of range (0 to 600000 ms)"},
    {HEAD "    \"mos\": {\"hd\": 4, \"sd\": 3.5, \"audio\": 0.5}\n" TAIL,
     "x.json:4: mos.audio: 0.5 is out of range (1 to 5)"},
    /* a yes/no reachability limit that lets a failed check pass */
    {HEAD
     "    \"online\": {\"hd\": false, \"sd\": false, \"audio\": false},\n" UDP RTT JITTER LOSS TAIL,
     "x.json:4: online.hd: false would let a failed check pass"},
    {HEAD ONLINE "    \"udp_reachable\": {\"hd\": false},\n" RTT JITTER LOSS TAIL,
     "x.json:5: udp_reachable.hd: false would let a failed check pass"},
    {HEAD ONLINE "    \"udp_reachable\": {\"sd\": true, \"audio\": false},\n" RTT JITTER LOSS TAIL,
     "x.json:5: udp_reachable.audio: false would let a failed check pass"},
    /* the one-way loss is judged by loss_pct's limits: a limit of its own would be ignored */
    {HEAD ONLINE UDP RTT JITTER LOSS ",\n    \"loss_oneway_pct\": {\"hd\": 2}\n" TAIL,
     "x.json:10: loss_oneway_pct: judged by the limits of loss_pct: give them there"},
    /* the metrics a verdict needs, at every tier */
    {"{\n  \"name\": \"x\",\n  \"thresholds\": {}\n}\n",
     "x.json:3: thresholds: missing \"online\" (every profile must limit it)"},
    {HEAD ONLINE UDP RTT "    \"jitter_ms\": {\"hd\": 20, \"sd\": 30, \"audio\": 100}\n" TAIL,
     "x.json:3: thresholds: missing \"loss_pct\" (every profile must limit it)"},
    {HEAD "    \"online\": {\"hd\": true},\n" UDP RTT JITTER LOSS TAIL,
     "x.json:4: online: missing \"sd\" (every profile must limit it at hd, sd and audio)"},
    /* udp_reachable is required at hd only (UDP blocked, HTTPS working: at most sd) */
    {HEAD ONLINE "    \"udp_reachable\": {\"sd\": true},\n" RTT JITTER LOSS TAIL,
     "x.json:5: udp_reachable: missing \"hd\" (every profile must limit it at hd)"},
    {HEAD ONLINE UDP RTT "    \"jitter_ms\": {\"hd\": 20, \"sd\": 30},\n" LOSS TAIL,
     "x.json:7: jitter_ms: missing \"audio\" (every profile must limit it at hd, sd and audio)"},
    /* messages stay on one line whatever the key */
    {HEAD "    \"a\\nb\": {}\n" TAIL,
     "x.json:4: a?b: unknown metric (see 'precall profiles --json')"},
    /* cJSON takes control characters for whitespace; JSON does not */
    {HEAD ONLINE UDP RTT JITTER "\f" LOSS TAIL,
     "x.json:8: control character 0x0c at byte 264 (not allowed in JSON)"},
    /* a byte order mark is skipped, as cJSON does */
    {"\xEF\xBB\xBF{\n  \"name\": \"x\",\n  \"thresholds\": []\n}\n",
     "x.json:3: thresholds: expected an object keyed by metric"},
};

/* A valid profile's thresholds (lines 1-9, ending "  },"), then the sections after them. */
#define OPEN HEAD ONLINE UDP RTT JITTER LOSS "  },\n"
#define GRADES(a, b, c, d, e)                                                                      \
    "  \"bufferbloat_grades\": {\"A+\": " a ", \"A\": " b ", \"B\": " c ", \"C\": " d              \
    ", \"D\": " e "}\n}\n"

/* The levels only advice uses, and the grade scale: each validated, with line and key. */
static const struct bad levels_bad[] = {
    {OPEN "  \"advice\": {\"wifi_weak_dbm\": -67, \"wifi_very_weak_dbm\": -67}\n}\n",
     "x.json:10: wifi_very_weak_dbm: -67 must be below wifi_weak_dbm (-67)"},
    {OPEN "  \"advice\": {\"wifi_weak_dbm\": -80}\n}\n",
     "x.json:10: wifi_weak_dbm: -80 must be above wifi_very_weak_dbm (-75)"},
    {OPEN "  \"advice\": {\"room_noisy_dbfs\": -35}\n}\n",
     "x.json:10: room_noisy_dbfs: -35 must be below room_very_noisy_dbfs (-35)"},
    {OPEN "  \"advice\": {\"picture_dark_luma\": 200}\n}\n",
     "x.json:10: picture_dark_luma: 200 must be below picture_washed_out_luma (200)"},
    {OPEN "  \"advice\": {\"dns_slow_ms\": 0.99}\n}\n",
     "x.json:10: dns_slow_ms: 0.99 is out of range (1 to 60000)"},
    {OPEN "  \"advice\": {\"wifi_weak_dbm\": 5}\n}\n",
     "x.json:10: wifi_weak_dbm: 5 is out of range (-120 to 0)"},
    {OPEN "  \"advice\": {\"battery_low_pct\": 100.5}\n}\n",
     "x.json:10: battery_low_pct: 100.5 is out of range (0 to 100)"},
    {OPEN "  \"advice\": {\"dns_slow\": 500}\n}\n", "x.json:10: dns_slow: unknown advice level"},
    {OPEN "  \"advice\": {\"dns_slow_ms\": \"500\"}\n}\n",
     "x.json:10: dns_slow_ms: expected a number"},
    {OPEN "  \"advice\": {\"dns_slow_ms\": 500,\n    \"dns_slow_ms\": 600}\n}\n",
     "x.json:11: dns_slow_ms: duplicate key (first on line 10)"},
    {OPEN "  \"advice\": [500]\n}\n", "x.json:10: advice: expected an object of advice levels"},
    {OPEN GRADES("5", "5", "60", "200", "400"),
     "x.json:10: A: must be above the upper end of A+ (5 ms)"},
    {OPEN GRADES("5", "30", "60", "200", "200"),
     "x.json:10: D: must be above the upper end of C (200 ms)"},
    {OPEN "  \"bufferbloat_grades\": {\"A+\": 5, \"A\": 30, \"B\": 60, \"C\": 200}\n}\n",
     "x.json:10: bufferbloat_grades: missing \"D\""},
    {OPEN "  \"bufferbloat_grades\": {\"A\": 30, \"A+\": 5}\n}\n",
     "x.json:10: A: expected the grades \"A+\", \"A\", \"B\", \"C\", \"D\" in this order"},
    {OPEN GRADES("5", "30", "60", "200", "-1"), "x.json:10: D: -1 is out of range (0 to 60000 ms)"},
    {OPEN GRADES("5", "30", "60", "200", "400") ",\n", "x.json:12: text after the JSON object"},
};

/* A profile may give some levels or none: the rest are the built-in therapy profile's. */
static void advice_levels(void)
{
    struct pc_profile p;
    struct pc_err err = {0};
    const char *some = OPEN "  \"advice\": {\"dns_slow_ms\": 1, \"wifi_very_weak_dbm\": -120}\n}\n";
    const char *grades = OPEN GRADES("0", "1", "2", "3", "60000");

    for (size_t i = 0; i < sizeof(levels_bad) / sizeof(levels_bad[0]); i++) {
        int rc =
            pc_profile_parse(levels_bad[i].text, strlen(levels_bad[i].text), "x.json", &p, &err);

        CHECK(rc == PC_EDATA);
        if (rc != PC_EDATA || strcmp(err.msg, levels_bad[i].expect) != 0) {
            fprintf(stderr, "levels case %zu: got %d '%s', want '%s'\n", i, rc, err.msg,
                    levels_bad[i].expect);
            CHECK(0);
        }
    }
    /* The built-in profile gives them all; a profile without the sections takes them. */
    CHECK(pc_profile_load("therapy", &p, &err) == 0);
    CHECK(p.advice[PC_AL_WIFI_WEAK_DBM] == -67 && p.advice[PC_AL_WIFI_VERY_WEAK_DBM] == -75);
    CHECK(p.advice[PC_AL_DNS_SLOW_MS] == 500 && p.advice[PC_AL_DUPLICATES_PCT] == 10);
    CHECK(p.grade_below_ms[0] == 5 && p.grade_below_ms[1] == 30 && p.grade_below_ms[2] == 60 &&
          p.grade_below_ms[3] == 200 && p.grade_below_ms[4] == 400);
    CHECK(pc_profile_parse(VALID, strlen(VALID), "x.json", &p, &err) == 0);
    CHECK(p.advice[PC_AL_DNS_SLOW_MS] == 500 && p.advice[PC_AL_LOAD_RISE_MS] == 30);
    CHECK(p.grade_below_ms[4] == 400);
    /* The bottom of a range is a level like any other; the rest stay the built-in's. */
    CHECK(pc_profile_parse(some, strlen(some), "x.json", &p, &err) == 0);
    CHECK(p.advice[PC_AL_DNS_SLOW_MS] == 1 && p.advice[PC_AL_WIFI_VERY_WEAK_DBM] == -120);
    CHECK(p.advice[PC_AL_WIFI_WEAK_DBM] == -67 && p.advice[PC_AL_HTTP_SLOW_MS] == 1000);
    CHECK(pc_profile_parse(grades, strlen(grades), "x.json", &p, &err) == 0);
    CHECK(p.grade_below_ms[0] == 0 && p.grade_below_ms[4] == 60000);
    CHECK(strcmp(pc_profile_grade(0), "A+") == 0 && strcmp(pc_profile_grade(PC_GRADES), "F") == 0);
    CHECK(pc_profile_grade(PC_GRADES + 1) == NULL);
    CHECK(strcmp(pc_profile_advice_key(PC_AL_CPU_BUSY_PCT), "cpu_busy_pct") == 0);
}

/* The message of loading path within timeout_ns, and how long it took. */
static int load_timed(const char *path, int64_t timeout_ns, struct pc_err *err, int64_t *took_ns)
{
    struct pc_profile p;
    int64_t start = pc_clock_now_ns();
    int rc = pc_profile_load_until(path, start + timeout_ns, &p, err);

    *took_ns = pc_clock_now_ns() - start;
    return rc;
}

static void test_files(void)
{
    char dir[] = "/tmp/precall-test-profile-XXXXXX", path[128];
    struct pc_err err = {0};
    struct pc_profile p;
    int64_t took;
    FILE *f;

    CHECK(mkdtemp(dir) != NULL);

    /* A regular file is read without waiting, even past the deadline. */
    snprintf(path, sizeof(path), "%s/ok.json", dir);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (f != NULL) {
        fputs(VALID, f);
        fclose(f);
    }
    CHECK(pc_profile_load_until(path, 0, &p, &err) == 0);
    CHECK(strcmp(p.name, "x") == 0);
    CHECK(unlink(path) == 0);

    /* A directory opens but cannot be read. */
    snprintf(path, sizeof(path), "%s/d.json", dir);
    CHECK(mkdir(path, 0700) == 0);
    CHECK(pc_profile_load(path, &p, &err) == PC_ENOENT);
    CHECK(strstr(err.msg, "d.json: read error: Is a directory") != NULL);
    CHECK(rmdir(path) == 0);

    /* A FIFO nobody writes to: no data by the deadline. */
    snprintf(path, sizeof(path), "%s/fifo.json", dir);
    CHECK(mkfifo(path, 0600) == 0);
    CHECK(load_timed(path, 200 * PC_NS_PER_MS, &err, &took) == PC_ENOENT);
    CHECK(strstr(err.msg, "fifo.json: no data within the time limit") != NULL);
    CHECK(took >= 190 * PC_NS_PER_MS && took < 1000 * PC_NS_PER_MS);
    CHECK(load_timed(path, 0, &err, &took) == PC_ENOENT);
    CHECK(took < 100 * PC_NS_PER_MS);
    CHECK(unlink(path) == 0);
    CHECK(rmdir(dir) == 0);
}

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
    /* Delay limits no video tier: the round trip and R only at audio (issue 14). */
    CHECK(!p.has[PC_M_RTT_MEDIAN_MS][PC_TIER_HD] && !p.has[PC_M_RTT_MEDIAN_MS][PC_TIER_SD]);
    CHECK(p.limit[PC_M_RTT_MEDIAN_MS][PC_TIER_AUDIO] == 800);
    CHECK(p.limit[PC_M_JITTER_MS][PC_TIER_SD] == 30);
    CHECK(p.limit[PC_M_LOSS_PCT][PC_TIER_AUDIO] == 10);
    CHECK(!p.has[PC_M_R_FACTOR][PC_TIER_SD] && p.limit[PC_M_R_FACTOR][PC_TIER_AUDIO] == 60);
    CHECK(!p.has[PC_M_BURST_LOSS_PCT][PC_TIER_AUDIO]);
    /* Bandwidth from the call's bitrate plus 20 %; bufferbloat is a risk, not a limit. */
    CHECK(p.limit[PC_M_UPLOAD_MBPS][PC_TIER_HD] == 1.9 &&
          p.limit[PC_M_UPLOAD_MBPS][PC_TIER_SD] == 0.8);
    CHECK(p.limit[PC_M_DOWNLOAD_MBPS][PC_TIER_HD] == 1.9 &&
          p.limit[PC_M_DOWNLOAD_MBPS][PC_TIER_SD] == 0.8);
    CHECK(!p.has[PC_M_BUFFERBLOAT_MS][PC_TIER_HD]);
    CHECK(p.advice[PC_AL_BUFFERBLOAT_RISK_MS] == 200 &&
          p.advice[PC_AL_CONVERSATION_DELAY_MS] == 150);

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = pc_profile_parse(bad[i].text, strlen(bad[i].text), "x.json", &p, &err);

        CHECK(rc == PC_EDATA);
        if (strstr(err.msg, bad[i].expect) == NULL) {
            fprintf(stderr, "case %zu: got '%s', want '%s'\n", i, err.msg, bad[i].expect);
            CHECK(0);
        }
    }
    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
        int rc = pc_profile_parse(exact[i].text, strlen(exact[i].text), "x.json", &p, &err);

        CHECK(rc == PC_EDATA);
        if (rc != PC_EDATA || strcmp(err.msg, exact[i].expect) != 0) {
            fprintf(stderr, "exact case %zu: got %d '%s', want '%s'\n", i, rc, err.msg,
                    exact[i].expect);
            CHECK(0);
        }
    }
    CHECK(pc_profile_parse(VALID, strlen(VALID), "x.json", &p, &err) == 0);
    {
        const char *hd_only =
            HEAD ONLINE "    \"udp_reachable\": {\"hd\": true},\n" RTT JITTER LOSS TAIL;

        CHECK(pc_profile_parse(hd_only, strlen(hd_only), "x.json", &p, &err) == 0);
        CHECK(p.has[PC_M_UDP_REACHABLE][PC_TIER_HD] && !p.has[PC_M_UDP_REACHABLE][PC_TIER_SD]);
    }
    CHECK(p.has[PC_M_LOSS_PCT][PC_TIER_AUDIO] && p.limit[PC_M_LOSS_PCT][PC_TIER_AUDIO] == 10);
    test_files();
    advice_levels();
    CHECK(pc_profile_load("nosuch", &p, &err) == PC_EINVAL);
    CHECK(pc_profile_load("/nonexistent/p.json", &p, &err) == PC_ENOENT);
    CHECK(strstr(err.msg, "/nonexistent/p.json") != NULL);
    return check_done();
}
