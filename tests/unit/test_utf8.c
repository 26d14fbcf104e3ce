/*
 * test_utf8.c - outside text made safe: valid UTF-8 passes untouched; every
 * byte of an overlong, surrogate, out-of-range or truncated sequence, every
 * C0 and C1 control and DEL becomes '?' (RFC 3629; ECMA-48 for the controls).
 */
#include <string.h>

#include "check.h"
#include "precall/utf8.h"

static const struct {
    const char *in, *out;
    size_t replaced;
} cases[] = {
    {"plain text", "plain text", 0},
    {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 0},
    {"\xC2\xA0\xDF\xBF\xE0\xA0\x80\xF4\x8F\xBF\xBF", "\xC2\xA0\xDF\xBF\xE0\xA0\x80\xF4\x8F\xBF\xBF",
     0},                             /* U+00A0, U+07FF, U+0800, U+10FFFF: the edges */
    {"\xC0\x80", "??", 2},           /* overlong NUL */
    {"\xC1\xBF", "??", 2},           /* overlong U+007F */
    {"\xE0\x9F\xBF", "???", 3},      /* overlong U+07FF in three bytes */
    {"\xF0\x8F\xBF\xBF", "????", 4}, /* overlong U+FFFF in four bytes */
    {"\xED\xA0\x80", "???", 3},      /* a UTF-16 surrogate, U+D800 */
    {"\xED\xBF\xBF", "???", 3},      /* U+DFFF */
    {"\xF4\x90\x80\x80", "????", 4}, /* beyond U+10FFFF */
    {"\xC2\x9B"
     "31m",
     "??31m", 2},                    /* C1 CSI */
    {"\xC2\x80\xC2\x9F", "????", 4}, /* C1 edges */
    {"\x1B[2J", "?[2J", 1},          /* ESC */
    {"a\tb\nc", "a?b?c", 2},         /* C0, tab and newline too */
    {"del\x7F", "del?", 1},          /* DEL */
    {"cut \xE2\x82", "cut ??", 2},   /* truncated at the end */
    {"\xFF\xFE", "??", 2},           /* never valid */
};

int main(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[64];
        size_t n;

        snprintf(buf, sizeof(buf), "%s", cases[i].in);
        n = pc_utf8_sanitize(buf);
        if (strcmp(buf, cases[i].out) != 0 || n != cases[i].replaced)
            fprintf(stderr, "case %zu: got \"%s\" (%zu replaced)\n", i, buf, n);
        CHECK(strcmp(buf, cases[i].out) == 0);
        CHECK(n == cases[i].replaced);
    }
    return check_done();
}
