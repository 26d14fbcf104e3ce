/* cause.c - the table of causes (see precall/cause.h). */
#include <string.h>

#include "precall/cause.h"

static const struct pc_cause_def causes[PC_CAUSE__COUNT] = {
    [PC_CAUSE_NONE] = {.cause = PC_CAUSE_NONE, .id = "", .silent = "no cause"},
    [PC_CAUSE_TIME_TOO_SHORT] = {.cause = PC_CAUSE_TIME_TOO_SHORT, .id = "time-too-short"},
    [PC_CAUSE_DID_NOT_STOP] = {.cause = PC_CAUSE_DID_NOT_STOP, .id = "did-not-stop"},
    [PC_CAUSE_INTERNAL] = {.cause = PC_CAUSE_INTERNAL, .id = "internal"},
    [PC_CAUSE_INTERRUPTED] = {.cause = PC_CAUSE_INTERRUPTED,
                              .id = "interrupted",
                              .silent = "the headline and the INCOMPLETE line say it"},
    [PC_CAUSE_NOT_SELECTED] = {.cause = PC_CAUSE_NOT_SELECTED,
                               .id = "not-selected",
                               .silent = "the user left the probe out; 'not checked' says it"},
    [PC_CAUSE_NOT_SUPPORTED] = {.cause = PC_CAUSE_NOT_SUPPORTED,
                                .id = "not-supported",
                                .silent = "this system cannot; 'not checked' says it"},
    [PC_CAUSE_NO_NAMES] = {.cause = PC_CAUSE_NO_NAMES,
                           .id = "no-names",
                           .silent = "only numeric servers were given: nothing to look up"},
    [PC_CAUSE_NO_IPV6] = {.cause = PC_CAUSE_NO_IPV6, .id = "no-ipv6"},
    [PC_CAUSE_NO_IPV4] = {.cause = PC_CAUSE_NO_IPV4, .id = "no-ipv4"},
    [PC_CAUSE_NAME_NOT_FOUND] = {.cause = PC_CAUSE_NAME_NOT_FOUND, .id = "name-not-found"},
    [PC_CAUSE_NAME_FILTERED] = {.cause = PC_CAUSE_NAME_FILTERED, .id = "name-filtered"},
    [PC_CAUSE_PORT_CLOSED] = {.cause = PC_CAUSE_PORT_CLOSED, .id = "port-closed"},
    [PC_CAUSE_ANSWERS_UNUSABLE] = {.cause = PC_CAUSE_ANSWERS_UNUSABLE, .id = "answers-unusable"},
    [PC_CAUSE_UDP_BLOCKED] = {.cause = PC_CAUSE_UDP_BLOCKED, .id = "udp-blocked"},
    [PC_CAUSE_SERVER_STOPPED] = {.cause = PC_CAUSE_SERVER_STOPPED, .id = "server-stopped"},
    [PC_CAUSE_DNS_FAILED] = {.cause = PC_CAUSE_DNS_FAILED, .id = "dns-failed"},
    [PC_CAUSE_SERVER_UNREACHABLE] = {.cause = PC_CAUSE_SERVER_UNREACHABLE,
                                     .id = "server-unreachable"},
    [PC_CAUSE_TLS_FAILED] = {.cause = PC_CAUSE_TLS_FAILED, .id = "tls-failed"},
    [PC_CAUSE_SERVER_ERROR] = {.cause = PC_CAUSE_SERVER_ERROR, .id = "server-error"},
    [PC_CAUSE_CAPTURE_DAMAGED] = {.cause = PC_CAUSE_CAPTURE_DAMAGED, .id = "capture-damaged"},
    [PC_CAUSE_NO_RTP] = {.cause = PC_CAUSE_NO_RTP, .id = "no-rtp"},
    [PC_CAUSE_STUN_SERVER_LOSS] = {.cause = PC_CAUSE_STUN_SERVER_LOSS, .id = "stun-server-loss"},
    [PC_CAUSE_STREAMS_TOO_SHORT] = {.cause = PC_CAUSE_STREAMS_TOO_SHORT, .id = "streams-too-short"},
    [PC_CAUSE_SERVER_REFUSED] = {.cause = PC_CAUSE_SERVER_REFUSED, .id = "server-refused"},
    [PC_CAUSE_SERVER_FAULTY] = {.cause = PC_CAUSE_SERVER_FAULTY, .id = "server-faulty"},
    [PC_CAUSE_PROXY_FAILED] = {.cause = PC_CAUSE_PROXY_FAILED, .id = "proxy-failed"},
    [PC_CAUSE_MEDIA_IN_TLS] = {.cause = PC_CAUSE_MEDIA_IN_TLS, .id = "media-in-tls"},
    [PC_CAUSE_NO_CLOCK_RATE] = {.cause = PC_CAUSE_NO_CLOCK_RATE,
                                .id = "no-clock-rate",
                                .silent = "the 'not checked' line says it, with the streams"},
    [PC_CAUSE_CAPTURE_NOT_PERMITTED] = {.cause = PC_CAUSE_CAPTURE_NOT_PERMITTED,
                                        .id = "capture-not-permitted",
                                        .silent = "the skipped line gives the one-line hint; "
                                                  "not about the network"},
    [PC_CAUSE_NO_RELAY] = {.cause = PC_CAUSE_NO_RELAY,
                           .id = "no-relay",
                           .silent = "no relay was given; the UDP advice states the assumption"},
    [PC_CAUSE_RELAY_UNREACHABLE] = {.cause = PC_CAUSE_RELAY_UNREACHABLE, .id = "relay-unreachable"},
    [PC_CAUSE_RELAY_CREDENTIALS] = {.cause = PC_CAUSE_RELAY_CREDENTIALS, .id = "relay-credentials"},
    [PC_CAUSE_RELAY_REFUSED] = {.cause = PC_CAUSE_RELAY_REFUSED, .id = "relay-refused"},
    [PC_CAUSE_RELAY_TLS] = {.cause = PC_CAUSE_RELAY_TLS, .id = "relay-tls"},
    [PC_CAUSE_RELAY_FAULTY] = {.cause = PC_CAUSE_RELAY_FAULTY, .id = "relay-faulty"},
};

const struct pc_cause_def *pc_cause_def(enum pc_cause c)
{
    return (int)c >= 0 && c < PC_CAUSE__COUNT ? &causes[c] : NULL;
}

const char *pc_cause_id(enum pc_cause c)
{
    return (int)c >= 0 && c < PC_CAUSE__COUNT ? causes[c].id : "";
}

int pc_cause_find(const char *id)
{
    for (int c = 0; c < PC_CAUSE__COUNT; c++)
        if (strcmp(causes[c].id, id) == 0)
            return c;
    return -1;
}
