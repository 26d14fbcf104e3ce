/* err.c - filling the caller-owned error record. */
#include <stdarg.h>
#include <stdio.h>

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

const char *pc_err_kind_name(int code)
{
    switch (code) {
    case PC_OK:
        return "ok";
    case PC_EINVAL:
        return "invalid argument";
    case PC_ENOMEM:
        return "out of memory";
    case PC_EIO:
        return "input/output error";
    case PC_ETIMEDOUT:
        return "timed out";
    case PC_EPERM:
        return "not permitted";
    case PC_EDATA:
        return "bad data";
    case PC_ENOENT:
        return "cannot open";
    case PC_EINTR:
        return "interrupted";
    default:
        return "internal error";
    }
}
