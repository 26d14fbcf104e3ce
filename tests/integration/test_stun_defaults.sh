#!/bin/bash
# integration.stun_defaults: precall's own default STUN servers, reached
# through the client namespace's hosts file (stun.l.google.com and
# stun.cloudflare.com name two request-recording servers in the test
# network, on the default ports 19302 and 3478): the 100/s stream goes to
# Cloudflare's, documented as unlimited, though Google's comes first in the
# list and answers; Google's gets at most 2 requests in any second; with
# --duration 3600 the check stops at the cap of requests to public servers
# (exactly PC_STUN_PUBLIC_REQUESTS_MAX, 1600) and ends in seconds, not an
# hour. Every request carries SOFTWARE.
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_cmd nft
nt_require_precall
nt_setup
nt_udp_checks
nt_hosts_add "$NT_NS_CLIENT" "$NT_STUN1" stun.cloudflare.com
nt_hosts_add "$NT_NS_CLIENT" "$NT_STUN2" stun.l.google.com

nt_stun_fixture cloudflare "$NT_STUN1" 3478
CPID=$NT_LAST_PID
nt_stun_fixture google "$NT_STUN2" 19302
GPID=$NT_LAST_PID

J=$NT_TMP/defaults.json
nt_precall "$NT_NS_CLIENT" "$J" check --only udp -p "$NT_TMP/udp-profile.json" --duration 3600 \
    --json --no-progress
nt_stop_fixture "$CPID" "$NT_TMP/cloudflare.json"
nt_stop_fixture "$GPID" "$NT_TMP/google.json"
nt_validate_report "$J"
nt_expect_rc 0
C=$NT_TMP/cloudflare.json G=$NT_TMP/google.json
NC=$(nt_fixture_value "$C" 'f["requests"]')
NG=$(nt_fixture_value "$G" 'f["requests"]')
nt_log "cloudflare: $NC requests (at most $(nt_fixture_value "$C" 'f["max_per_s"]') in a second);" \
    "google: $NG requests (at most $(nt_fixture_value "$G" 'f["max_per_s"]') in a second); udp: $(nt_json "$J" 'r["probes"]["udp"]["reason"]')"

nt_check "$J" 'r["probes"]["udp"]["status"] == "ok"' "udp probe ok"
nt_check "$J" 'len(r["probes"]["udp"]["targets"]) == 2' "two default servers used"
nt_check "$J" 'any(t["host"] == "stun.cloudflare.com" and t["detail"].startswith("probed at 100/s") for t in r["probes"]["udp"]["targets"])' \
    "the stream (100/s) went to stun.cloudflare.com"
nt_check "$J" 'any(t["host"] == "stun.l.google.com" and t["detail"].startswith("compared at 1.818/s") for t in r["probes"]["udp"]["targets"])' \
    "stun.l.google.com compared at 1.818/s (one per 550 ms)"
nt_check "$J" 'r["probes"]["udp"]["reason"] == "stopped at the cap of 1600 requests to public STUN servers"' \
    "the probe says it stopped at the cap"
nt_check "$J" "$NC + $NG == 1600 and $NC >= 1500" "exactly 1600 requests to the public servers, the stream's to Cloudflare ($NC + $NG)"
NT_FIXTURE=$G nt_check "$J" 'f["max_per_s"] <= 2' "Google's server: at most 2 requests in any second"
NT_FIXTURE=$C nt_check "$J" 'f["max_per_s"] >= 90' "Cloudflare's server: the stream's rate"
nt_check "$J" 'r["duration_ms"] < 30000' "--duration 3600 ended within 30 s (the cap)"
for f in "$C" "$G"; do
    NT_FIXTURE=$f nt_check "$J" 'f["with_software"] == f["requests"] and f["software"].startswith("precall/")' \
        "every request to ${f##*/} carried SOFTWARE precall/..."
done
nt_done
