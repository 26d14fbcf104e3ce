/*
 * test_traffic_advice.c - the advice at the cause of other traffic (the
 * traffic probe's figures): on this computer, downloading or uploading, on
 * another device, or none; at 1 Mbit/s and just under it, on both sides;
 * and during the speed test, apart from the idle phase, down and up.
 */
#include <string.h>

#include "check.h"
#include "report_fixture.h"
#include "precall/advice.h"
#include "precall/profile.h"
#include "precall/score.h"

static struct pc_profile therapy;

static struct pc_report *with_traffic(double down, double up, const char *source)
{
    struct pc_report *r = pc_fixture_path(30, 3, 0, "traffic", (const char *)NULL);

    pc_report_set_num(r, 0, PC_M_OTHER_DOWN_MBPS, down);
    pc_report_set_num(r, 0, PC_M_OTHER_UP_MBPS, up);
    pc_report_set_text(r, 0, PC_M_OTHER_TRAFFIC_SOURCE, source);
    pc_score_report(r, &therapy);
    return r;
}

static const char *text_of(const struct pc_report *r, const char *id)
{
    const struct pc_advice *a = pc_advice_find(r, id);

    return a != NULL ? a->text : NULL;
}

static void this_computer(void)
{
    struct pc_report *r = with_traffic(14.2, 0.3, "this-computer");
    const char *t = text_of(r, "other-traffic-this-computer");

    CHECK(t != NULL && strcmp(t, "While the check ran, something else on this computer was "
                                 "downloading at 14.2 Mbit/s. It competes with the call for your "
                                 "connection: pause it (a download, an update, cloud sync, "
                                 "streaming) before the session. The list of other traffic names "
                                 "the program where the system could tell.") == 0);
    CHECK(text_of(r, "other-traffic-other-device") == NULL);
    pc_report_free(r);

    /* at the level and just under it, down */
    r = with_traffic(1.0, 0, "this-computer");
    CHECK(text_of(r, "other-traffic-this-computer") != NULL);
    pc_report_free(r);
    r = with_traffic(0.99, 0, "this-computer");
    CHECK(text_of(r, "other-traffic-this-computer") == NULL);
    pc_report_free(r);

    /* an upload alone: the second alternative, its own words */
    r = with_traffic(0.2, 1.0, "this-computer");
    t = text_of(r, "other-traffic-this-computer");
    CHECK(t != NULL && strstr(t, "was uploading at 1.0 Mbit/s") != NULL &&
          strstr(t, "a backup") != NULL);
    pc_report_free(r);
    r = with_traffic(0.2, 0.99, "this-computer");
    CHECK(text_of(r, "other-traffic-this-computer") == NULL);
    pc_report_free(r);
}

static void other_device(void)
{
    struct pc_report *r = with_traffic(5.0, 0, "other-device");
    const char *t = text_of(r, "other-traffic-other-device");

    CHECK(t != NULL && strstr(t, "carried 5.0 Mbit/s of another device's traffic") != NULL);
    CHECK(text_of(r, "other-traffic-this-computer") == NULL);
    pc_report_free(r);
    r = with_traffic(1.0, 0, "other-device");
    CHECK(text_of(r, "other-traffic-other-device") != NULL);
    pc_report_free(r);
    r = with_traffic(0.99, 0, "other-device");
    CHECK(text_of(r, "other-traffic-other-device") == NULL);
    pc_report_free(r);
}

static void none(void)
{
    struct pc_report *r = with_traffic(0.4, 0.3, "none");

    CHECK(text_of(r, "other-traffic-this-computer") == NULL);
    CHECK(text_of(r, "other-traffic-other-device") == NULL);
    pc_report_free(r);
}

/* Other traffic during the speed test: the speed figures are under the line's. */
static struct pc_report *with_speed(double idle_down, double down, double up)
{
    struct pc_report *r = pc_fixture_path(30, 3, 0, "traffic", (const char *)NULL);

    pc_report_set_num(r, 0, PC_M_OTHER_DOWN_MBPS, idle_down);
    pc_report_set_num(r, 0, PC_M_OTHER_UP_MBPS, 0);
    pc_report_set_text(r, 0, PC_M_OTHER_TRAFFIC_SOURCE, idle_down >= 1 ? "this-computer" : "none");
    pc_report_set_num(r, 0, PC_M_OTHER_SPEED_DOWN_MBPS, down);
    pc_report_set_num(r, 0, PC_M_OTHER_SPEED_UP_MBPS, up);
    pc_score_report(r, &therapy);
    return r;
}

static void speed_test(void)
{
    /* only during the speed test (a download that started after the idle phase) */
    struct pc_report *r = with_speed(0, 14.2, 0.2);
    const char *t = text_of(r, "other-traffic-speed-test");
    const struct pc_advice *a = pc_advice_find(r, "other-traffic-speed-test");

    CHECK(t != NULL && strcmp(t, "During the speed test, other traffic came in at 14.2 Mbit/s, "
                                 "so the download speed measured is lower than what your line "
                                 "gives by about that much. Pause it and run the check again for "
                                 "the line's own figure.") == 0);
    CHECK(a != NULL && strcmp(a->severity, "info") == 0);
    CHECK(text_of(r, "other-traffic-this-computer") == NULL);
    pc_report_free(r);
    /* in the idle phase only: nothing about the speed test */
    r = with_speed(5.0, 0.2, 0.2);
    CHECK(text_of(r, "other-traffic-speed-test") == NULL);
    CHECK(text_of(r, "other-traffic-this-computer") != NULL);
    pc_report_free(r);
    /* at 1 Mbit/s and just under it, down */
    r = with_speed(0, 1.0, 0);
    CHECK(text_of(r, "other-traffic-speed-test") != NULL);
    pc_report_free(r);
    r = with_speed(0, 0.99, 0);
    CHECK(text_of(r, "other-traffic-speed-test") == NULL);
    pc_report_free(r);
    /* up: the second alternative, its own words, at 1 Mbit/s and just under it */
    r = with_speed(0, 0.2, 1.0);
    t = text_of(r, "other-traffic-speed-test");
    CHECK(t != NULL &&
          strstr(t, "other traffic went out at 1.0 Mbit/s, so the upload speed") != NULL);
    pc_report_free(r);
    r = with_speed(0, 0.2, 0.99);
    CHECK(text_of(r, "other-traffic-speed-test") == NULL);
    pc_report_free(r);
}

int main(void)
{
    struct pc_err err = {0};

    CHECK(pc_profile_load("therapy", &therapy, &err) == 0);
    this_computer();
    other_device();
    none();
    speed_test();
    return check_done();
}
