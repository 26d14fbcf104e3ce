/*
 * redact.h - --redact: a report that a client can send without saying where
 * they are. Every IP address (the public one, local ones, the far ends of
 * captured flows, servers), every host name and every Wi-Fi name (SSID) is
 * replaced by a pseudonym that keeps the kind visible: "ipv4-1", "ipv6-2",
 * "host-1", "wifi-1". The same value gets the same pseudonym everywhere in
 * one report (a map kept in struct pc_redact), and different values get
 * different ones, so "ipv4-1:5004 > ipv4-2:5004" still reads as a flow.
 * Ports, figures, times and identifiers of advice stay as they were.
 *
 * It is one transform of the report before any renderer sees it: text,
 * JSON, NDJSON and every other format get the same redacted report.
 *
 * Ownership: the caller owns the map (pc_redact_new/pc_redact_free) and
 * the report; pc_redact_report() rewrites the report's own fields.
 */
#ifndef PRECALL_REDACT_H
#define PRECALL_REDACT_H

#include <stddef.h>

#include "precall/report.h"

struct pc_redact;

struct pc_redact *pc_redact_new(void);
void pc_redact_free(struct pc_redact *m); /* NULL is fine */

/*
 * Redact the report in place: addresses and names in every text the report
 * holds (scope ids and labels, text figures, probes' reasons, subjects,
 * methods and targets, advice, the headline, the servers). Returns 0 or
 * PC_ENOMEM (then some texts may already be redacted, none half-written).
 */
int pc_redact_report(struct pc_redact *m, struct pc_report *r);

/* Learn a host name (not an address literal) to replace wherever it appears. */
int pc_redact_name(struct pc_redact *m, const char *name);

/*
 * One text with its addresses and known names replaced, into out (cap > 0;
 * cut with "..." as pc_strfmt() does). Returns 0 or PC_ENOMEM.
 */
int pc_redact_text(struct pc_redact *m, const char *in, char *out, size_t cap);

#endif
