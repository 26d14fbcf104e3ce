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
    /* Bidirectional controls (UAX #9), each range at both ends and just outside it. */
    {"a\xD8\x9C"
     "b",
     "a??b", 2},                                                 /* U+061C ALM */
    {"\xD8\x9B\xD8\x9D", "\xD8\x9B\xD8\x9D", 0},                 /* U+061B, U+061D: Arabic text */
    {"\xE2\x80\x8E\xE2\x80\x8F", "??????", 6},                   /* U+200E LRM, U+200F RLM */
    {"\xE2\x80\x8D\xE2\x80\x90", "\xE2\x80\x8D\xE2\x80\x90", 0}, /* U+200D ZWJ, U+2010 */
    {"\xE2\x80\xAA\xE2\x80\xAE", "??????", 6},                   /* U+202A LRE, U+202E RLO */
    {"\xE2\x80\xA9\xE2\x80\xAF", "\xE2\x80\xA9\xE2\x80\xAF", 0}, /* U+2029, U+202F */
    {"\xE2\x81\xA6\xE2\x81\xA9", "??????", 6},                   /* U+2066 LRI, U+2069 PDI */
    {"\xE2\x81\xA5\xE2\x81\xAA", "\xE2\x81\xA5\xE2\x81\xAA", 0}, /* U+2065, U+206A */
    {"Therapy \xE2\x80\xAE"
     "dh ydaeR",
     "Therapy ???dh ydaeR", 3}, /* an override in a name */
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
