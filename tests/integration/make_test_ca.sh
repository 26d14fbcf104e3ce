#!/bin/bash
# make_test_ca.sh DIR [NAME] [ADDR] - certificates for the integration tests,
# valid for one day, made with openssl (EC P-256, quick to make):
#
#   DIR/ca.pem, DIR/ca.key            "precall test CA" (self-signed root)
#   DIR/server.pem, DIR/server.key    leaf for NAME (default speed.precall.test)
#                                     and ADDR (default 198.18.1.4) as
#                                     subjectAltName, signed by ca.pem; also
#                                     valid for 127.0.0.1 (loopback instances)
#   DIR/other-ca.pem, DIR/other-ca.key  an unrelated CA with the same subject
#                                     name: trusting it must not make the
#                                     server's certificate verify
#
# Keys are written 0600. Exits non-zero with openssl's message on failure.
set -euo pipefail

dir=${1:?usage: make_test_ca.sh DIR [NAME] [ADDR]}
name=${2:-speed.precall.test}
addr=${3:-198.18.1.4}
mkdir -p "$dir"
cd "$dir"
umask 077

mkca() {
    local base=$1
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$base.key" -out "$base.pem" -days 1 -sha256 \
        -subj "/O=precall tests/CN=precall test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" 2>"$base.err" || { cat "$base.err" >&2; return 1; }
    rm -f "$base.err"
}

mkca ca
mkca other-ca

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout server.key -out server.csr -subj "/O=precall tests/CN=$name" 2>server.err ||
    { cat server.err >&2; exit 1; }
cat >server.ext <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:$name,IP:$addr,IP:127.0.0.1
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash
EXT
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -days 1 -sha256 -extfile server.ext -out server.pem 2>server.err ||
    { cat server.err >&2; exit 1; }
rm -f server.csr server.ext server.err ca.srl
chmod 0644 ca.pem other-ca.pem server.pem
openssl verify -CAfile ca.pem server.pem >/dev/null
if openssl verify -CAfile other-ca.pem server.pem >/dev/null 2>&1; then
    echo "make_test_ca.sh: server.pem verifies against other-ca.pem" >&2
    exit 1
fi
