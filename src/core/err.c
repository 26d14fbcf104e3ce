/* err.c - filling the caller-owned error record. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "precall/err.h"

int pc_err_set(struct pc_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

int pc_err_prefix(struct pc_err *err, const char *prefix)
{
    size_t plen, mlen;

    if (err == NULL)
        return PC_OK;
    plen = strlen(prefix);
    mlen = strnlen(err->msg, sizeof(err->msg) - 1);
    if (plen > sizeof(err->msg) - 1)
        plen = sizeof(err->msg) - 1;
    if (mlen > sizeof(err->msg) - 1 - plen)
        mlen = sizeof(err->msg) - 1 - plen;
    memmove(err->msg + plen, err->msg, mlen);
    memcpy(err->msg, prefix, plen);
    err->msg[plen + mlen] = '\0';
    return err->code;
}

const char *pc_err_quote(const char *s, char buf[PC_ERR_QUOTE_BUF])
{
    size_t n = 0;

    if (s == NULL || strlen(s) <= PC_ERR_QUOTE_MAX)
        return s;
    /* Cut at a character boundary: do not split a UTF-8 sequence. */
    n = PC_ERR_QUOTE_MAX - 3;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(buf, s, n);
    memcpy(buf + n, "...", 4);
    return buf;
}
