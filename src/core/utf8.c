/* utf8.c - validating and neutralising outside text (see precall/utf8.h). */
#include "precall/utf8.h"

/*
 * The bidirectional formatting characters (Unicode UAX #9, 2.1-2.6): the
 * marks LRM, RLM and ALM, the embeddings and overrides LRE, RLE, PDF, LRO,
 * RLO, and the isolates LRI, RLI, FSI, PDI. Printed raw they reorder the
 * text around them ("Trojan Source", CVE-2021-42574): a name can make a
 * verdict or a file name read otherwise than it is.
 */
static int bidi_control(unsigned long cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* Length of the valid UTF-8 sequence at s (RFC 3629), or 0 if invalid. */
static size_t sequence(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n;
    unsigned long cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0; /* overlong, beyond Unicode, or a surrogate */
    if (cp >= 0x80 && cp <= 0x9F)
        return 0; /* C1 controls act as escapes on some terminals */
    if (bidi_control(cp))
        return 0;
    return n;
}

size_t pc_utf8_sanitize(char *s)
{
    unsigned char *p = (unsigned char *)s;
    size_t replaced = 0;

    while (*p != '\0') {
        size_t n = sequence(p);

        if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7F))) {
            *p++ = '?';
            replaced++;
            continue;
        }
        p += n;
    }
    return replaced;
}
