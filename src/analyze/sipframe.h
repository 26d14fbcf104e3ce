/*
 * sipframe.h - SIP messages out of the byte stream of TCP flows (RFC 3261
 * 18.3: over a stream transport a message ends where its Content-Length
 * says; a message may span several segments, and one segment may hold
 * several messages).
 *
 * Per TCP flow (its key: opaque bytes, at most PC_SIPFRAME_KEY_MAX) the
 * bytes are put back in sequence order from the first segment that begins
 * with a SIP start line (RFC 3261 7.1, 7.2); resends are trimmed, and a gap
 * in the sequence numbers (bytes missing from the capture) drops the flow's
 * buffer until a segment begins a message again. Each whole message goes to
 * the caller's function, header and body, exactly its bytes.
 *
 * Pure and bounded: at most PC_SIPFRAME_BUF_MAX bytes held per flow (a
 * message longer is dropped) and PC_SIPFRAME_FLOWS_MAX flows at once (a new
 * flow beyond them is not followed). The caller owns the table (NULL until
 * the first SIP segment), freed with pc_sipframe_free(). Not a public
 * interface.
 */
#ifndef PRECALL_ANALYZE_SIPFRAME_H
#define PRECALL_ANALYZE_SIPFRAME_H

#include <stddef.h>
#include <stdint.h>

#define PC_SIPFRAME_BUF_MAX   65536
#define PC_SIPFRAME_FLOWS_MAX 128
#define PC_SIPFRAME_KEY_MAX   40

struct pc_sipframe;

/* One whole SIP message, msg[0..n): header fields, the empty line, the body. */
typedef void (*pc_sipframe_msg_fn)(void *ctx, const uint8_t *msg, size_t n);

/*
 * One TCP segment with data of the flow named by key[0..keylen): seq its
 * first byte's sequence number, p[0..n) the bytes captured, wire_len the
 * bytes sent (a segment cut by the snap length ends the flow's message).
 * Returns 0, or PC_ENOMEM (the flow is dropped).
 */
int pc_sipframe_segment(struct pc_sipframe **t, const void *key, size_t keylen, uint32_t seq,
                        const uint8_t *p, size_t n, size_t wire_len, pc_sipframe_msg_fn fn,
                        void *ctx);

/* Flows followed now, and bytes held in all of them (for tests and fuzzing). */
size_t pc_sipframe_flows(const struct pc_sipframe *t);
size_t pc_sipframe_held(const struct pc_sipframe *t);

void pc_sipframe_free(struct pc_sipframe *t);

#endif
