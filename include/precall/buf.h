/*
 * buf.h - buffers: a growable byte buffer that renderers write into, a
 * bounded formatter for the fixed text fields of the report, and the one
 * helper that grows an array by doubling.
 *
 * The buffer owns its bytes; pc_buf_free() releases them. Once an
 * allocation fails the buffer is marked failed and further writes do
 * nothing, so a renderer checks only once, at the end. pc_grow() leaves
 * the array as it was when the allocation fails.
 */
#ifndef PRECALL_BUF_H
#define PRECALL_BUF_H

#include <stddef.h>

struct pc_buf {
    char *data; /* NUL-terminated while not failed */
    size_t len, cap;
    int failed;
};

void pc_buf_printf(struct pc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pc_buf_puts(struct pc_buf *b, const char *s);
void pc_buf_free(struct pc_buf *b);

/*
 * Format into a fixed buffer of cap bytes (cap > 0). Text that does not fit
 * is cut at a UTF-8 character boundary and ends in "..." (when cap allows),
 * so a long host name or message never leaves half a character or a cut
 * that looks whole. Returns 1 when cut, 0 when it fitted.
 */
int pc_strfmt(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Make room for at least need elements of elem bytes in *base, which holds
 * *cap of them: doubles the capacity (from 16) and updates *base and *cap.
 * Returns 0, or -1 when the allocation fails (then *base and *cap are
 * unchanged).
 */
int pc_grow(void **base, size_t *cap, size_t need, size_t elem);

#endif
