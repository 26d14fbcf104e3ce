/*
 * advice.c - findings turned into ranked, plain-language advice.
 *
 * Each rule is a row: a stable identifier, a rank (the most effective fix
 * first), what it matches in the scored report, the cause it names in the
 * headline, and its text, written for a person who is not technical and
 * saying what to do. Advice about the user's network comes only from
 * evidence about it: a probe's cause identifier, or a measured value.
 *
 * Texts are templates: {value} the measured value, {limit} the limit the
 * check line quotes (the tier above the one reached), {tier} that tier,
 * {subject} what a probe's cause is about, {scope} where it was seen,
 * {label} the label of that scope ("Camera: Integrated Webcam
 * (/dev/video0)"); and for a rule that names a series, {when} the
 * wall-clock second of its worst point and {for} how many seconds in a row
 * around it missed the limit.
 *
 * Value rules (ABOVE, BELOW, TEXT_IS, VALUE_IS) look at every scope, the
 * run first, and match in the first scope where the value meets them; a
 * rule may also require another value of the same scope (when), yield to
 * stronger rules (unless: their ids) or to an earlier row of the same id
 * (rows sharing an id are alternatives: the first that matches is used),
 * and set its own
 * severity. Device findings count as "about the network" in the headline's
 * sense: they are about the user's setup, not about how the check ran.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "precall/score.h"

#include <time.h>

enum match {
    CAUSE,    /* a probe finished with this cause */
    MISS,     /* a metric missed the HD limit in some gating scope */
    ABOVE,    /* a value above a fixed level (advice only) */
    AT_LEAST, /* a value at or above a fixed level (advice only) */
    BELOW,    /* a value below a fixed level (advice only) */
    TEXT_IS,  /* a text value equals the string */
    VALUE_IS  /* a value equals the number */
};

/* A further condition on a value of the scope where a rule matched: AT_LEAST or VALUE_IS. */
struct cond {
    enum pc_metric metric;
    enum match match;
    double level;
};

struct rule {
    const char *id;
    int rank;
    enum match match;
    int metric;        /* MISS, ABOVE, TEXT_IS, VALUE_IS */
    const char *arg;   /* CAUSE: the cause identifier; TEXT_IS: the text */
    double level;      /* ABOVE, VALUE_IS */
    int network;       /* the cause is about the network (1) or only the run (0) */
    const char *cause; /* what the headline names, NULL for none */
    const char *text;
    const char *severity;    /* NULL: from the match (see severity()) */
    const char *unless;      /* comma-separated ids of rules that, matching, silence this one */
    const struct cond *when; /* NULL, or must hold too */
    int series; /* {when} and {for} come from this metric's series in the scope; 0 none */
};

#define DNS_SLOW_MS  500.0  /* a lookup slower than this delays joining a call */
#define HTTP_SLOW_MS 1000.0 /* a first answer slower than this delays joining a call */
#define FULL_HD_MBPS 4.0    /* 1080p possible both ways (THRESHOLDS) */

static const struct cond https_works = {PC_M_HTTPS_REACHABLE, VALUE_IS, 1};
static const struct cond upload_full_hd = {PC_M_UPLOAD_MBPS, AT_LEAST, FULL_HD_MBPS};
static const struct cond on_battery = {PC_M_ON_BATTERY, VALUE_IS, 1};

/* THRESHOLDS: advice-only rows of the host, the room and the picture. */
#define WIFI_WEAK_DBM      (-67.0)
#define WIFI_VERY_WEAK_DBM (-75.0)
#define ROOM_NOISY_DBFS    (-50.0)
#define ROOM_VERY_NOISY    (-35.0)
#define LUMA_DARK          70.0
#define LUMA_VERY_DARK     40.0
#define LUMA_WASHED_OUT    200.0
#define BATTERY_LOW_PCT    20.0
#define MIC_CLIPPED_PCT    0.1   /* more samples than this at full scale: distorted */
#define CPU_BUSY_PCT       100.0 /* 1-minute load above the number of cores */

#define CAMERA_UNUSABLE "camera-missing,camera-busy,camera-permission,camera-no-frames"

