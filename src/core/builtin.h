/*
 * builtin.h - the profiles compiled in from data/profiles (generated code).
 */
#ifndef PRECALL_CORE_BUILTIN_H
#define PRECALL_CORE_BUILTIN_H

#include <stddef.h>

struct pc_builtin {
    const char *name; /* file stem: "therapy" */
    const char *text; /* the JSON, NUL-terminated */
    size_t len;
};

/* The i-th built-in profile, or NULL past the end. */
const struct pc_builtin *pc_builtin_profile(size_t i);

#endif
