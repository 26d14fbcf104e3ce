/*
 * cause.h - why a probe failed or was skipped, as checked data.
 *
 * Every cause a probe or the runner can give has one entry here, with its
 * stable string id (the report's probes.*.cause, the headline's
 * verdict.cause and an advice id). A probe names its cause by the enum,
 * never by a string it spells itself; the advice rules name the same enum.
 * A cause is either a finding that has advice of its own (the unit tests
 * check that a rule answers it), or a state of the run that other parts of
 * the report already say (why: in its row).
 */
#ifndef PRECALL_CAUSE_H
#define PRECALL_CAUSE_H

enum pc_cause {
    PC_CAUSE_NONE = 0, /* "": no cause */
    PC_CAUSE_TIME_TOO_SHORT,
    PC_CAUSE_DID_NOT_STOP,
    PC_CAUSE_INTERNAL,
    PC_CAUSE_INTERRUPTED,
    PC_CAUSE_NOT_SELECTED,
    PC_CAUSE_NOT_SUPPORTED,
    PC_CAUSE_NO_NAMES,
    PC_CAUSE_NO_IPV6,
    PC_CAUSE_NO_IPV4,
    PC_CAUSE_NAME_NOT_FOUND,
    PC_CAUSE_NAME_FILTERED,
    PC_CAUSE_PORT_CLOSED,
    PC_CAUSE_ANSWERS_UNUSABLE,
    PC_CAUSE_UDP_BLOCKED,
    PC_CAUSE_SERVER_STOPPED,
    PC_CAUSE_DNS_FAILED,
    PC_CAUSE_SERVER_UNREACHABLE,
    PC_CAUSE_TLS_FAILED,
    PC_CAUSE_SERVER_ERROR,
    PC_CAUSE_CAPTURE_DAMAGED,
    PC_CAUSE_NO_RTP,
    PC_CAUSE_STUN_SERVER_LOSS,
    PC_CAUSE_STREAMS_TOO_SHORT,
    PC_CAUSE_SERVER_REFUSED, /* the speed-test server refused the test: 403, 429 after retries */
    PC_CAUSE_SERVER_FAULTY,  /* the speed-test server was reached and misbehaved */
    PC_CAUSE_PROXY_FAILED,   /* the proxy of the environment (https_proxy ...) did not answer */
    PC_CAUSE_MEDIA_IN_TLS,   /* a capture's media relayed over TURNS: TLS hid it */
    PC_CAUSE_NO_CLOCK_RATE,  /* a stream of a capture whose clock rate nothing gives */
    PC_CAUSE_CAPTURE_NOT_PERMITTED, /* the traffic probe may not capture: its hint says how */
    PC_CAUSE_NO_RELAY,              /* no --turn relay (or no credentials for it) */
    PC_CAUSE_RELAY_UNREACHABLE,     /* no relay answered: refused, timed out, blocked */
    PC_CAUSE_RELAY_CREDENTIALS,     /* the relay refused the credentials (401 after them) */
    PC_CAUSE_RELAY_REFUSED,         /* the relay refused the allocation: 403, 486, 508 ... */
    PC_CAUSE_RELAY_TLS,             /* TLS to the relay failed (certificate, handshake) */
    PC_CAUSE_RELAY_FAULTY,          /* the relay misbehaved: integrity, nonce, closed stream */
    PC_CAUSE__COUNT
};

struct pc_cause_def {
    enum pc_cause cause;
    const char *id;     /* "udp-blocked" */
    const char *silent; /* NULL: advice answers it; else why none does (a state of the run) */
};

const struct pc_cause_def *pc_cause_def(enum pc_cause c);

/* The id of a cause ("" for PC_CAUSE_NONE). */
const char *pc_cause_id(enum pc_cause c);

/* The cause with this id, or -1. */
int pc_cause_find(const char *id);

#endif
