/*
 * test_report.c - the report's contract between threads: scopes that never
 * move while others are added, the copy-out getter with exact values (set,
 * unset, cut text, unknown scope), a sealed report that takes no writes,
 * and holds (the last pc_report_free frees). One thread adds device scopes
 * while another reads through the copy-out getter: the ThreadSanitizer build
 * in CI (PRECALL_TSAN) fails on any race between them.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "precall/err.h"
#include "precall/report.h"

static void copy_out(void)
{
    struct pc_report *r = pc_report_new();
    char text[8];
    double num = 0;
    int srv = pc_report_scope(r, PC_SCOPE_SERVER, "198.18.1.2:3478", NULL);

    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_RTT_MEDIAN_MS, 12.5);
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_PUBLIC_ADDRESS, "203.0.113.7");
    pc_report_set_num(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, 40.25);

    /* Set: 1, the number, and "" for a value without text. */
    strcpy(text, "junk");
    CHECK(pc_report_get_copy(r, PC_SCOPE_RUN_ID, PC_M_RTT_MEDIAN_MS, &num, text, sizeof(text)) ==
          1);
    CHECK(num == 12.5 && strcmp(text, "") == 0);
    CHECK(pc_report_get_copy(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, &num, NULL, 0) == 1);
    CHECK(num == 40.25);
    /* A text, cut to the buffer and marked as cut. */
    CHECK(pc_report_get_copy(r, PC_SCOPE_RUN_ID, PC_M_PUBLIC_ADDRESS, NULL, text, sizeof(text)) ==
          1);
    CHECK(strcmp(text, "203....") == 0); /* "203." and the mark */
    /* Unset: 0, NAN and "", also in a scope where another value is set. */
    strcpy(text, "junk");
    CHECK(pc_report_get_copy(r, (size_t)srv, PC_M_JITTER_MS, &num, text, sizeof(text)) == 0);
    CHECK(isnan(num) && strcmp(text, "") == 0);
    CHECK(pc_report_get_copy(r, PC_SCOPE_RUN_ID, PC_M_DNS_MS, &num, NULL, 0) == 0 && isnan(num));
    /* An unknown scope or metric. */
    CHECK(pc_report_get_copy(r, 99, PC_M_RTT_MEDIAN_MS, &num, NULL, 0) == 0 && isnan(num));
    CHECK(pc_report_get_copy(r, PC_SCOPE_RUN_ID, PC_M__COUNT, &num, NULL, 0) == 0);
    CHECK(!pc_report_get(r, 99, PC_M_RTT_MEDIAN_MS)->set);
    pc_report_free(r);
}

/* Sealed: every setter does nothing, and no scope is added. */
static void sealed(void)
{
    struct pc_report *r = pc_report_new();
    int srv = pc_report_scope(r, PC_SCOPE_SERVER, "srv:1", NULL);
    struct pc_probe_result *p = pc_report_probe(r, "udp");
    struct pc_target t = {.role = "stun", .host = "198.18.1.2", .port = 3478};
    double num;

    pc_report_set_num(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, 10);
    CHECK(!pc_report_sealed(r));
    pc_report_seal(r);
    CHECK(pc_report_sealed(r));
    pc_report_set_num(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, 99);
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_DNS_MS, 5);
    pc_report_set_text(r, PC_SCOPE_RUN_ID, PC_M_PUBLIC_ADDRESS, "203.0.113.7");
    pc_report_mark_online(r, 1);
    pc_report_scope_compare(r, (size_t)srv);
    CHECK(pc_report_series_add(r, (size_t)srv, PC_M_RTT_MS, r->started_ns, 1) < 0);
    pc_report_add_target(r, p, &t);
    pc_report_finish(r, p, PC_STATUS_OK, "", "%s", "done");
    pc_report_subject(r, p, "somewhere");
    CHECK(pc_report_get_copy(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, &num, NULL, 0) == 1 && num == 10);
    CHECK(!pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_DNS_MS)->set);
    CHECK(!pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_PUBLIC_ADDRESS)->set);
    CHECK(!pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_ONLINE)->set);
    CHECK(!r->scopes[srv]->for_comparison);
    CHECK(pc_report_series(r, (size_t)srv, PC_M_RTT_MS) == NULL);
    CHECK(p->n_targets == 0 && p->status == PC_STATUS_PENDING && p->reason[0] == '\0');
    CHECK(p->subject[0] == '\0');
    /* An existing scope is still found; a new one is not made. */
    CHECK(pc_report_scope(r, PC_SCOPE_SERVER, "srv:1", NULL) == srv);
    CHECK(pc_report_scope(r, PC_SCOPE_SERVER, "srv:2", NULL) == PC_ETIMEDOUT);
    CHECK(r->n_scopes == 2);
    CHECK(pc_report_scope_find(r, PC_SCOPE_SERVER, "srv:2") == -1);
    pc_report_free(r);
}

