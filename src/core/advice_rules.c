/*
 * advice_rules.c - the advice rules, sorted by rank (see advice_rules.h).
 * Levels that only advice uses come from the profile ("advice" section).
 */
#include "core/advice_rules.h"
#include "precall/tier.h"

#define LEVEL(l)                                                                                   \
    {                                                                                              \
        .from_profile = 1, .of = (l)                                                               \
    }
#define NUMBER(v)                                                                                  \
    {                                                                                              \
        .fixed = (v)                                                                               \
    }

#define CAMERA_UNUSABLE "camera-missing,camera-busy,camera-permission,camera-no-frames"

static const struct pc_rule_cond https_works = {
    .metric = PC_M_HTTPS_REACHABLE, .match = PC_RULE_VALUE_IS, .level = NUMBER(1)};
static const struct pc_rule_cond upload_full_hd = {
    .metric = PC_M_UPLOAD_MBPS, .match = PC_RULE_AT_LEAST, .level = LEVEL(PC_AL_FULL_HD_MBPS)};
static const struct pc_rule_cond on_battery = {
    .metric = PC_M_ON_BATTERY, .match = PC_RULE_VALUE_IS, .level = NUMBER(1)};
/* The link of the default route is a cable: no Wi-Fi advice. */
static const struct pc_rule_cond wired = {
    .metric = PC_M_LINK_KIND, .match = PC_RULE_TEXT_IS, .text = "wired"};
/* Evidence of other traffic: the delay rises when the link is busy. */
static const struct pc_rule_cond rises_under_load = {
    .metric = PC_M_BUFFERBLOAT_MS, .match = PC_RULE_AT_LEAST, .level = LEVEL(PC_AL_LOAD_RISE_MS)};

/* The biggest flow of other traffic: on this computer, or on another device. */
static const struct pc_rule_cond other_here = {
    .metric = PC_M_OTHER_TRAFFIC_SOURCE, .match = PC_RULE_TEXT_IS, .text = "this-computer"};
static const struct pc_rule_cond other_device = {
    .metric = PC_M_OTHER_TRAFFIC_SOURCE, .match = PC_RULE_TEXT_IS, .text = "other-device"};

/* Some STUN server answered over IPv4. */
static const struct pc_rule_cond udp_over_ipv4 = {
    .metric = PC_M_UDP_REACHABLE_IPV4, .match = PC_RULE_VALUE_IS, .level = NUMBER(1)};

/* The relay check: some relay given with --turn allocated; the direct path (UDP) failed. */
static const struct pc_rule_cond relay_works = {
    .metric = PC_M_RELAY_REACHABLE, .match = PC_RULE_VALUE_IS, .level = NUMBER(1)};
/* A relay's round trip long enough to be felt in a conversation. */
static const struct pc_rule_cond relay_rtt_noticeable = {
    .metric = PC_M_RELAY_RTT_MS, .match = PC_RULE_AT_LEAST, .level = NUMBER(30)};
static const struct pc_rule_cond relay_fails = {
    .metric = PC_M_RELAY_REACHABLE, .match = PC_RULE_VALUE_IS, .level = NUMBER(0)};
static const struct pc_rule_cond udp_fails = {
    .metric = PC_M_UDP_REACHABLE, .match = PC_RULE_VALUE_IS, .level = NUMBER(0)};

/* A capture's stream seen on both sides of a relay: where its loss started (analyze/scopes.c). */
static const struct pc_rule_cond loss_far_side = {
    .metric = PC_M_STREAM_LOSS_SIDE, .match = PC_RULE_TEXT_IS, .text = "far-side"};
static const struct pc_rule_cond loss_last_hop = {
    .metric = PC_M_STREAM_LOSS_SIDE, .match = PC_RULE_TEXT_IS, .text = "last-hop"};

