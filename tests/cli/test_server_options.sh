#!/bin/bash
# --server and --cacert are checked when the options are read, before any
# traffic: a URL libcurl's parser refuses, or one with a user name, password,
# query, fragment, space, empty host or port 0, exits 64 with the reason on
# one line (never repeating a password); a --cacert file that cannot be
# opened exits 66, one without a PEM certificate 65. A usable URL and file
# go through (exit 3: only the dns probe runs, over a numeric server, so
# nothing is sent).
. "$(dirname "$0")/lib.sh"

refused() { # words of the reason, then the --server value
    local words=$1
    shift
    run check --server "$1" --only dns --stun 198.18.0.1 --no-progress
    expect_rc 64 "--server '$1'"
    expect_err_lines 1
    expect_err "precall: --server: $words"
    expect_empty_out
}

refused "not a usable URL: No host part" "https://"
refused "not a usable URL: No host part" "https:///"
refused "port 0 is not a port" "https://speed.example:0"
refused "not a usable URL: Port number" "https://speed.example:99999"
refused "the URL has a space in it" "https://speed.example/a b"
refused "the URL has a space in it" "https://speed example"
refused "a query (?...) is not accepted" "https://speed.example/?x=1"
refused "a fragment (#...) is not accepted" "https://speed.example/#top"
refused "a password in the URL is not accepted" "https://user:s3cr3t@speed.example"
refused "a user name in the URL is not accepted" "https://user@speed.example"
refused "a password in the URL is not accepted" "https://:s3cr3t@speed.example"
refused "expected an https:// URL" "ftp://speed.example"
# The password is in no message, whatever else is wrong with the URL.
for u in "https://user:s3cr3t@speed.example" "https://:s3cr3t@speed.example" \
    "ftp://user:s3cr3t@speed.example" "https://user:s3cr3t@speed.example:0/?q"; do
    run check --server "$u" --only dns --stun 198.18.0.1 --no-progress
    expect_rc 64 "$u"
    ! grep -q s3cr3t "$err" "$out" && ok || not_ok "'$u': the password is printed: $(cat "$err")"
done

accepted() {
    run check --server "$1" --only dns --stun 198.18.0.1 --no-progress
    expect_rc 3 "--server '$1'"
}
accepted "https://speed.example"
accepted "https://speed.example:1/"
accepted "https://speed.example:65535/speed/"
accepted "https://[2001:2::1]:8443"
accepted "http://127.0.0.1:9"

cacert() { # exit, words, file
    run check --cacert "$3" --only dns --stun 198.18.0.1 --no-progress
    expect_rc "$1" "--cacert '$3'"
    expect_err_lines 1
    expect_err "precall: --cacert: $2"
    expect_empty_out
}
D=$WORK/certs && mkdir -p "$D"
: >"$D/empty.pem"
head -c 3000 /dev/urandom >"$D/garbage.pem"
printf -- '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' >"$D/key.pem"
printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n' >"$D/cut.pem"
printf -- 'x\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' >"$D/ca.pem"
cp "$D/ca.pem" "$D/unreadable.pem"
chmod 000 "$D/unreadable.pem"
cacert 66 "cannot open '$D/none.pem': No such file" "$D/none.pem"
cacert 66 "cannot open '$D': it is a directory" "$D"
cacert 65 "'$D/empty.pem' holds no PEM certificate" "$D/empty.pem"
cacert 65 "'$D/garbage.pem' holds no PEM certificate" "$D/garbage.pem"
cacert 65 "'$D/key.pem' holds no PEM certificate" "$D/key.pem"
cacert 65 "'$D/cut.pem' holds no PEM certificate" "$D/cut.pem"
# root reads any file: the permission case only as another user.
if [ "$(id -u)" -ne 0 ]; then
    cacert 66 "cannot open '$D/unreadable.pem': Permission denied" "$D/unreadable.pem"
fi
run check --cacert "$D/ca.pem" --only dns --stun 198.18.0.1 --no-progress
expect_rc 3 "a file with a certificate"
finish
