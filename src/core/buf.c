/* buf.c - growable output buffer (see precall/buf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "precall/buf.h"

static int reserve(struct pc_buf *b, size_t extra)
{
    size_t cap;
    char *n;

    if (b->failed)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 1024;
    while (cap < b->len + extra + 1)
        cap *= 2;
    n = realloc(b->data, cap);
    if (n == NULL) {
        b->failed = 1;
        return -1;
    }
    b->data = n;
    b->cap = cap;
    return 0;
}

void pc_buf_printf(struct pc_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void pc_buf_puts(struct pc_buf *b, const char *s)
{
    size_t n = strlen(s);

    if (reserve(b, n) < 0)
        return;
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

void pc_buf_free(struct pc_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

int pc_strfmt(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    int n;
    size_t end;

    if (cap == 0)
        return 1;
    va_start(ap, fmt);
    n = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    if (n < 0) {
        buf[0] = '\0';
        return 1;
    }
    if ((size_t)n < cap)
        return 0;
    end = cap - 1; /* vsnprintf wrote cap - 1 bytes */
    if (cap > 4)
        end = cap - 4; /* room for "..." */
    while (end > 0 && ((unsigned char)buf[end] & 0xC0) == 0x80)
        end--; /* never end inside a UTF-8 sequence */
    if (cap > 4)
        memcpy(buf + end, "...", 4);
    else
        buf[end] = '\0';
    return 1;
}

int pc_grow(void **base, size_t *cap, size_t need, size_t elem)
{
    size_t nc = *cap ? *cap : 16;
    void *n;

    if (need <= *cap)
        return 0;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elem)
            return -1;
        nc *= 2;
    }
    n = realloc(*base, nc * elem);
    if (n == NULL)
        return -1;
    *base = n;
    *cap = nc;
    return 0;
}
