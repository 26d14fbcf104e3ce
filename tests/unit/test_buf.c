/* test_buf.c - the bounded formatter and the doubling helper of buf.h. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "precall/buf.h"

static void test_strfmt(void)
{
    char b[8];

    CHECK(pc_strfmt(b, sizeof(b), "%s", "abcdefg") == 0); /* 7 bytes fit in 8 */
    CHECK(strcmp(b, "abcdefg") == 0);
    CHECK(pc_strfmt(b, sizeof(b), "%s", "abcdefgh") == 1);
    CHECK(strcmp(b, "abcd...") == 0);
    /* "ab" then a 3-byte character that would straddle the cut: never half of it */
    CHECK(pc_strfmt(b, sizeof(b), "ab%s",
                    "c\xe2\x82\xac"
                    "def") == 1);
    CHECK(strcmp(b, "abc...") == 0);
    CHECK(pc_strfmt(b, sizeof(b), "%d ms", 42) == 0);
    CHECK(strcmp(b, "42 ms") == 0);
    CHECK(pc_strfmt(b, 4, "%s", "abcd") == 1); /* no room for "...": plain cut */
    CHECK(strcmp(b, "abc") == 0);
    CHECK(pc_strfmt(b, 1, "%s", "a") == 1);
    CHECK(b[0] == '\0');
    CHECK(pc_strfmt(b, 0, "%s", "a") == 1);
}

static void test_grow(void)
{
    int *v = NULL;
    size_t cap = 0;

    CHECK(pc_grow((void **)&v, &cap, 1, sizeof(*v)) == 0);
    CHECK(cap == 16);
    v[15] = 7;
    CHECK(pc_grow((void **)&v, &cap, 16, sizeof(*v)) == 0);
    CHECK(cap == 16); /* enough already: unchanged */
    CHECK(pc_grow((void **)&v, &cap, 17, sizeof(*v)) == 0);
    CHECK(cap == 32);
    CHECK(v[15] == 7);
    CHECK(pc_grow((void **)&v, &cap, 100, sizeof(*v)) == 0);
    CHECK(cap == 128);
    CHECK(pc_grow((void **)&v, &cap, (size_t)-1 / 2, sizeof(*v)) == -1); /* overflow refused */
    CHECK(cap == 128 && v[15] == 7);
    free(v);
}

int main(void)
{
    test_strfmt();
    test_grow();
    return check_done();
}
