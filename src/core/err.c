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
