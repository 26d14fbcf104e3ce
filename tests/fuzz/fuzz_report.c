/*
 * fuzz_report.c - libFuzzer harness for the saved-report loader
 * (src/core/report_load.c), the input of 'precall show'.
 *
 * Feeds arbitrary bytes to pc_report_load and checks what a sanitizer alone
 * would not: the result is accepted or PC_EDATA with a one-line message;
 * an accepted report renders in every format of the renderer table, also
 * after --redact's transform; and its JSON is a fixed point: the JSON of
 * the report loaded from it is the same text (the loader reads back all
 * that the JSON writer writes).
 *
 * The seed corpus is corpus/report/ (ok-* accepted, bad-* refused, see
 * replay_main.c); ctest also replays the golden reports of tests/golden.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "precall/redact.h"
#include "precall/render.h"
#include "precall/report_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pc_fuzz_accepts(const uint8_t *data, size_t size);

static void render_all(const struct pc_report *r)
{
    const struct pc_renderer *rd;

    for (size_t i = 0; (rd = pc_renderer_get(i)) != NULL; i++)
        for (int verbose = 0; verbose < 2; verbose++) {
            struct pc_render_opts o = {verbose, 0, 0, "fuzz"};
            struct pc_buf b = {0};

            rd->render(r, &o, &b);
            pc_buf_free(&b);
        }
}

static char *json_of(const struct pc_report *r)
{
    struct pc_render_opts o = {0, 0, 0, "fuzz"};
    struct pc_buf b = {0};
    char *s;

    pc_render_json(r, &o, &b);
    if (b.failed)
        abort();
    s = strndup(b.data != NULL ? b.data : "", b.len);
    pc_buf_free(&b);
    return s;
}

int pc_fuzz_accepts(const uint8_t *data, size_t size)
{
    struct pc_saved *s = NULL;
    struct pc_err err = {0};
    int rc = pc_report_load((const char *)data, size, &s, &err);

    pc_saved_free(s);
    return rc == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_saved *s = NULL, *again = NULL;
    struct pc_redact *map;
    struct pc_err err = {0};
    int rc = pc_report_load((const char *)data, size, &s, &err);
    char *first, *second;

    if (rc < 0) {
        if (s != NULL || (rc != PC_EDATA && rc != PC_ENOMEM) ||
            memchr(err.msg, '\0', sizeof(err.msg)) == NULL || strchr(err.msg, '\n') != NULL ||
            err.msg[0] == '\0')
            abort();
        return 0;
    }
    render_all(s->report);
    first = json_of(s->report);
    if (pc_report_load(first, strlen(first), &again, &err) != 0)
        abort(); /* what the writer wrote, the loader reads */
    second = json_of(again->report);
    if (strcmp(first, second) != 0)
        abort();
    map = pc_redact_new();
    if (map == NULL || pc_redact_report(map, s->report) != 0)
        abort();
    render_all(s->report);
    pc_redact_free(map);
    free(first);
    free(second);
    pc_saved_free(again);
    pc_saved_free(s);
    return 0;
}
