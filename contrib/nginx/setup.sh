#!/bin/sh
# setup.sh - render precall-speedtest.conf for this machine and make the
# file of random bytes that /__down serves from.
#
#   setup.sh -c CERT -k KEY [-s STATE_DIR] [-n NAME] [-d DIGITS]
#            [-t HTTPS_LISTEN] [-p HTTP_LISTEN] [-o OUTPUT]
#
#   -c, -k   TLS certificate chain and key (PEM), absolute paths
#   -s       directory for random.bin and the internal socket
#            (default /var/lib/precall-speedtest; must be readable by nginx's
#            worker user, and writable by it for the socket)
#   -n       server name (default: this host's name)
#   -d       N may have up to DIGITS digits: the largest answer, and the size
#            of random.bin, is 10^DIGITS - 1 bytes (default 9: 999999999)
#   -t, -p   listen addresses for HTTPS and plain HTTP (default 443, 8080)
#   -o       write the configuration there (default: standard output)
#
# random.bin is made from /dev/urandom once and kept while its size is right.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
state=/var/lib/precall-speedtest
name=$(hostname 2>/dev/null || echo localhost)
digits=9
https=443
http=8080
out=-
cert=
key=

usage() {
    sed -n '2,/^set -eu/p' "$0" | sed -e '/^set -eu/d' -e 's/^# \{0,1\}//' >&2
    exit 64
}

while getopts c:k:s:n:d:t:p:o:h opt; do
    case $opt in
        c) cert=$OPTARG ;;
        k) key=$OPTARG ;;
        s) state=$OPTARG ;;
        n) name=$OPTARG ;;
        d) digits=$OPTARG ;;
        t) https=$OPTARG ;;
        p) http=$OPTARG ;;
        o) out=$OPTARG ;;
        *) usage ;;
    esac
done
[ -n "$cert" ] && [ -n "$key" ] || { echo "setup.sh: -c CERT and -k KEY are required" >&2; usage; }
# At most 9: the answer must fit in the one 1024 MiB slice of /__down.
case $digits in
    [1-9]) ;;
    *) echo "setup.sh: -d must be 1 to 9" >&2; exit 64 ;;
esac
for f in "$cert" "$key"; do
    case $f in /*) ;; *) echo "setup.sh: '$f' must be an absolute path" >&2; exit 64 ;; esac
    [ -r "$f" ] || { echo "setup.sh: cannot read '$f'" >&2; exit 66; }
done
case $state in /*) ;; *) echo "setup.sh: -s must be an absolute path" >&2; exit 64 ;; esac

max=$(printf '%0*d' "$digits" 0 | tr 0 9)
mkdir -p "$state"
size=$(stat -c %s "$state/random.bin" 2>/dev/null || echo -1)
if [ "$size" != "$max" ]; then
    # head stops after exactly $max bytes; urandom never runs dry.
    head -c "$max" /dev/urandom >"$state/random.bin.tmp"
    mv "$state/random.bin.tmp" "$state/random.bin"
fi
chmod 0644 "$state/random.bin"

render() {
    sed -e "s|@STATE_DIR@|$state|g" \
        -e "s|@MAX_DIGITS_M1@|$((digits - 1))|g" \
        -e "s|@MAX@|$max|g" \
        -e "s|@HTTPS_LISTEN@|$https|g" \
        -e "s|@HTTP_LISTEN@|$http|g" \
        -e "s|@CERT@|$cert|g" \
        -e "s|@KEY@|$key|g" \
        -e "s|@SERVER_NAME@|$name|g" \
        "$here/precall-speedtest.conf"
}
if [ "$out" = - ]; then
    render
else
    render >"$out.tmp"
    mv "$out.tmp" "$out"
fi
