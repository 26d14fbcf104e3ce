#!/bin/bash
# The HTML report in a real browser. Three reports: a check against the
# local servers (stun_echo.py with every tenth request dropped by nftables in
# this test's network namespace, speed_echo.py), 'precall analyze' of a
# capture that gen_captures writes (loss.pcap), and 'precall devices' of a
# fixture machine whose microphone hears a tone. Each is written with
# '-o FILE.html' (the extension picks the format), loaded in Debian's
# headless Chromium with JavaScript blocked, and:
#  - the screenshot is not blank (html_page.py shot: more than one colour);
#  - the DOM dump's <h1> is the verdict, and nothing in it could fetch:
#    no src=/href= but '#' and data:, no <script>, no url( (html_page.py dom);
#  - it validates: HTML Tidy (Debian 'tidy', 'tidy -errors -q') reports no
#    error and no warning, and does fail on a page with a tag left open.
# Also: a capture whose file name holds <script> shows it as text; --format
# and --json win over the extension; -o FILE.json is JSON, FILE.HTML is HTML, and
# site.html/report (a dot in a folder's name) is text.
# JavaScript is blocked through the fresh profile's content setting
# (Default/Preferences, javascript: 2): Chromium 156's new headless mode
# writes no screenshot and no DOM at all with --blink-settings=scriptEnabled=false.
# A control page whose script would change its text shows it did not run.
# With PRECALL_HTML_SHOT=DIR the screenshots are kept there (docs/html-report.png).
. "$(dirname "$0")/lib.sh"

GEN=${GEN:?GEN must name the gen_captures program}
command -v chromium >/dev/null || skip "chromium is not installed (apt-get install chromium)"
command -v tidy >/dev/null || skip "tidy is not installed (apt-get install tidy)"

n_chrome=0
chrome() { # ARGS...: headless Chromium, a fresh profile with JavaScript blocked, no network use
    n_chrome=$((n_chrome + 1))
    local profile=$WORK/chrome.$n_chrome
    mkdir -p "$profile/Default"
    echo '{"profile":{"default_content_setting_values":{"javascript":2}}}' >"$profile/Default/Preferences"
    timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --no-first-run --disable-sync --user-data-dir="$profile" \
        "$@" 2>>"$WORK/chrome.log"
}

# page NAME VERDICT: the browser checks of $WORK/NAME.html
page() {
    local name=$1 verdict=$2
    rm -f "$WORK/$name.png"
    chrome --window-size=412,1600 --screenshot="$WORK/$name.png" "file://$WORK/$name.html" >/dev/null
    "$PY" "$SRC/tests/cli/html_page.py" shot "$WORK/$name.png" && ok || not_ok "$name: the screenshot is blank or missing"
    chrome --dump-dom "file://$WORK/$name.html" >"$WORK/$name.dom"
    "$PY" "$SRC/tests/cli/html_page.py" dom "$WORK/$name.dom" "$verdict" && ok ||
        not_ok "$name: the DOM dump lacks the verdict '$verdict' or could fetch something"
    tidy -errors -q "$WORK/$name.html" >"$WORK/$name.tidy" 2>&1 && [ ! -s "$WORK/$name.tidy" ] && ok ||
        not_ok "$name: tidy: $(head -5 "$WORK/$name.tidy")"
    if [ -n "${PRECALL_HTML_SHOT:-}" ]; then
        chrome --window-size=412,900 --screenshot="$PRECALL_HTML_SHOT/html-report-$name.png" "file://$WORK/$name.html" >/dev/null
    fi
}

# verdict FILE.json: the verdict line of a JSON report
verdict() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"]["label"])' "$1"; }

# JavaScript is off: the control page's script does not run.
printf '<!DOCTYPE html><html><body><p id="x">static</p><script>document.getElementById("x").textContent="script ran"</script></body></html>\n' >"$WORK/js.html"
chrome --dump-dom "file://$WORK/js.html" >"$WORK/js.dom"
grep -q '>static</p>' "$WORK/js.dom" && ! grep -q '>script ran<' "$WORK/js.dom" && ok ||
    not_ok "JavaScript was not blocked: $(cat "$WORK/js.dom")"

# Tidy fails on a broken page (so that its pass means something).
printf '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>x</title></head><body><table><tr><td>x</table></p></body></html>\n' >"$WORK/broken.html"
tidy -errors -q "$WORK/broken.html" >/dev/null 2>&1 && not_ok "tidy passes a broken page" || ok

# 1. A capture analysis, its verdict as the JSON report of the same capture says.
"$GEN" "$WORK" >/dev/null || not_ok "gen_captures failed"
run analyze "$WORK/loss.pcap" -o "$WORK/analyze.html"
expect_rc 1 "analyze -o analyze.html"
head -1 "$WORK/analyze.html" | grep -qx '<!DOCTYPE html>' && ok || not_ok "-o FILE.html did not write HTML"
run analyze "$WORK/loss.pcap" -o "$WORK/analyze.json"
validate "$WORK/analyze.json"
want=$(verdict "$WORK/analyze.json")
[ -n "$want" ] && ok || not_ok "no verdict in analyze.json"
page analyze "$want"
grep -q '<svg viewBox' "$WORK/analyze.html" && grep -q 'Stream loss\|Loss (from sequence numbers)' "$WORK/analyze.html" &&
    ok || not_ok "the capture's report has no per-second chart"
# --format wins over the extension.
run analyze "$WORK/loss.pcap" -f text -o "$WORK/text.html"
head -1 "$WORK/text.html" | grep -q '^<!DOCTYPE' && not_ok "-f text -o FILE.html wrote HTML" || ok

