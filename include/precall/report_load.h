/*
 * report_load.h - a saved JSON report (src/render/json.c, schema
 * precall.report/1) read back into a struct pc_report, for 'precall show'.
 *
 * The file is untrusted input: every string is cut to its field, every
 * table to its bound, and a key of the wrong type is refused as malformed
 * (PC_EDATA, the message says where). A report whose schema major version
 * is newer than PC_REPORT_SCHEMA's is refused as well (PC_EDATA, one line
 * that says so). What the JSON does not carry stays empty (see
 * pc_report_load()).
 *
 * Ownership: struct pc_saved owns the report and every string the report
 * points to (probe names, advice and risk identifiers); pc_saved_free()
 * releases them together. The report must not outlive it.
 */
#ifndef PRECALL_REPORT_LOAD_H
#define PRECALL_REPORT_LOAD_H

#include <stddef.h>

#include "precall/err.h"
#include "precall/report.h"

/* The major version of the report schema this program reads and writes. */
#define PC_REPORT_SCHEMA_MAJOR 1
#define PC_REPORT_SCHEMA_NAME  "precall.report/"

struct pc_saved {
    struct pc_report *report;
    char version[64]; /* "precall_version" of the program that wrote it */
    char **strings;   /* owned texts the report points to */
    size_t n_strings, cap_strings;
};

/*
 * Parse len bytes of JSON into *out (NULL on failure). Returns 0, PC_EDATA
 * with the reason in err (malformed, a wrong type, a newer major version),
 * or PC_ENOMEM. Not carried by the JSON, and so left empty: the servers of
 * the support line, the causes of advice other than the headline's, and
 * the sub-second part of the start of a capture.
 */
int pc_report_load(const char *text, size_t len, struct pc_saved **out, struct pc_err *err);

/* The same from a file: PC_ENOENT when it cannot be read; messages start with the path. */
int pc_report_load_file(const char *path, struct pc_saved **out, struct pc_err *err);

void pc_saved_free(struct pc_saved *l);

/*
 * The major version of a schema name: 1 for "precall.report/1", -1 when it
 * is not "precall.report/" and a number (with an optional ".minor").
 */
int pc_report_schema_major(const char *schema);

#endif