static const struct rule rules[] = {
    {.id = "mic-missing",
     .rank = 6,
     .match = TEXT_IS,
     .metric = PC_M_MIC_STATE,
     .arg = "missing",
     .network = 1,
     .cause = "no microphone was found",
     .severity = "critical",
     .text = "No microphone was found, so the other person would not hear you. Plug in a "
             "headset or a microphone, then run the check again."},
    {.id = "mic-permission",
     .rank = 6,
     .match = TEXT_IS,
     .metric = PC_M_MIC_STATE,
     .arg = "no-permission",
     .network = 1,
     .cause = "this program may not use the microphone",
     .severity = "critical",
     .text = "This computer does not let the check use the microphone. Make sure you are "
             "logged in at this computer itself (not remotely); if it goes on, ask whoever looks "
             "after the computer to give your user access to sound devices (the 'audio' group)."},
    {.id = "mic-busy",
     .rank = 7,
     .match = TEXT_IS,
     .metric = PC_M_MIC_STATE,
     .arg = "busy",
     .network = 1,
     .cause = "the microphone is in use by another app",
     .severity = "critical",
     .text = "Another app is using the microphone. Close other apps that may be using it, such "
             "as Zoom, Teams or a browser tab, then run the check again."},
    {.id = "mic-silent",
     .rank = 7,
     .match = TEXT_IS,
     .metric = PC_M_MIC_STATE,
     .arg = "silent",
     .network = 1,
     .cause = "the microphone picks up no sound",
     .severity = "critical",
     .text = "The microphone picks up no sound at all, as if it were muted. Check the mute "
             "switch or button on your headset or keyboard and the input volume in your sound "
             "settings, then run the check again."},
    {.id = "camera-permission",
     .rank = 8,
     .match = TEXT_IS,
     .metric = PC_M_CAMERA_STATE,
     .arg = "no-permission",
     .network = 1,
     .severity = "warning",
     .text = "This computer does not let the check use the camera, so the session would be "
             "audio only. Ask whoever looks after the computer to give your user access to the "
             "camera (the 'video' group), then log out, log back in and run the check again."},
    {.id = "camera-busy",
     .rank = 8,
     .match = TEXT_IS,
     .metric = PC_M_CAMERA_STATE,
     .arg = "busy",
     .network = 1,
     .severity = "warning",
     .text = "Another app is using the camera, so the session would be audio only. Close other "
             "apps that may be using the camera, such as Zoom, Teams or a browser tab, then run "
             "the check again."},
    {.id = "camera-missing",
     .rank = 9,
     .match = TEXT_IS,
     .metric = PC_M_CAMERA_STATE,
     .arg = "missing",
     .network = 1,
     .severity = "warning",
     .text = "No camera was found, so the session can only be audio. Plug in a webcam (or open "
             "the laptop's lid), then run the check again."},
    {.id = "camera-no-frames",
     .rank = 9,
     .match = TEXT_IS,
     .metric = PC_M_CAMERA_STATE,
     .arg = "no-frames",
     .network = 1,
     .severity = "warning",
     .text = "The camera was found but sent no picture. Check that no cover or privacy switch "
             "blocks it, unplug it and plug it back in (or restart the computer), then run the "
             "check again."},
    {.id = "speaker-missing",
     .rank = 12,
     .match = VALUE_IS,
     .metric = PC_M_SPEAKER_PRESENT,
     .level = 0,
     .network = 1,
     .severity = "warning",
     .text = "No speaker or headphones were found, so you may not hear the other person. Plug "
             "in headphones or speakers, then run the check again."},
    {.id = "camera-low-res",
     .rank = 25,
     .match = MISS,
     .metric = PC_M_CAMERA_VIDEO_HEIGHT_PX,
     .network = 1,
     .unless = CAMERA_UNUSABLE,
     .text = "Your camera sends {value} high video; {tier} needs {limit}. The session will work "
             "at reduced picture quality; a better webcam gives a sharper picture."},
    {.id = "wifi-very-weak",
     .rank = 32,
     .match = BELOW,
     .metric = PC_M_WIFI_SIGNAL_DBM,
     .level = WIFI_VERY_WEAK_DBM,
     .network = 1,
     .severity = "warning",
     .text = "The Wi-Fi signal is very weak ({value}), which makes calls freeze and drop. Move "
             "closer to your Wi-Fi router, or use a network cable."},
    {.id = "room-very-noisy",
     .rank = 45,
     .match = ABOVE,
     .metric = PC_M_ROOM_NOISE_DBFS,
     .level = ROOM_VERY_NOISY,
     .network = 1,
     .severity = "warning",
     .text = "The room is loud (background noise at {value}), so you will be hard to hear and "
             "others may overhear you. Find a quiet, private spot and close the door; a headset "
             "also helps."},
    {"time-too-short", 0, CAUSE, -1, "time-too-short", 0, 0,
     "the time limit was too short to measure",
     "The check did not have enough time to measure anything. Run it again with more time, "
     "for example 'precall --duration 10 --timeout 20'.",
     NULL, NULL, NULL, 0},
    {"offline", 1, VALUE_IS, PC_M_ONLINE, NULL, 0, 1, "no internet connection",
     "This computer is not connected to the internet. Check that Wi-Fi is turned on and "
     "connected (or that the network cable is plugged in), then run the check again.",
     NULL, NULL, NULL, 0},
    {"no-ipv6", 2, CAUSE, -1, "no-ipv6", 0, 1, "this network has no IPv6 connection",
     "The check was asked to use IPv6 only (-6), but this network has no IPv6 connection. "
     "Run it without -6: video calls work over IPv4.",
     NULL, NULL, NULL, 0},
    {"no-ipv4", 2, CAUSE, -1, "no-ipv4", 0, 1, "this network has no IPv4 connection",
     "The check was asked to use IPv4 only (-4), but this network has no IPv4 connection. "
     "Run it without -4.",
     NULL, NULL, NULL, 0},
    {"name-not-found", 3, CAUSE, -1, "name-not-found", 0, 1,
     "the server name {subject} does not exist",
     "The server name {subject} does not exist. Check how it is spelled where it was given "
     "(--stun); this is not a problem with your network.",
     NULL, NULL, NULL, 0},
    {"port-closed", 4, CAUSE, -1, "port-closed", 0, 1,
     "nothing answers on the test server's port, {subject}",
     "The test server {subject} refused the test: nothing is listening on that port. Check "
     "the address and port given with --stun; this is not a problem with your network.",
     NULL, NULL, NULL, 0},
    {"answers-unusable", 5, CAUSE, -1, "answers-unusable", 0, 1,
     "the answers of the test server {subject} could not be read",
     "The test server {subject} answered, but in a form precall cannot read, so nothing "
     "could be measured. Try another STUN server with --stun; this does not show a problem "
     "with your network.",
     NULL, NULL, NULL, 0},
    {"capture-damaged", 6, CAUSE, -1, "capture-damaged", 0, 0,
     "the capture file {subject} is damaged",
     "The capture file {subject} is damaged or cut short: only the packets before the damage "
     "were analysed, so this report covers only that part of the session. A capture stopped "
     "by a full disk or a copy interrupted looks like this; copy the file again, or capture "
     "again with 'precall capture -i INTERFACE -w call.pcap'.",
     NULL, NULL, NULL, 0},
    {"udp-blocked", 10, CAUSE, -1, "udp-blocked", 0, 1, NULL,
     "This network blocks the direct kind of traffic video calls prefer (UDP), so calls will "
     "use a relay over secure web traffic instead: they will work, but at reduced quality and "
     "with more delay. On a work, school or public network, ask its administrator to allow "
     "video calls (UDP); at home, check your router's firewall settings.",
     .when = &https_works},
    {"udp-blocked", 10, CAUSE, -1, "udp-blocked", 0, 1, "UDP is blocked on this network",
     "This network blocks the kind of traffic video calls use (UDP). On a work, school or "
     "public network, ask its administrator to allow video calls; otherwise try another "
     "network, such as your home Wi-Fi or a phone hotspot.",
     NULL, NULL, NULL, 0},
    {"server-stopped", 15, CAUSE, -1, "server-stopped", 0, 1, "the test server stopped answering",
     "The test server stopped answering in the middle of the check, as if the connection "
     "dropped out. Restart your router and run the check again; if it happens again, call "
     "your internet provider.",
     NULL, NULL, NULL, 0},
    {"dns-failed", 20, CAUSE, -1, "dns-failed", 0, 1, "server names could not be looked up",
     "The addresses of the call servers could not be looked up. Restart your router; if that "
     "does not help, ask whoever runs your network to check its DNS settings.",
     NULL, "offline", NULL, 0},
    {"loss-high", 30, MISS, PC_M_LOSS_PCT, NULL, 0, 1, NULL,
     "{value} of test packets were lost{scope} ({tier} needs {limit}), which makes video "
     "freeze and voices break up. Use a network cable or move closer to your Wi-Fi router, "
     "and restart the router; if it goes on, call your internet provider.",
     NULL, NULL, NULL, 0},
    {"burst-loss", 35, MISS, PC_M_BURST_LOSS_PCT, NULL, 0, 1, NULL,
     "Packets were lost in bursts ({value} within a fifth of a second{scope}; {tier} needs "
     "{limit}), which freezes the picture. This usually comes from a weak Wi-Fi signal: use a "
     "network cable or move closer to the router.",
     NULL, NULL, NULL, 0},
    {"latency-high", 40, MISS, PC_M_RTT_MEDIAN_MS, NULL, 0, 1, NULL,
     "The connection is slow to respond ({value}{scope}; {tier} needs {limit}), so you may "
     "talk over each other. Pause downloads, backups and streaming on your network, and use "
     "a network cable if you can.",
     NULL, NULL, NULL, 0},
    {"jitter-high", 50, MISS, PC_M_JITTER_MS, NULL, 0, 1, NULL,
     "The connection's delay keeps changing ({value} of jitter{scope}; {tier} needs "
     "{limit}), which makes sound choppy. Ask others on your network to pause streaming and "
     "games during your session, and use a network cable if you can.",
     NULL, NULL, NULL, 0},
    {"dns-slow", 60, ABOVE, PC_M_DNS_MS, NULL, DNS_SLOW_MS, 1, NULL,
     "Looking up server addresses is slow ({value}), so joining a call may take longer. "
     "Restarting your router often fixes this.",
     NULL, NULL, NULL, 0},
    {"nat-symmetric", 70, TEXT_IS, PC_M_NAT_MAPPING, "address-dependent", 0, 1, NULL,
     "Your router gives each server a different address for this computer, so the call may "
     "have to go through a relay, which adds delay. If calls fail to connect, ask whoever "
     "runs your network to allow direct video calls.",
     NULL, NULL, NULL, 0},
    {.id = "wifi-weak",
     .rank = 55,
     .match = BELOW,
     .metric = PC_M_WIFI_SIGNAL_DBM,
     .level = WIFI_WEAK_DBM,
     .network = 1,
     .unless = "wifi-very-weak",
     .text = "The Wi-Fi signal is weak ({value}). Moving closer to your Wi-Fi router, or using "
             "a network cable, makes the call steadier."},
    {.id = "battery-low",
     .rank = 62,
     .match = BELOW,
     .metric = PC_M_BATTERY_PCT,
     .level = BATTERY_LOW_PCT,
     .network = 1,
     .when = &on_battery,
     .severity = "warning",
     .text = "The battery is low ({value}) and the computer is not plugged in. Plug in the "
             "charger before the session."},
    {.id = "picture-very-dark",
     .rank = 64,
     .match = BELOW,
     .metric = PC_M_CAMERA_LUMA,
     .level = LUMA_VERY_DARK,
     .network = 1,
     .severity = "warning",
     .text = "Your picture is very dark, so the other person cannot see your face. Turn on a "
             "light facing you."},
    {.id = "picture-backlit",
     .rank = 65,
     .match = VALUE_IS,
     .metric = PC_M_CAMERA_BACKLIT,
     .level = 1,
     .network = 1,
     .severity = "info",
     .text = "There is a bright light behind you, so your face is in shadow. Turn so the window "
             "is not behind you, or close the curtains and turn on a light facing you."},
    {.id = "picture-dark",
     .rank = 66,
     .match = BELOW,
     .metric = PC_M_CAMERA_LUMA,
     .level = LUMA_DARK,
     .network = 1,
     .unless = "picture-very-dark",
     .text = "Your picture is a little dark. Turn on a light facing you, or sit facing a "
             "window."},
    {.id = "picture-bright",
     .rank = 66,
     .match = ABOVE,
     .unless = "picture-backlit",
     .metric = PC_M_CAMERA_LUMA,
     .level = LUMA_WASHED_OUT,
     .network = 1,
     .text = "Your picture is washed out by too much light. Move out of direct sunlight, or turn "
             "away a lamp that points at the camera."},
    {.id = "room-noisy",
     .rank = 68,
     .match = ABOVE,
     .metric = PC_M_ROOM_NOISE_DBFS,
     .level = ROOM_NOISY_DBFS,
     .network = 1,
     .unless = "room-very-noisy",
     .text = "There is some background noise in the room ({value}). If you can, find a quiet, "
             "private spot and close the door."},
    {.id = "mic-clipping",
     .rank = 69,
     .match = ABOVE,
     .metric = PC_M_MIC_CLIPPED_PCT,
     .level = MIC_CLIPPED_PCT,
     .network = 1,
     .text = "Your microphone is set too loud, so your voice may sound distorted. Turn the input "
             "volume down a little in your sound settings."},
    {.id = "vpn-active",
     .rank = 75,
     .match = TEXT_IS,
     .metric = PC_M_LINK_KIND,
     .arg = "vpn",
     .network = 1,
     .text = "This computer sends its traffic through a VPN or tunnel, which can add delay. If "
             "you can, turn the VPN off during the session."},
    {.id = "cpu-low",
     .rank = 80,
     .match = MISS,
     .metric = PC_M_CPU_COUNT,
     .network = 1,
     .text = "This computer has {value} processor core(s), and {tier} needs {limit}, so video "
             "will run at reduced quality. Close other programs during the session."},
    {.id = "memory-low",
     .rank = 81,
     .match = MISS,
     .metric = PC_M_MEMORY_TOTAL_MIB,
     .network = 1,
     .text = "This computer has {value} of memory, and {tier} needs {limit}, so video will run "
             "at reduced quality. Close other programs during the session."},
    {.id = "cpu-busy",
     .rank = 85,
     .match = ABOVE,
     .metric = PC_M_CPU_LOAD_PCT,
     .level = CPU_BUSY_PCT,
     .network = 1,
     .text = "The computer is busy (processor load {value}). Close programs you do not need "
             "before the session."},
    {"name-filtered", 3, CAUSE, -1, "name-filtered", 0, 1,
     "this network does not look up the test server's name, {subject}",
     "This network's name service says that {subject}, a public test server, does not exist, "
     "though it does: the network filters it, or wants you to sign in first (open any web "
     "page to see a sign-in page). Sign in, try another network such as a phone hotspot, or "
     "ask whoever runs this network to allow video calls.",
     NULL, NULL, NULL, 0},
    {"no-rtp", 6, CAUSE, -1, "no-rtp", 0, 0, "the capture holds no RTP media",
     "This capture holds no RTP media: no audio or video stream of a call was found in it. "
     "Capture during the call, on the computer that made it, with 'precall capture -i "
     "INTERFACE' (or 'tcpdump -i INTERFACE -w call.pcap udp or tcp port 443'), and analyse "
     "that file.",
     NULL, NULL, NULL, 0},
    {"stream-loss-burst", 28, MISS, PC_M_STREAM_WORST_SECOND_LOSS_PCT, NULL, 0, 1, NULL,
     "At {when} the {label} lost {value} of its packets for {for} ({tier} needs {limit} in "
     "every second): the picture froze or the voice broke up then. Loss in bursts like this "
     "usually comes from Wi-Fi or a congested link on that side of the call.",
     NULL, NULL, NULL, PC_M_STREAM_LOSS_PCT},
    {"stream-loss", 29, MISS, PC_M_STREAM_LOSS_PCT, NULL, 0, 1, NULL,
     "The {label} lost {value} of its packets over the whole capture ({tier} needs {limit}), "
     "worst at {when}. Look at the network on the sending side: a cable instead of Wi-Fi, and "
     "nothing else using the connection during sessions.",
     NULL, NULL, NULL, PC_M_STREAM_LOSS_PCT},
    {"stream-gap", 45, MISS, PC_M_STREAM_GAP_MAX_MS, NULL, 0, 1, NULL,
     "The {label} stopped for {value} at one point ({tier} needs {limit}): the picture or "
     "sound froze. A gap like this is a dropout of the connection or of the sending computer.",
     NULL, NULL, NULL, 0},
    {"stream-jitter", 55, MISS, PC_M_STREAM_JITTER_MS, NULL, 0, 1, NULL,
     "The {label} arrived unevenly ({value} of jitter on average, worst at {when}; {tier} "
     "needs {limit}), which makes sound choppy. Others on that network streaming or "
     "downloading during the call is the usual cause.",
     NULL, NULL, NULL, PC_M_STREAM_JITTER_MS},
    {"server-unreachable", 16, CAUSE, -1, "server-unreachable", 0, 1,
     "the speed-test server could not be reached, {subject}",
     "The speed-test server {subject} could not be reached, so the speed of your connection "
     "could not be measured. If you chose the server (--server), check its address; "
     "otherwise this network may block secure web traffic: try another network, such as a "
     "phone hotspot.",
     NULL, NULL, NULL, 0},

    {"tls-failed", 17, CAUSE, -1, "tls-failed", 0, 0,
     "the speed-test server's identity could not be verified, {subject}",
     "The speed-test server {subject} could not prove who it is, so no test was sent to it. "
     "If you run your own server, give its certificate authority with --cacert; on a public "
     "Wi-Fi that shows a sign-in page, sign in first, then run the check again.",
     NULL, NULL, NULL, 0},

    {"server-error", 18, CAUSE, -1, "server-error", 0, 0,
     "the speed-test server did not work properly, {subject}",
     "The speed-test server {subject} did not answer the test properly, so the speed of your "
     "connection could not be measured. This is a problem with the server, not with your "
     "network: try again later, or another server with --server.",
     NULL, NULL, NULL, 0},

    {"upload-low", 25, MISS, PC_M_UPLOAD_MBPS, NULL, 0, 1, NULL,
     "Your connection sends slowly ({value}; {tier} needs {limit}), so your picture may look "
     "blurry or freeze for the other person. Pause cloud backups, uploads and other video "
     "calls on your network, and use a network cable or move closer to the Wi-Fi router; if "
     "it stays slow, ask your internet provider about a faster upload speed.",
     NULL, NULL, NULL, 0},

    {"download-low", 26, MISS, PC_M_DOWNLOAD_MBPS, NULL, 0, 1, NULL,
     "Your connection receives slowly ({value}; {tier} needs {limit}), so the other person's "
     "picture may look blurry or freeze. Pause downloads, streaming and updates on your "
     "network, and use a network cable or move closer to the Wi-Fi router; if it stays slow, "
     "ask your internet provider about a faster plan.",
     NULL, NULL, NULL, 0},

    {"bufferbloat", 28, MISS, PC_M_BUFFERBLOAT_MS, NULL, 0, 1, NULL,
     "When your connection is busy, its delay grows by {value} ({tier} needs {limit}), so "
     "anyone downloading or uploading during your session makes the call lag. In your "
     "router's settings, turn on smart queue management (SQM, also called fq_codel or CAKE), "
     "or ask others on your network not to download or upload during the session.",
     NULL, NULL, NULL, 0},

    {"http-slow", 65, ABOVE, PC_M_TTFB_MS, NULL, HTTP_SLOW_MS, 1, NULL,
     "Opening a secure connection to the test server took {value}, so joining a call may "
     "take a while. Restarting your router often helps; on a work network, a web filter may "
     "be slowing it down.",
     NULL, NULL, NULL, 0},

    {"full-hd-possible", 90, AT_LEAST, PC_M_DOWNLOAD_MBPS, NULL, FULL_HD_MBPS, 1, NULL,
     "Your connection is fast enough for full HD (1080p) video both ways.",
     .when = &upload_full_hd},
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

/* What a rule found: the values its template quotes. */
struct finding {
    int metric;
    size_t scope;
    int tier; /* the tier whose limit is quoted, or -1 */
    double value, limit;
    const char *subject;
    int series;
};

const struct pc_advice *pc_advice_find(const struct pc_report *r, const char *id)
{
    for (size_t i = 0; i < r->n_advice; i++)
        if (strcmp(r->advice[i].id, id) == 0)
            return &r->advice[i];
    return NULL;
}

static int match_cause(const struct pc_report *r, const struct rule *ru, struct finding *f)
{
    for (size_t i = 0; i < r->n_probes; i++) {
        if (strcmp(r->probes[i].cause, ru->arg) == 0) {
            f->subject = r->probes[i].subject;
            return 1;
        }
    }
    return 0;
}

/* The gating scope where the metric fell lowest below HD. */
static int match_miss(const struct pc_report *r, const struct rule *ru, struct finding *f)
{
    int worst = PC_TIER_HD;

    for (size_t i = 0; i < r->n_scopes; i++) {
        const struct pc_scope *s = r->scopes[i];
        const struct pc_check *c = &s->checks[ru->metric];

        if (!s->gates || !c->gated || !s->values[ru->metric].set || c->tier >= worst)
            continue;
        worst = c->tier;
        f->scope = i;
        f->value = s->values[ru->metric].num;
        f->tier = pc_score_next_tier(c);
        f->limit = f->tier >= 0 ? c->threshold[f->tier] : NAN;
    }
    return worst < PC_TIER_HD;
}

static int value_meets(const struct rule *ru, const struct pc_value *v)
{
    if (!v->set)
        return 0;
    switch (ru->match) {
    case ABOVE:
        return v->num > ru->level;
    case AT_LEAST:
        return v->num >= ru->level;
    case BELOW:
        return v->num < ru->level;
    case TEXT_IS:
        return v->text != NULL && strcmp(v->text, ru->arg) == 0;
    case VALUE_IS:
        return v->num == ru->level;
    default:
        return 0;
    }
}

/* Does the rule's further condition hold in the scope? */
static int holds(const struct pc_report *r, const struct rule *ru, size_t scope)
{
    const struct pc_value *w;

    if (ru->when == NULL)
        return 1;
    w = pc_report_get(r, scope, ru->when->metric);
    if (!w->set)
        return 0;
    return ru->when->match == AT_LEAST ? w->num >= ru->when->level : w->num == ru->when->level;
}

/* The first scope, the run first, where the value meets the rule (and its condition). */
static int match_value(const struct pc_report *r, const struct rule *ru, struct finding *f)
{
    for (size_t i = 0; i < r->n_scopes; i++) {
        const struct pc_value *v = pc_report_get(r, i, ru->metric);

        if (!value_meets(ru, v) || !holds(r, ru, i))
            continue;
        f->scope = i;
        f->value = v->num;
        f->limit =
            ru->match == ABOVE || ru->match == BELOW || ru->match == AT_LEAST ? ru->level : NAN;
        return 1;
    }
    return 0;
}

static int matches(const struct pc_report *r, const struct rule *ru, struct finding *f)
{
    f->metric = ru->metric;
    switch (ru->match) {
    case CAUSE:
        return match_cause(r, ru, f) && holds(r, ru, f->scope);
    case MISS:
        return match_miss(r, ru, f) && holds(r, ru, f->scope);
    default:
        return match_value(r, ru, f);
    }
}

/* Is id one of the comma-separated ids in list? */
static int in_list(const char *list, const char *id)
{
    size_t n = strlen(id);

    for (const char *p = list; p != NULL && *p != '\0';
         p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (strncmp(p, id, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

/* The worst point of the finding's series: "14:03:12 UTC", and the seconds in a row past the limit.
 */
static void worst_moment(const struct pc_report *r, const struct finding *f, char *when,
                         size_t wcap, char *span, size_t scap)
{
    const struct pc_series *se = pc_report_series(r, f->scope, f->series);
    const struct pc_metric_def *d = pc_metric_def(f->series);
    double over = !isnan(f->limit) && f->metric != f->series ? f->limit : 0;
    size_t w = 0, lo, hi;
    int64_t t;

    snprintf(when, wcap, "an unknown time");
    snprintf(span, scap, "a moment");
    if (se == NULL || se->n == 0 || d == NULL)
        return;
    for (size_t i = 1; i < se->n; i++)
        if (d->better == PC_BETTER_HIGHER ? se->v[i] < se->v[w] : se->v[i] > se->v[w])
            w = i;
    t = r->started_ns + se->t_ns[w];
    if (r->started_unix_ns != 0) {
        time_t sec = (time_t)((r->started_unix_ns + se->t_ns[w]) / 1000000000);
        struct tm tm;

        if (gmtime_r(&sec, &tm) != NULL)
            strftime(when, wcap, "%H:%M:%S UTC", &tm);
    } else {
        snprintf(when, wcap, "%.0f s in", (double)(t - r->started_ns) / 1e9);
    }
    for (lo = w; lo > 0 && se->v[lo - 1] > over; lo--)
        ;
    for (hi = w; hi + 1 < se->n && se->v[hi + 1] > over; hi++)
        ;
    snprintf(span, scap, "%zu s", hi - lo + 1);
}

static void expand(const struct pc_report *r, const char *tpl, const struct finding *f, char *buf,
                   size_t cap)
{
    const struct pc_metric_def *d = f->metric >= 0 ? pc_metric_def(f->metric) : NULL;
    size_t n = 0;

    buf[0] = '\0';
    while (*tpl != '\0' && n + 1 < cap) {
        char piece[300] = "";
        const char *end;

        if (*tpl != '{' || (end = strchr(tpl, '}')) == NULL) {
            buf[n++] = *tpl++;
            buf[n] = '\0';
            continue;
        }
        if (strncmp(tpl, "{value}", 7) == 0 && d != NULL)
            pc_metric_format(d, f->value, piece, sizeof(piece));
        else if (strncmp(tpl, "{limit}", 7) == 0 && d != NULL && !isnan(f->limit))
            pc_metric_format_limit(d, f->limit, piece, sizeof(piece));
        else if (strncmp(tpl, "{tier}", 6) == 0 && f->tier >= 0)
            snprintf(piece, sizeof(piece), "%s", pc_tier_short_label(f->tier));
        else if (strncmp(tpl, "{subject}", 9) == 0 && f->subject != NULL)
            snprintf(piece, sizeof(piece), "%s", f->subject);
        else if (strncmp(tpl, "{label}", 7) == 0)
            snprintf(piece, sizeof(piece), "%s", r->scopes[f->scope]->label);
        else if (strncmp(tpl, "{when}", 6) == 0 && f->series > 0) {
            char span[32];

            worst_moment(r, f, piece, sizeof(piece), span, sizeof(span));
        } else if (strncmp(tpl, "{for}", 5) == 0 && f->series > 0) {
            char when[64];

            worst_moment(r, f, when, sizeof(when), piece, sizeof(piece));
        } else if (strncmp(tpl, "{scope}", 7) == 0 && f->scope != PC_SCOPE_RUN_ID)
            snprintf(piece, sizeof(piece), " %s %s",
                     pc_scope_kind_def(r->scopes[f->scope]->kind)->in, r->scopes[f->scope]->id);
        n += (size_t)snprintf(buf + n, cap - n, "%s", piece);
        if (n >= cap)
            n = cap - 1;
        tpl = end + 1;
    }
}

static const char *severity(const struct pc_report *r, const struct rule *ru,
                            const struct finding *f)
{
    const struct pc_check *c;

    if (ru->severity != NULL)
        return ru->severity;
    if (ru->match == CAUSE || ru->match == VALUE_IS)
        return r->tier <= PC_TIER_NONE && ru->network ? "critical" : "warning";
    if (ru->match != MISS)
        return "info";
    c = &r->scopes[f->scope]->checks[f->metric];
    if (c->tier <= PC_TIER_NONE)
        return "critical";
    return c->tier < r->require ? "warning" : "info";
}

/* Did a rule that silences this one match, or an earlier alternative of the same id? */
static int silenced(size_t i, const unsigned char *hit)
{
    const struct rule *ru = &rules[i];

    for (size_t k = 0; k < N_RULES; k++) {
        if (hit[k] && ru->unless != NULL && in_list(ru->unless, rules[k].id))
            return 1;
        if (hit[k] && k < i && strcmp(rules[k].id, ru->id) == 0)
            return 1;
    }
    return 0;
}

void pc_advice_build(struct pc_report *r, const struct pc_profile *p)
{
    struct finding found[N_RULES];
    unsigned char hit[N_RULES];

    (void)p;
    r->n_advice = 0;
    for (size_t i = 0; i < N_RULES; i++) {
        found[i] = (struct finding){-1, PC_SCOPE_RUN_ID, -1, NAN, NAN, NULL, rules[i].series};
        hit[i] = (unsigned char)matches(r, &rules[i], &found[i]);
    }
    for (size_t i = 0; i < N_RULES && r->n_advice < PC_ADVICE_MAX; i++) {
        struct finding f = found[i];
        struct pc_advice *a;

        if (!hit[i] || silenced(i, hit))
            continue;
        a = &r->advice[r->n_advice++];
        a->id = rules[i].id;
        a->rank = rules[i].rank;
        a->metric = f.metric;
        a->scope = f.scope;
        a->value = f.metric >= 0 && rules[i].match != TEXT_IS ? f.value : NAN;
        if (pc_metric_def(f.metric) != NULL && pc_metric_def(f.metric)->kind == PC_KIND_TEXT)
            a->value = NAN;
        a->threshold = f.limit;
        a->severity = severity(r, &rules[i], &f);
        expand(r, rules[i].text, &f, a->text, sizeof(a->text));
        a->cause[0] = '\0';
        if (rules[i].cause != NULL)
            expand(r, rules[i].cause, &f, a->cause, sizeof(a->cause));
        a->about_network = rules[i].network;
    }
    /* The most effective fix first; rows of equal rank keep the table's order. */
    for (size_t i = 1; i < r->n_advice; i++) {
        struct pc_advice a = r->advice[i];
        size_t k = i;

        for (; k > 0 && r->advice[k - 1].rank > a.rank; k--)
            r->advice[k] = r->advice[k - 1];
        r->advice[k] = a;
    }
}
