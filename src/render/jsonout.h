/*
 * jsonout.h - the JSON report as a cJSON tree, shared by the json and
 * ndjson renderers (private to src/render).
 */
#ifndef PRECALL_RENDER_JSONOUT_H
#define PRECALL_RENDER_JSONOUT_H

#include <cJSON.h>

#include "precall/render.h"

/* The whole report; the caller owns the tree. */
cJSON *pc_json_report(const struct pc_report *r, const struct pc_render_opts *o);

/* Print the tree (pretty, or on one line) and a newline into b; frees the tree. */
void pc_json_append(cJSON *root, int pretty, struct pc_buf *b);

#endif