run analyze "$WORK/loss.pcap" --json -o "$WORK/json.html"
head -c 1 "$WORK/json.html" | grep -qx '{' && ok || not_ok "--json -o FILE.html did not write JSON"

# The extension in any case; a dot in a folder's name is no extension.
run analyze "$WORK/loss.pcap" -o "$WORK/REPORT.HTML"
head -1 "$WORK/REPORT.HTML" | grep -qx '<!DOCTYPE html>' && ok || not_ok "-o REPORT.HTML did not write HTML"
mkdir "$WORK/site.html"
run analyze "$WORK/loss.pcap" -o "$WORK/site.html/report"
head -1 "$WORK/site.html/report" | grep -q '^<!DOCTYPE' && not_ok "-o site.html/report wrote HTML" || ok
head -1 "$WORK/site.html/report" | grep -qF "$want" && ok || not_ok "-o site.html/report is not the text report"

# A file name that holds markup is shown as text.
cp "$WORK/loss.pcap" "$WORK/a<script>b.pcap"
run analyze "$WORK/a<script>b.pcap" -o "$WORK/escape.html"
grep -q '<script' "$WORK/escape.html" && not_ok "a <script> of the report reached the page" || ok
grep -qF 'a&lt;script&gt;b.pcap' "$WORK/escape.html" && ok || not_ok "the file name is not in the page, escaped"
chrome --dump-dom "file://$WORK/escape.html" >"$WORK/escape.dom"
grep -qF 'a&lt;script&gt;b.pcap' "$WORK/escape.dom" && ! grep -q '<script' "$WORK/escape.dom" && ok ||
    not_ok "the browser made an element of the file name"

# 2. Devices of a fixture machine (a microphone that hears a tone when built with ALSA).
"$PY" -c "
import math, struct, sys
sys.stdout.buffer.write(b''.join(struct.pack('<h', int(8000 * math.sin(2 * math.pi * 440 * i / 48000))) for i in range(60000)))
" >"$WORK/tone.raw"
cat >"$WORK/tone.conf" <<CONF
pcm.!default {
  type file
  slave.pcm "nullpcm"
  file "/dev/null"
  infile "$WORK/tone.raw"
  format "raw"
}
pcm.nullpcm { type null }
CONF
export ALSA_CONFIG_PATH=$WORK/tone.conf
export PRECALL_SYSROOT=$SRC/tests/fixtures/sysroot/wifi-weak-battery-low
run devices --no-progress -o "$WORK/devices.html"
run devices --no-progress -o "$WORK/devices.json"
validate "$WORK/devices.json"
page devices "$(verdict "$WORK/devices.json")"
if [ "${PRECALL_WITH_ALSA:-1}" = 1 ]; then
    # The tone's peak, 20 log10(8000/32768) = -12.2 dBFS, as a level bar and its text alternative.
    grep -qF 'Microphone peak level: -12.2 dBFS' "$WORK/devices.html" && grep -q 'class="level"' "$WORK/devices.html" &&
        ok || not_ok "the devices' levels are not charted"
fi
unset ALSA_CONFIG_PATH PRECALL_SYSROOT

# 3. A check against the local servers, one request in ten to the STUN server dropped.
"$PY" "$SRC/tests/cli/stun_echo.py" >"$WORK/stun_port" &
stun=$!
"$PY" "$SRC/tests/cli/speed_echo.py" >"$WORK/speed_port" &
speed=$!
trap 'kill $stun $speed 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/stun_port" ] && [ -s "$WORK/speed_port" ] && break; sleep 0.1; done
sp=$(cat "$WORK/stun_port")
dropping=0
if [ -n "${PC_NETNS_ISOLATED:-}" ] && command -v nft >/dev/null &&
    nft add table inet pc_html 2>/dev/null &&
    nft add chain inet pc_html in '{ type filter hook input priority 0; }' &&
    nft add rule inet pc_html in udp dport "$sp" numgen inc mod 10 == 0 drop; then
    dropping=1
fi
[ "$dropping" = 1 ] || [ "$(id -u)" != 0 ] && ok || not_ok "as root, nftables could not drop requests in the test's namespace"
run --only udp,bandwidth --stun "127.0.0.1:$sp" --server "http://127.0.0.1:$(cat "$WORK/speed_port")" \
    --duration 6 --no-progress -o "$WORK/check.html"
[ "$rc" -le 3 ] && ok || not_ok "check -o check.html: exit $rc ($(head -c 300 "$err"))"
want=$(sed -n 's:^<h1>\(.*\)</h1>$:\1:p' "$WORK/check.html" | head -1)
case $want in
Ready* | Video* | Partial* | Not\ ready* | Audio* | No\ verdict*) ok ;;
*) not_ok "check.html's verdict is '$want'" ;;
esac
page check "$("$PY" -c 'import html,sys; print(html.unescape(sys.argv[1]))' "$want")"
grep -q 'Throughput per 100 ms (Mbit/s)</text>' "$WORK/check.html" && ok || not_ok "no throughput chart"
grep -q '>Round-trip time (ms)</text>' "$WORK/check.html" && ok || not_ok "no RTT chart"
if [ "$dropping" = 1 ]; then
    grep -q '<line class="lost"' "$WORK/check.html" && grep -q 'probes lost, [1-9][0-9]* of them marked' "$WORK/check.html" &&
        ok || not_ok "the lost probes are not marked"
fi
finish