/* Holds: the report stays until the last owner gives it up. */
static void holds(void)
{
    struct pc_report *r = pc_report_new();

    pc_report_hold(r);
    pc_report_free(r); /* one hold left */
    pc_report_set_num(r, PC_SCOPE_RUN_ID, PC_M_DNS_MS, 7);
    CHECK(pc_report_get(r, PC_SCOPE_RUN_ID, PC_M_DNS_MS)->num == 7);
    pc_report_free(r);
    pc_report_free(NULL);
}

#define N_DEVICES 600

static atomic_int adder_done;

/* Like the devices probe: scopes added one after another while other probes run. */
static void *adder(void *arg)
{
    struct pc_report *r = arg;

    for (int i = 0; i < N_DEVICES; i++) {
        char id[32];
        int s;

        snprintf(id, sizeof(id), "dev%d", i);
        s = pc_report_scope(r, PC_SCOPE_DEVICE, id, NULL);
        if (s >= 0)
            pc_report_set_text(r, (size_t)s, PC_M_DEVICE_NAME, id);
    }
    atomic_store(&adder_done, 1);
    return NULL;
}

/* One read of what the adder writes: a set value, and the 301st device once it is there. */
static void read_once(struct pc_report *r, int srv, int *bad, int *seen_last)
{
    char name[32];
    double num;
    int s = pc_report_scope_find(r, PC_SCOPE_DEVICE, "dev300");

    if (pc_report_get_copy(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, &num, NULL, 0) != 1 || num != 21.5)
        (*bad)++;
    if (s >= 0 &&
        pc_report_get_copy(r, (size_t)s, PC_M_DEVICE_NAME, NULL, name, sizeof(name)) == 1) {
        *seen_last = 1;
        *bad += strcmp(name, "dev300") != 0;
    }
}

/*
 * Scopes added from one thread while another reads through the copy-out
 * getter: the reader sees each value whole, and a scope stays where it was
 * made while the table of scopes grows.
 */
static void add_while_reading(void)
{
    struct pc_report *r = pc_report_new();
    int srv = pc_report_scope(r, PC_SCOPE_SERVER, "srv:1", NULL);
    const struct pc_scope *first = r->scopes[srv];
    pthread_t th;
    int reads = 0, bad = 0, seen_last = 0;

    pc_report_set_num(r, (size_t)srv, PC_M_RTT_MEDIAN_MS, 21.5);
    atomic_store(&adder_done, 0);
    CHECK(pthread_create(&th, NULL, adder, r) == 0);
    for (; !atomic_load(&adder_done) || reads < 100; reads++)
        read_once(r, srv, &bad, &seen_last);
    pthread_join(th, NULL);
    read_once(r, srv, &bad, &seen_last); /* the adder is done: dev300 is there */
    CHECK(bad == 0);
    CHECK(seen_last);
    CHECK(r->n_scopes == 2 + N_DEVICES);
    CHECK(r->scopes[srv] == first); /* it never moved */
    CHECK(strcmp(r->scopes[2 + N_DEVICES - 1]->id, "dev599") == 0);
    pc_report_free(r);
}

/* The one formatter of a moment: the wall clock when known, else the seconds since the start. */
static void moment(void)
{
    struct pc_report *r = pc_report_new();
    char b[32];

    r->started_unix_ns = 1705327380LL * 1000000000LL; /* 2024-01-15T14:03:00Z */
    pc_report_moment(r, 4500000000LL, b, sizeof(b));
    CHECK(strcmp(b, "14:03:04 UTC") == 0);
    r->started_unix_ns = 0;
    pc_report_moment(r, 4500000000LL, b, sizeof(b));
    CHECK(strcmp(b, "4 s in") == 0 || strcmp(b, "5 s in") == 0); /* %.0f of 4.5 */
    pc_report_moment(r, 12000000000LL, b, sizeof(b));
    CHECK(strcmp(b, "12 s in") == 0);
    pc_report_free(r);
}

int main(void)
{
    moment();
    copy_out();
    sealed();
    holds();
    add_while_reading();
    return check_done();
}