static const struct pc_rule rules[] = {
    {.id = "time-too-short",
     .rank = 0,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_TIME_TOO_SHORT,
     .run_only = 1,
     .cause = "the time limit ended {probes} too early to measure",
     .text = "The time limit ended {probes} too early to measure. Run the check "
             "again with a longer time limit (--timeout)."},
    {.id = "offline",
     .rank = 1,
     .match = PC_RULE_VALUE_IS,
     .metric = PC_M_ONLINE,
     .level = NUMBER(0),
     .network = 1,
     .when = &wired,
     .cause = "no internet connection",
     .text = "This computer is not connected to the internet. Check that the network cable is "
             "plugged in at both ends and that the router is on, then run the check again."},
    {.id = "offline",
     .rank = 1,
     .match = PC_RULE_VALUE_IS,
     .metric = PC_M_ONLINE,
     .level = NUMBER(0),
     .network = 1,
     .cause = "no internet connection",
     .text = "This computer is not connected to the internet. Check that Wi-Fi is turned on and "
             "connected (or that the network cable is plugged in), then run the check again."},
    {.id = "no-ipv6",
     .rank = 2,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_NO_IPV6,
     .network = 1,
     .cause = "this network has no IPv6 connection",
     .text = "The check was asked to use IPv6 only (-6), but this network has no IPv6 connection. "
             "Run it without -6: video calls work over IPv4."},
    {.id = "no-ipv4",
     .rank = 2,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_NO_IPV4,
     .network = 1,
     .cause = "this network has no IPv4 connection",
     .text = "The check was asked to use IPv4 only (-4), but this network has no IPv4 connection. "
             "Run it without -4."},
    {.id = "name-not-found",
     .rank = 3,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_NAME_NOT_FOUND,
     .network = 1,
     .cause = "the server name {subject} does not exist",
     .text = "The server name {subject} does not exist. Check how it is spelled where it was given "
             "(--stun); this is not a problem with your network."},
    {.id = "name-filtered",
     .rank = 3,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_NAME_FILTERED,
     .network = 1,
     .cause = "this network does not look up the test server's name, {subject}",
     .text = "This network's name service says that {subject}, a public test server, does not "
             "exist, though it does: the network filters it, or wants you to sign in first (open "
             "any web page to see a sign-in page). Sign in, try another network such as a phone "
             "hotspot, or ask whoever runs this network to allow video calls."},
    {.id = "port-closed",
     .rank = 4,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_PORT_CLOSED,
     .network = 1,
     .cause = "nothing answers on the test server's port, {subject}",
     .text = "The test server {subject} refused the test: nothing is listening on that port. "
             "Check the address and port given with --stun; this is not a problem with your "
             "network."},
    /* A server that answers garbage is no verdict on the network. */
    {.id = "answers-unusable",
     .rank = 5,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_ANSWERS_UNUSABLE,
     .network = 0,
     .cause = "the answers of the test server {subject} could not be read",
     .text = "The test server {subject} answered, but in a form precall cannot read, so nothing "
             "could be measured. Try another STUN server with --stun; this does not show a "
             "problem with your network."},
    {.id = "internal",
     .rank = 5,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_INTERNAL,
     .network = 0,
     .cause = "{probes} failed inside precall",
     .text = "{Probes} failed because of an error inside precall, not because of your "
             "network. Run the check again; if it happens again, report it with the output of "
             "'precall -v'."},
    {.id = "did-not-stop",
     .rank = 5,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_DID_NOT_STOP,
     .network = 0,
     .cause = "{probes} did not stop in time",
     .text = "{Probes} did not stop when its time was up, so its results were left "
             "out. This is a fault of precall, not of your network: run the check again, and if "
             "it happens again, report it with the output of 'precall -v'."},
    {.id = "mic-missing",
     .rank = 6,
     .match = PC_RULE_TEXT_IS,
     .metric = PC_M_MIC_STATE,
     .arg = "missing",
     .network = 1,
     .cause = "no microphone was found",
     .severity = "critical",
     .text = "No microphone was found, so the other person would not hear you. Plug in a "
             "headset or a microphone, then run the check again."},
    {.id = "mic-permission",
     .rank = 6,
     .match = PC_RULE_TEXT_IS,
     .metric = PC_M_MIC_STATE,
     .arg = "no-permission",
     .network = 1,
     .cause = "this program may not use the microphone",
     .severity = "critical",
     .text = "This computer does not let the check use the microphone. Make sure you are "
             "logged in at this computer itself (not remotely); if it goes on, ask whoever looks "
             "after the computer to give your user access to sound devices (the 'audio' group)."},
    {.id = "capture-damaged",
     .rank = 6,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_CAPTURE_DAMAGED,
     .network = 0,
     .cause = "the capture file {subject} is damaged",
     .text = "The capture file {subject} is damaged or cut short: only the packets before the "
             "damage were analysed, so this report covers only that part of the session. A "
             "capture stopped by a full disk or a copy interrupted looks like this; copy the file "
             "again, or capture again with 'precall capture -i INTERFACE -w call.pcap'."},
    {.id = "no-rtp",
     .rank = 6,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_NO_RTP,
     .network = 0,
     .cause = "the capture holds no RTP media",
     .text = "This capture holds no RTP media: no audio or video stream of a call was found in "
             "it. Capture during the call, on the computer that made it, with 'precall capture -i "
             "INTERFACE' (or 'tcpdump -i INTERFACE -w call.pcap udp or tcp port 443'), and "
             "analyse that file."},
    {.id = "streams-too-short",
     .rank = 6,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_STREAMS_TOO_SHORT,
     .network = 0,
     .cause = "every stream in the capture is too short to judge",
     .text = "Every audio or video stream in this capture is too short to judge the connection "
             "by (each is listed with its figures): a few packets say nothing about a call. "
             "Capture for at least a minute during the call, with 'precall capture -i "
             "INTERFACE', and analyse that file."},
    {.id = "media-in-tls",
     .rank = 6,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_MEDIA_IN_TLS,
     .network = 0, /* no cause for the headline: the verdict stands, partial */
     .text = "Part of the call's media went through a TURN relay inside TLS (TURNS, {subject}), "
             "which encrypts it: its loss and jitter could not be measured, and no capture on "
             "this computer can show them, as the media is encrypted before it leaves. Analyse a "
             "capture taken at the relay, or ask whoever runs the service to allow TURN over UDP "
             "so that the media can be seen and judged."},
    {.id = "mic-busy",
     .rank = 7,
     .match = PC_RULE_TEXT_IS,
     .metric = PC_M_MIC_STATE,
     .arg = "busy",
     .network = 1,
     .cause = "the microphone is in use by another app",
     .severity = "critical",
     .text = "Another app is using the microphone. Close other apps that may be using it, such "
             "as Zoom, Teams or a browser tab, then run the check again."},
    {.id = "mic-silent",
     .rank = 7,
     .match = PC_RULE_TEXT_IS,
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
     .match = PC_RULE_TEXT_IS,
     .metric = PC_M_CAMERA_STATE,
     .arg = "no-permission",
     .network = 1,
     .severity = "warning",
     .text = "This computer does not let the check use the camera, so the session would be "
             "audio only. Ask whoever looks after the computer to give your user access to the "
             "camera (the 'video' group), then log out, log back in and run the check again."},
    {.id = "camera-busy",
     .rank = 8,
     .match = PC_RULE_TEXT_IS,
     .metric = PC_M_CAMERA_STATE,
     .arg = "busy",
     .network = 1,
     .severity = "warning",
     .text = "Another app is using the camera, so the session would be audio only. Close other "
             "apps that may be using the camera, such as Zoom, Teams or a browser tab, then run "
             "the check again."},
    {.id = "camera-missing",
     .rank = 9,
     .match = PC_RULE_TEXT_IS,
     .metric = PC_M_CAMERA_STATE,
     .arg = "missing",
     .network = 1,
     .severity = "warning",
     .text = "No camera was found, so the session can only be audio. Plug in a webcam (or open "
             "the laptop's lid), then run the check again."},
    {.id = "camera-no-frames",
     .rank = 9,
     .match = PC_RULE_TEXT_IS,
     .metric = PC_M_CAMERA_STATE,
     .arg = "no-frames",
     .network = 1,
     .severity = "warning",
     .text = "The camera was found but sent no picture. Check that no cover or privacy switch "
             "blocks it, unplug it and plug it back in (or restart the computer), then run the "
             "check again."},
    /* A relay given with --turn was measured: no assumption to state (relay-works says more). */
    {.id = "udp-blocked",
     .rank = 10,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_UDP_BLOCKED,
     .network = 1,
     .when = &relay_works,
     .text = "This network blocks the direct kind of traffic video calls prefer (UDP). The relay "
             "you gave (--turn) was checked and works, so calls will connect through it, with "
             "more delay; the verdict is from what was measured through the relay. On a work, "
             "school or public network, ask its "
             "administrator to allow video calls (UDP); at home, check your router's firewall "
             "settings."},
    /*
     * A relay given with --turn was checked and failed: no relay to fall back on is known.
     * The verdict names the relay's own cause (relay-unreachable, relay-tls, ...), below.
     */
    {.id = "udp-blocked",
     .rank = 10,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_UDP_BLOCKED,
     .network = 1,
     .when = &relay_fails,
     .text = "This network blocks the direct kind of traffic video calls prefer (UDP), and the "
             "relay you gave (--turn) could not be used from it (see below), so calls may not "
             "connect at all. On a work, school or public network, ask its administrator to "
             "allow video calls (UDP) or the relay; at home, check your router's firewall "
             "settings."},
    {.id = "udp-blocked",
     .rank = 10,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_UDP_BLOCKED,
     .network = 1,
     .when = &https_works,
     .text = "This network blocks the direct kind of traffic video calls prefer (UDP), so calls "
             "will use a relay over secure web traffic instead (assumed, not measured: give your "
             "platform's relay with --turn to check it): they will work, but at reduced "
             "quality and with more delay. On a work, school or public network, ask its "
             "administrator to allow video calls (UDP); at home, check your router's firewall "
             "settings."},
    {.id = "udp-blocked",
     .rank = 10,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_UDP_BLOCKED,
     .network = 1,
     .cause = "UDP is blocked on this network",
     .text = "This network blocks the kind of traffic video calls use (UDP). On a work, school or "
             "public network, ask its administrator to allow video calls; otherwise try another "
             "network, such as your home Wi-Fi or a phone hotspot."},
    {.id = "relay-works",
     .rank = 11,
     .match = PC_RULE_AT_LEAST,
     .metric = PC_M_RELAY_RTT_MS,
     .level = NUMBER(0),
     .network = 1,
     .when = &udp_fails,
     .severity = "info",
     .text = "The direct path (UDP) failed, but the relay answered: calls will connect through "
             "the relay, with a round trip of {value} between this computer and it (measured "
             "through the relay). Expect more delay than on a direct path."},
    {.id = "relay-slower",
     .rank = 11,
     .match = PC_RULE_RATIO_ABOVE,
     .metric = PC_M_RELAY_RTT_MS,
     .per = PC_M_RTT_MEDIAN_MS,
     .level = NUMBER(150),
     .network = 1,
     .when = &relay_rtt_noticeable,
     .severity = "info",
     .text = "The path through the relay is slower than the direct one: a round trip of {value} "
             "to the relay against {per} ms on the direct path. Calls that go through the relay "
             "will have more delay."},
    {.id = "relay-unreachable",
     .rank = 11,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_RELAY_UNREACHABLE,
     .network = 1,
     .cause = "the relay could not be reached",
     .text = "The relay (--turn) could not be reached from this network. If calls need it, ask "
             "the network's administrator to allow it (UDP port 3478, or TCP port 443 for TLS), "
             "and check its address."},
    {.id = "relay-credentials",
     .rank = 11,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_RELAY_CREDENTIALS,
     .network = 0,
     .cause = "the relay refused the user name or password",
     .text = "The relay refused the user name or password it was given (401). Check "
             "PRECALL_TURN_USER and PRECALL_TURN_PASSWORD, the --turn-credentials file or the "
             "shared secret of --turn-secret-file."},
    {.id = "relay-refused",
     .rank = 11,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_RELAY_REFUSED,
     .network = 0,
     .cause = "the relay refused the allocation",
     .text = "The relay was reached but refused to relay (forbidden, its quota or its capacity "
             "reached). Ask whoever runs it; the reason is in the relay check's details."},
    {.id = "relay-tls",
     .rank = 11,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_RELAY_TLS,
     .network = 1,
     .cause = "the secure connection to the relay failed",
     .text = "The secure connection (TLS) to the relay failed: its certificate is not trusted "
             "or the network interferes with it. Check the relay's certificate (or --cacert)."},
    {.id = "relay-faulty",
     .rank = 11,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_RELAY_FAULTY,
     .network = 0,
     .cause = "the relay answered wrongly",
     .text = "The relay answered in a way a working relay does not (a wrong integrity check, "
             "a nonce that keeps changing, or a closed connection). Ask whoever runs it."},
    {.id = "speaker-missing",
     .rank = 12,
     .match = PC_RULE_VALUE_IS,
     .metric = PC_M_SPEAKER_PRESENT,
     .level = NUMBER(0),
     .network = 1,
     .severity = "warning",
     .text = "No speaker or headphones were found, so you may not hear the other person. Plug "
             "in headphones or speakers, then run the check again."},
    {.id = "server-stopped",
     .rank = 15,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_SERVER_STOPPED,
     .network = 1,
     .cause = "the test server stopped answering",
     .text = "The test server stopped answering in the middle of the check, as if the connection "
             "dropped out. Restart your router and run the check again; if it happens again, "
             "call your internet provider."},
    {.id = "server-unreachable",
     .rank = 16,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_SERVER_UNREACHABLE,
     .network = 1,
     .cause = "the speed-test server could not be reached, {subject}",
     .text = "The speed-test server {subject} could not be reached, so the speed of your "
             "connection could not be measured. If you chose the server (--server), check its "
             "address; otherwise this network may block secure web traffic: try another network, "
             "such as a phone hotspot."},
    {.id = "tls-failed",
     .rank = 17,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_TLS_FAILED,
     .network = 0,
     .cause = "the speed-test server's identity could not be verified, {subject}",
     .text = "The speed-test server {subject} could not prove who it is, so no test was sent to "
             "it. If you run your own server, give its certificate authority with --cacert; on a "
             "public Wi-Fi that shows a sign-in page, sign in first, then run the check again."},
    {.id = "server-error",
     .rank = 18,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_SERVER_ERROR,
     .network = 0,
     .cause = "the speed-test server did not work properly, {subject}",
     .text = "The speed-test server {subject} did not answer the test properly, so the speed of "
             "your connection could not be measured. This is a problem with the server, not with "
             "your network: try again later, or another server with --server."},
    /* The server's refusal or fault: the speed checks are left out, as with --skip; the
       verdict stands on what was measured, so no headline cause, and no network advice. */
    {.id = "server-refused",
     .rank = 18,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_SERVER_REFUSED,
     .network = 0,
     .severity = "warning",
     .text = "The speed-test server {subject} refused the test, so the speed of your connection "
             "was not measured. This is the server's decision, not a problem with your network. "
             "Try again in a few minutes, or use a clinic's own server (--server)."},
    {.id = "server-faulty",
     .rank = 18,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_SERVER_FAULTY,
     .network = 0,
     .severity = "warning",
     .text = "The speed-test server {subject} did not carry out the test properly, so the speed "
             "of your connection was not measured. This is a fault of the server, not of your "
             "network. Try again in a few minutes, or use a clinic's own server (--server)."},
    {.id = "proxy-failed",
     .rank = 18,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_PROXY_FAILED,
     .network = 0,
     .severity = "warning",
     .text = "This computer is set to send web traffic through the proxy {subject}, which did "
             "not answer, so the speed of your connection was not measured. Check the proxy "
             "setting (the https_proxy or all_proxy variable), or remove it if no proxy is "
             "needed, then run the check again."},
    {.id = "dns-failed",
     .rank = 20,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_DNS_FAILED,
     .network = 1,
     .unless = "offline",
     .cause = "server names could not be looked up",
     .text = "The addresses of the call servers could not be looked up. Restart your router; if "
             "that does not help, ask whoever runs your network to check its DNS settings."},
    {.id = "camera-low-res",
     .rank = 25,
     .match = PC_RULE_MISS,
     .metric = PC_M_CAMERA_VIDEO_HEIGHT_PX,
     .network = 1,
     .unless = CAMERA_UNUSABLE,
     .text = "Your camera sends {value} high video; {tier} needs {limit}. The session will work "
             "at reduced picture quality; a better webcam gives a sharper picture."},
    {.id = "upload-low",
     .rank = 25,
     .match = PC_RULE_MISS,
     .metric = PC_M_UPLOAD_MBPS,
     .network = 1,
     .when = &wired,
     .text = "Your connection sends slowly ({value}; {tier} needs {limit}), so your picture may "
             "look blurry or freeze for the other person. Pause cloud backups, uploads and other "
             "video calls on your network; if it stays slow, ask your internet provider about a "
             "faster upload speed."},
    {.id = "upload-low",
     .rank = 25,
     .match = PC_RULE_MISS,
     .metric = PC_M_UPLOAD_MBPS,
     .network = 1,
     .text = "Your connection sends slowly ({value}; {tier} needs {limit}), so your picture may "
             "look blurry or freeze for the other person. Pause cloud backups, uploads and other "
             "video calls on your network, and use a network cable or move closer to the Wi-Fi "
             "router; if it stays slow, ask your internet provider about a faster upload speed."},
    {.id = "download-low",
     .rank = 26,
     .match = PC_RULE_MISS,
     .metric = PC_M_DOWNLOAD_MBPS,
     .network = 1,
     .when = &wired,
     .text = "Your connection receives slowly ({value}; {tier} needs {limit}), so the other "
             "person's picture may look blurry or freeze. Pause downloads, streaming and updates "
             "on your network; if it stays slow, ask your internet provider about a faster "
             "plan."},
    {.id = "download-low",
     .rank = 26,
     .match = PC_RULE_MISS,
     .metric = PC_M_DOWNLOAD_MBPS,
     .network = 1,
     .text = "Your connection receives slowly ({value}; {tier} needs {limit}), so the other "
             "person's picture may look blurry or freeze. Pause downloads, streaming and updates "
             "on your network, and use a network cable or move closer to the Wi-Fi router; if it "
             "stays slow, ask your internet provider about a faster plan."},
    {.id = "stream-loss-burst",
     .rank = 28,
     .match = PC_RULE_MISS,
     .metric = PC_M_STREAM_WORST_SECOND_LOSS_PCT,
     .network = 1,
     .series = PC_M_STREAM_LOSS_PCT,
     .text = "At {when} the {label} lost {value} of its packets for {for} ({tier} needs {limit} "
             "in every second): the picture froze or the voice broke up then. Loss in bursts like "
             "this usually comes from Wi-Fi or a congested link on that side of the call."},
    {.id = "bufferbloat",
     .rank = 28,
     .match = PC_RULE_MISS,
     .metric = PC_M_BUFFERBLOAT_MS,
     .network = 1,
     .text = "When your connection is busy, its delay grows by {value} ({tier} needs {limit}), "
             "so anyone downloading or uploading during your session makes the call lag. In your "
             "router's settings, turn on smart queue management (SQM, also called fq_codel or "
             "CAKE), or ask others on your network not to download or upload during the "
             "session."},
    {.id = "stream-loss",
     .rank = 29,
     .match = PC_RULE_MISS,
     .metric = PC_M_STREAM_LOSS_PCT,
     .network = 1,
     .series = PC_M_STREAM_LOSS_PCT,
     .unless = "stream-loss-far-side,stream-loss-last-hop", /* the side is known: said there */
     .text = "The {label} lost {value} of its packets over the whole capture ({tier} needs "
             "{limit}), worst at {when}. Look at the network on the sending side: a cable instead "
             "of Wi-Fi, and nothing else using the connection during sessions."},
    /* A capture with both legs of a relayed stream: the side of the call where its loss began. */
    {.id = "stream-loss-far-side",
     .rank = 29,
     .match = PC_RULE_MISS,
     .metric = PC_M_STREAM_LOSS_PCT,
     .network = 1,
     .series = PC_M_STREAM_LOSS_PCT,
     .when = &loss_far_side,
     .cause = "packets lost before the relay, on the sender's side",
     .text = "The {label} lost {value} of its packets ({tier} needs {limit}), worst at {when}, and "
             "they were already missing from what reached the relay: the loss started on the "
             "sender's side of the call (its connection, or the path from it to the relay), not on "
             "the last hop to the receiver. Look at the sender's network: a cable instead of "
             "Wi-Fi, and nothing else using that connection during sessions."},
    {.id = "stream-loss-last-hop",
     .rank = 29,
     .match = PC_RULE_MISS,
     .metric = PC_M_STREAM_LOSS_PCT,
     .network = 1,
     .series = PC_M_STREAM_LOSS_PCT,
     .when = &loss_last_hop,
     .cause = "packets lost on the last hop, from the relay to the receiver",
     .text = "The {label} lost {value} of its packets ({tier} needs {limit}), worst at {when}, but "
             "the relay received all of them: they were lost on the last hop, from the relay to "
             "the receiver. Look at the receiving side's network: a cable instead of Wi-Fi, the "
             "router restarted, and nothing else using that connection during sessions."},
    {.id = "loss-high",
     .rank = 30,
     .match = PC_RULE_MISS,
     .metric = PC_M_LOSS_ONEWAY_PCT,
     .network = 1,
     .when = &wired,
     .text = "About {value} of packets are lost each way{scope} ({tier} needs {limit}), which "
             "makes video freeze and voices break up. Check that the network cable is plugged in "
             "firmly at "
             "both ends (or try another cable), and restart the router; if it goes on, call your "
             "internet provider."},
    {.id = "loss-high",
     .rank = 30,
     .match = PC_RULE_MISS,
     .metric = PC_M_LOSS_ONEWAY_PCT,
     .network = 1,
     .text =
         "About {value} of packets are lost each way{scope} ({tier} needs {limit}), which "
         "makes video freeze and voices break up. Use a network cable or move closer to your Wi-Fi "
         "router, and restart the router; if it goes on, call your internet provider."},
    {.id = "wifi-very-weak",
     .rank = 32,
     .match = PC_RULE_BELOW,
     .metric = PC_M_WIFI_SIGNAL_DBM,
     .level = LEVEL(PC_AL_WIFI_VERY_WEAK_DBM),
     .network = 1,
     .severity = "warning",
     .text = "The Wi-Fi signal is very weak ({value}), which makes calls freeze and drop. Move "
             "closer to your Wi-Fi router, or use a network cable."},
    /* Every answer arriving more than once: a loop, or a device that copies packets. */
    {.id = "duplicates",
     .rank = 33,
     .match = PC_RULE_RATIO_ABOVE,
     .metric = PC_M_DUPLICATES,
     .per = PC_M_PROBES_ANSWERED,
     .level = LEVEL(PC_AL_DUPLICATES_PCT),
     .network = 1,
     .severity = "warning",
     .text = "Many test answers arrived more than once ({value} copies for {per} answers). A "
             "network that delivers packets twice has a loop or a faulty device (a router, "
             "switch, firewall or VPN); restart your router, and if it goes on, tell whoever runs "
             "your network."},
    {.id = "burst-loss",
     .rank = 35,
     .match = PC_RULE_MISS,
     .metric = PC_M_BURST_LOSS_ONEWAY_PCT,
     .network = 1,
     .when = &wired,
     .text = "Packets were lost in bursts ({value} within a fifth of a second{scope}; {tier} "
             "needs {limit}), which freezes the picture. On a wired connection this comes from "
             "the router or the internet connection: restart the router, and if it goes on, call "
             "your internet provider."},
    {.id = "burst-loss",
     .rank = 35,
     .match = PC_RULE_MISS,
     .metric = PC_M_BURST_LOSS_ONEWAY_PCT,
     .network = 1,
     .text = "Packets were lost in bursts ({value} within a fifth of a second{scope}; {tier} "
             "needs {limit}), which freezes the picture. This usually comes from a weak Wi-Fi "
             "signal: use a network cable or move closer to the router."},
    {.id = "latency-high",
     .rank = 40,
     .match = PC_RULE_MISS,
     .metric = PC_M_RTT_MEDIAN_MS,
     .network = 1,
     .when = &rises_under_load,
     .text = "The connection is slow to respond ({value}{scope}; {tier} needs {limit}), and "
             "slower still when it is busy, so you may talk over each other. Pause downloads, "
             "backups and streaming on your network during the session."},
    {.id = "latency-high",
     .rank = 40,
     .match = PC_RULE_MISS,
     .metric = PC_M_RTT_MEDIAN_MS,
     .network = 1,
     .text = "The connection is slow to respond ({value}{scope}; {tier} needs {limit}), so you "
             "may talk over each other. Restart your router; if it stays slow, ask your internet "
             "provider why the delay is this high."},
    /* Delay is conversation, not picture: a note, never a cap on the video tier. */
    {.id = "conversation-delay",
     .rank = 40,
     .match = PC_RULE_ABOVE,
     .metric = PC_M_DELAY_ONEWAY_MS,
     .level = LEVEL(PC_AL_CONVERSATION_DELAY_MS),
     .network = 1,
     .unless = "latency-high",
     .text = "Your words take about {value} to reach the other person (a natural conversation "
             "needs {limit}), so replies come late and you may talk over each other, though the "
             "picture is not affected. Leave a short pause before you answer; if it stays like "
             "this, ask your internet provider why the delay is this high."},
    {.id = "room-very-noisy",
     .rank = 45,
     .match = PC_RULE_ABOVE,
     .metric = PC_M_ROOM_NOISE_DBFS,
     .level = LEVEL(PC_AL_ROOM_VERY_NOISY_DBFS),
     .network = 1,
     .severity = "warning",
     .text = "The room is loud (background noise at {value}), so you will be hard to hear and "
             "others may overhear you. Find a quiet, private spot and close the door; a headset "
             "also helps."},
    {.id = "stream-gap",
     .rank = 45,
     .match = PC_RULE_MISS,
     .metric = PC_M_STREAM_GAP_EXCESS_MS,
     .network = 1,
     .text = "The {label} had a dropout of {value} at one point ({tier} needs {limit}): packets "
             "that were sent arrived late or not at all, and the picture or sound froze. A gap "
             "like this is a dropout of the connection or of the sending computer."},
    {.id = "jitter-high",
     .rank = 50,
     .match = PC_RULE_MISS,
     .metric = PC_M_JITTER_MS,
     .network = 1,
     .when = &rises_under_load,
     .text = "The connection's delay keeps changing ({value} of jitter{scope}; {tier} needs "
             "{limit}), and more so when it is busy, which makes sound choppy. Ask others on "
             "your network to pause streaming and games during your session."},
    {.id = "jitter-high",
     .rank = 50,
     .match = PC_RULE_MISS,
     .metric = PC_M_JITTER_MS,
     .network = 1,
     .when = &wired,
     .text = "The connection's delay keeps changing ({value} of jitter{scope}; {tier} needs "
             "{limit}), which makes sound choppy. Restart your router; if it goes on, call your "
             "internet provider."},
    {.id = "jitter-high",
     .rank = 50,
     .match = PC_RULE_MISS,
     .metric = PC_M_JITTER_MS,
     .network = 1,
     .text = "The connection's delay keeps changing ({value} of jitter{scope}; {tier} needs "
             "{limit}), which makes sound choppy. Use a network cable or move closer to your "
             "Wi-Fi router; if it goes on, call your internet provider."},
    {.id = "wifi-weak",
     .rank = 55,
     .match = PC_RULE_BELOW,
     .metric = PC_M_WIFI_SIGNAL_DBM,
     .level = LEVEL(PC_AL_WIFI_WEAK_DBM),
     .network = 1,
     .unless = "wifi-very-weak",
     .text = "The Wi-Fi signal is weak ({value}). Moving closer to your Wi-Fi router, or using "
             "a network cable, makes the call steadier."},
    {.id = "stream-jitter",
     .rank = 55,
     .match = PC_RULE_MISS,
     .metric = PC_M_STREAM_JITTER_MS,
     .network = 1,
     .series = PC_M_STREAM_JITTER_MS,
     .text = "The {label} arrived unevenly ({value} of jitter on average, worst at {when}; {tier} "
             "needs {limit}), which makes sound choppy. Others on that network streaming or "
             "downloading during the call is the usual cause."},
    {.id = "dns-slow",
     .rank = 60,
     .match = PC_RULE_ABOVE,
     .metric = PC_M_DNS_MS,
     .level = LEVEL(PC_AL_DNS_SLOW_MS),
     .network = 1,
     .text = "Looking up server addresses is slow ({value}), so joining a call may take longer. "
             "Restarting your router often fixes this."},
    {.id = "battery-low",
     .rank = 62,
     .match = PC_RULE_BELOW,
     .metric = PC_M_BATTERY_PCT,
     .level = LEVEL(PC_AL_BATTERY_LOW_PCT),
     .network = 1,
     .when = &on_battery,
     .severity = "warning",
     .text = "The battery is low ({value}) and the computer is not plugged in. Plug in the "
             "charger before the session."},
    {.id = "picture-very-dark",
     .rank = 64,
     .match = PC_RULE_BELOW,
     .metric = PC_M_CAMERA_LUMA,
     .level = LEVEL(PC_AL_PICTURE_VERY_DARK_LUMA),
     .network = 1,
     .severity = "warning",
     .text = "Your picture is very dark, so the other person cannot see your face. Turn on a "
             "light facing you."},
    {.id = "picture-backlit",
     .rank = 65,
     .match = PC_RULE_VALUE_IS,
     .metric = PC_M_CAMERA_BACKLIT,
     .level = NUMBER(1),
     .network = 1,
     .severity = "info",
     .text = "There is a bright light behind you, so your face is in shadow. Turn so the window "
             "is not behind you, or close the curtains and turn on a light facing you."},
    {.id = "http-slow",
     .rank = 65,
     .match = PC_RULE_ABOVE,
     .metric = PC_M_TTFB_MS,
     .level = LEVEL(PC_AL_HTTP_SLOW_MS),
     .network = 1,
     .text = "Opening a secure connection to the test server took {value}, so joining a call may "
             "take a while. Restarting your router often helps; on a work network, a web filter "
             "may be slowing it down."},
    {.id = "picture-dark",
     .rank = 66,
     .match = PC_RULE_BELOW,
     .metric = PC_M_CAMERA_LUMA,
     .level = LEVEL(PC_AL_PICTURE_DARK_LUMA),
     .network = 1,
     .unless = "picture-very-dark",
     .text = "Your picture is a little dark. Turn on a light facing you, or sit facing a "
             "window."},
    {.id = "picture-bright",
     .rank = 66,
     .match = PC_RULE_ABOVE,
     .metric = PC_M_CAMERA_LUMA,
     .level = LEVEL(PC_AL_PICTURE_WASHED_OUT_LUMA),
     .network = 1,
     .unless = "picture-backlit",
     .text = "Your picture is washed out by too much light. Move out of direct sunlight, or turn "
             "away a lamp that points at the camera."},
    {.id = "room-noisy",
     .rank = 68,
     .match = PC_RULE_ABOVE,
     .metric = PC_M_ROOM_NOISE_DBFS,
     .level = LEVEL(PC_AL_ROOM_NOISY_DBFS),
     .network = 1,
     .unless = "room-very-noisy",
     .text = "There is some background noise in the room ({value}). If you can, find a quiet, "
             "private spot and close the door."},
    {.id = "mic-clipping",
     .rank = 69,
     .match = PC_RULE_ABOVE,
     .metric = PC_M_MIC_CLIPPED_PCT,
     .level = LEVEL(PC_AL_MIC_CLIPPED_PCT),
     .network = 1,
     .text = "Your microphone is set too loud, so your voice may sound distorted. Turn the input "
             "volume down a little in your sound settings."},
    {.id = "nat-symmetric",
     .rank = 70,
     .match = PC_RULE_TEXT_IS,
     .metric = PC_M_NAT_MAPPING,
     .arg = "address-dependent",
     .network = 1,
     .text = "Your router gives each server a different address for this computer, so the call "
             "may have to go through a relay, which adds delay. If calls fail to connect, ask "
             "whoever runs your network to allow direct video calls."},
    {.id = "vpn-active",
     .rank = 75,
     .match = PC_RULE_TEXT_IS,
     .metric = PC_M_LINK_KIND,
     .arg = "vpn",
     .network = 1,
     .text = "This computer sends its traffic through a VPN or tunnel, which can add delay. If "
             "you can, turn the VPN off during the session."},
    {.id = "cpu-low",
     .rank = 80,
     .match = PC_RULE_MISS,
     .metric = PC_M_CPU_COUNT,
     .network = 1,
     .text = "This computer has {value} processor core(s), and {tier} needs {limit}, so video "
             "will run at reduced quality. Close other programs during the session."},
    {.id = "memory-low",
     .rank = 81,
     .match = PC_RULE_MISS,
     .metric = PC_M_MEMORY_TOTAL_MIB,
     .network = 1,
     .text = "This computer has {value} of memory, and {tier} needs {limit}, so video will run "
             "at reduced quality. Close other programs during the session."},
    {.id = "cpu-busy",
     .rank = 85,
     .match = PC_RULE_ABOVE,
     .metric = PC_M_CPU_LOAD_PCT,
     .level = LEVEL(PC_AL_CPU_BUSY_PCT),
     .network = 1,
     .text = "The computer has more work than it can keep up with right now, so your picture "
             "and sound may stutter or lag during the call. Close programs you do not need "
             "before the session."},
    {.id = "full-hd-possible",
     .rank = 90,
     .match = PC_RULE_AT_LEAST,
     .metric = PC_M_DOWNLOAD_MBPS,
     .level = LEVEL(PC_AL_FULL_HD_MBPS),
     .network = 1,
     .when = &upload_full_hd,
     .praises = PC_TIER_HD,
     .text = "Your connection is fast enough for full HD (1080p) video both ways."},
    /* The primary STUN server lost many more answers than another over the same seconds:
     * the loss is the server's (a rate limit), not the user's network. No headline cause. */
    {.id = "stun-server-loss",
     .rank = 91,
     .match = PC_RULE_CAUSE,
     .cause_is = PC_CAUSE_STUN_SERVER_LOSS,
     .network = 0,
     .severity = "info",
     .text = "The test server {subject} left many test packets unanswered while another test "
             "server answered nearly all of them at the same time, so that loss is at the "
             "server (it may limit how fast it answers), not on your network. The loss figures "
             "above come from the other server. Nothing on your side needs to change."},
    /* IPv6 announced but going nowhere, IPv4 fine: calls work over IPv4. */
    {.id = "ipv6-broken",
     .rank = 92,
     .match = PC_RULE_VALUE_IS,
     .metric = PC_M_UDP_REACHABLE_IPV6,
     .level = NUMBER(0),
     .network = 1,
     .severity = "info",
     .when = &udp_over_ipv4,
     .text = "This network offers IPv6, the newer kind of internet address, but nothing reached "
             "the test servers that way; over IPv4 everything worked, and video calls will use "
             "it. Some apps and websites may be slow to start while they try IPv6 first. "
             "Restarting the router often fixes this; if it does not, ask your internet provider "
             "(or whoever runs this network) to fix IPv6 or turn it off in the router."},
    /* The traffic probe saw other traffic (1 Mbit/s or more) and where it was: the cause of
     * a bad session at home is more often that than the line. Alternatives: down, then up. */
    {.id = "other-traffic-this-computer",
     .rank = 93,
     .match = PC_RULE_AT_LEAST,
     .metric = PC_M_OTHER_DOWN_MBPS,
     .level = NUMBER(1),
     .network = 1,
     .cause = "something else on this computer is using the connection",
     .severity = "warning",
     .when = &other_here,
     .text = "While the check ran, something else on this computer was downloading at {value}. "
             "It competes with the call for your connection: pause it (a download, an update, "
             "cloud sync, streaming) before the session. The list of other traffic "
             "names the program where the system could tell."},
    {.id = "other-traffic-this-computer",
     .rank = 93,
     .match = PC_RULE_AT_LEAST,
     .metric = PC_M_OTHER_UP_MBPS,
     .level = NUMBER(1),
     .network = 1,
     .cause = "something else on this computer is using the connection",
     .severity = "warning",
     .when = &other_here,
     .text = "While the check ran, something else on this computer was uploading at {value}. "
             "It competes with the call for your connection: pause it (a backup, cloud sync, a "
             "file upload) before the session. The list of other traffic names the program where "
             "the system could tell."},
    {.id = "other-traffic-other-device",
     .rank = 94,
     .match = PC_RULE_AT_LEAST,
     .metric = PC_M_OTHER_DOWN_MBPS,
     .level = NUMBER(1),
     .network = 1,
     .cause = "another device on your network is busy",
     .severity = "warning",
     .when = &other_device,
     .text = "While the check ran, this computer's network connection carried {value} of "
             "another device's traffic. Another device on your network is busy: pause big "
             "downloads, streaming or backups on the other devices during the session."},
    /* Other traffic (1 Mbit/s or more) during the speed test, precall's own left out: the
     * speed figures are under what the line gives. Alternatives: down, then up. */
    {.id = "other-traffic-speed-test",
     .rank = 95,
     .match = PC_RULE_AT_LEAST,
     .metric = PC_M_OTHER_SPEED_DOWN_MBPS,
     .level = NUMBER(1),
     .network = 1,
     .cause = "other traffic shared the connection during the speed test",
     .severity = "info",
     .text = "During the speed test, other traffic came in at {value}, so the download speed "
             "measured is lower than what your line gives by about that much. Pause it and run "
             "the check again for the line's own figure."},
    {.id = "other-traffic-speed-test",
     .rank = 95,
     .match = PC_RULE_AT_LEAST,
     .metric = PC_M_OTHER_SPEED_UP_MBPS,
     .level = NUMBER(1),
     .network = 1,
     .cause = "other traffic shared the connection during the speed test",
     .severity = "info",
     .text = "During the speed test, other traffic went out at {value}, so the upload speed "
             "measured is lower than what your line gives by about that much. Pause it and run "
             "the check again for the line's own figure."},
};

const struct pc_rule *pc_advice_rules(size_t *n)
{
    *n = sizeof(rules) / sizeof(rules[0]);
    return rules;
}
