#!/usr/bin/env python3
"""hostile_http.py - a speed-test server that misbehaves on purpose.

    hostile_http.py MODE ADDR PORT CERT KEY

Serves the two endpoints of the speed test over TLS (CERT/KEY, PEM), except
in mode 'plain', where it speaks plain HTTP on the port. GET /__down?bytes=0
is always answered properly (so precall's http probe passes where the mode
is about transfers); everything else follows MODE:

  status    every request: 503 Service Unavailable
  redirect  every request: 302 to itself (a loop)
  plain     plain HTTP on the TLS port (answers like 'status')
  silent    accepts the connection, never says anything
  stall     /__down: headers and 64 KiB of the asked bytes, then nothing
  close     /__down: Content-Length as asked, half of it, then closes
  short     /__down: Content-Length 1000 whatever was asked, then the 1000 bytes
  refuse    every request, bytes=0 too: 403 Forbidden (a provider refused)
  reset     every request, bytes=0 too: the TLS connection reset before an answer
  bigzero   /__down?bytes=0 answered with 100 MB (everything else as 'public')
  trickle   /__down: headers, then one byte a second
  headers   every request: the status line and headers a byte a second
  chunked   /__down: a chunked body that never ends
  public    a well-behaved server with the public one's limits: after LIMIT
            requests from one address within WINDOW seconds, 429 with
            Retry-After RETRY; 403 for bytes >= 10^8 without Origin or
            Referer; the first upload reset in the middle of its body (when
            RESET_UPLOAD is 1); downloads set a cookie (visit=ADDRESS)

Environment: HOSTILE_SAWTOOTH (P seconds: bytes move only in the first half
of each P, so a rate never settles), HOSTILE_LIMIT (default 1000), HOSTILE_WINDOW (5), HOSTILE_RETRY
(2), HOSTILE_RESET_UPLOAD (0), HOSTILE_REFUSE_FIRST (0: the first N requests
get HOSTILE_REFUSE_STATUS, default "429 Too Many Requests", with Retry-After
RETRY, and so does any request from the same address before that wait is
over), HOSTILE_RECORD (a file: one JSON line per
request: t, method, path, bytes, user_agent, content_type, origin, referer,
cookie, status, connections open at the time, body_bytes read of an upload).

POST /__up is answered 200 after reading the body, except in 'status',
'redirect', 'plain' and 'silent'. Runs until killed.
"""
import json
import struct
import os
import socket
import ssl
import sys
import threading
import time


def read_request(f):
    line = f.readline()
    if not line:
        return None, None, {}
    parts = line.decode("latin-1").split()
    headers = {}
    while True:
        h = f.readline()
        if not h or h in (b"\r\n", b"\n"):
            break
        k, _, v = h.decode("latin-1").partition(":")
        headers[k.strip().lower()] = v.strip()
    return (parts[0] if parts else ""), (parts[1] if len(parts) > 1 else ""), headers


def send(conn, status, body=b"", extra=""):
    conn.sendall(("HTTP/1.1 %s\r\nContent-Length: %d\r\n%s\r\n" % (status, len(body), extra)).encode() + body)


LIMIT = int(os.environ.get("HOSTILE_LIMIT", "1000"))
WINDOW = float(os.environ.get("HOSTILE_WINDOW", "5"))
RETRY = os.environ.get("HOSTILE_RETRY", "2")
RESET_UPLOAD = os.environ.get("HOSTILE_RESET_UPLOAD", "0") == "1"
REFUSE_FIRST = int(os.environ.get("HOSTILE_REFUSE_FIRST", "0"))
REFUSE_STATUS = os.environ.get("HOSTILE_REFUSE_STATUS", "429 Too Many Requests")
RECORD = os.environ.get("HOSTILE_RECORD")
SAWTOOTH = float(os.environ.get("HOSTILE_SAWTOOTH", "0"))
lock = threading.Lock()
state = {"open": set(), "times": {}, "uploads": 0, "requests": 0, "until": {}}
TCP_ESTABLISHED = 1  # tcpi_state, the first byte of struct tcp_info (linux/tcp.h)


def established(sock):
    """Is the client's side still open? A connection the client has closed is in
    CLOSE_WAIT (its FIN arrived) or gone, whatever this server's thread is doing."""
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    except OSError:
        return False
    return len(info) > 0 and info[0] == TCP_ESTABLISHED


def record(entry):
    if RECORD is None:
        return
    with lock:
        entry["connections"] = sum(1 for c in state["open"] if established(c))
        with open(RECORD, "a") as f:
            f.write(json.dumps(entry) + "\n")


def limited(peer):
    """Too many requests from this address in the last WINDOW seconds?"""
    now = time.monotonic()
    with lock:
        t = [x for x in state["times"].get(peer, []) if now - x < WINDOW]
        t.append(now)
        state["times"][peer] = t
        return len(t) > LIMIT


def reset(conn):
    """Close with a TCP reset (SO_LINGER 0)."""
    try:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        os.close(conn.detach())  # now, whatever file objects still refer to it
    except OSError:
        pass


def asked_bytes(path):
    q = path.partition("?")[2]
    for kv in q.split("&"):
        k, _, v = kv.partition("=")
        if k == "bytes":
            try:
                return int(v)
            except ValueError:
                return -1
    return -1


def sawtooth_pause():
    """HOSTILE_SAWTOOTH=P: every connection moves bytes only in the first half of
    each P seconds (one clock for all), so the rate never settles: a speed test
    runs to the end of its time."""
    if SAWTOOTH > 0:
        phase = time.monotonic() % SAWTOOTH
        if phase >= SAWTOOTH / 2:
            time.sleep(SAWTOOTH - phase)


def send_body(conn, n, chunk):
    while n > 0:
        sawtooth_pause()
        conn.sendall(chunk[: min(n, len(chunk))])
        n -= len(chunk)


def serve_public(conn, f, peer, method, path, headers, entry):
    asked = asked_bytes(path)
    with lock:
        state["requests"] += 1
        # The first N requests, and any that comes before the Retry-After given to its
        # address has passed (a client that does not wait is refused again).
        now = time.monotonic()
        first = (state["requests"] <= REFUSE_FIRST or
                 now < state["until"].get(peer, 0))
        if first:
            state["until"][peer] = max(state["until"].get(peer, 0), now + float(RETRY) - 0.05)
    if first or limited(peer):
        entry["status"] = int(REFUSE_STATUS.split()[0]) if first else 429
        record(entry)
        send(conn, REFUSE_STATUS if first else "429 Too Many Requests", b"slow down\n",
             "Retry-After: %s\r\n" % RETRY)
        return True
    if asked >= 10**8 and "origin" not in headers and "referer" not in headers:
        entry["status"] = 403
        record(entry)
        send(conn, "403 Forbidden", b"no\n")
        return True
    if method == "POST":
        n = int(headers.get("content-length", "0"))
        with lock:
            state["uploads"] += 1
            cut = RESET_UPLOAD and state["uploads"] == 1
        read = 0
        while n > 0:
            sawtooth_pause()
            got = f.read(min(n, 65536))
            if not got:
                return False
            n -= len(got)
            read += len(got)
            if cut and read >= 1 << 20:
                entry["status"] = 0
                entry["body_bytes"] = read
                record(entry)
                reset(conn)
                return False
        entry["status"] = 200
        entry["body_bytes"] = read
        record(entry)
        send(conn, "200 OK")
        return True
    entry["status"] = 200
    record(entry)
    n = max(asked, 0)
    conn.sendall(("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                  "Set-Cookie: visit=%s; Path=/\r\n\r\n" % (n, peer.replace(".", "-"))).encode())
    send_body(conn, n, os.urandom(65536))
    return True


def serve(conn, mode, peer="?"):
    if mode == "plain":
        # What a plain HTTP server says to a TLS ClientHello (nginx does the same).
        try:
            conn.recv(4096)
            send(conn, "400 Bad Request", b"plain HTTP here\n", "Connection: close\r\n")
        except OSError:
            pass
        conn.close()
        return
    f = conn.makefile("rb")
    try:
        while True:
            method, path, headers = read_request(f)
            if method is None:
                return
            entry = {"t": time.time(), "method": method, "path": path,
                     "bytes": asked_bytes(path), "user_agent": headers.get("user-agent"),
                     "content_type": headers.get("content-type"), "origin": headers.get("origin"),
                     "referer": headers.get("referer"), "cookie": headers.get("cookie")}
            if mode == "public":
                if not serve_public(conn, f, peer, method, path, headers, entry):
                    return
                continue
            record(entry)
            if mode == "refuse":
                send(conn, "403 Forbidden", b"forbidden\n")
                continue
            if mode == "reset":
                reset(conn)
                return
            if mode == "headers":
                for b in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                    conn.sendall(bytes([b]))
                    time.sleep(1)
                continue
            if mode == "bigzero" and path.endswith("/__down?bytes=0"):
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n")
                send_body(conn, 100000000, os.urandom(65536))
                continue
            if mode == "bigzero":
                if not serve_public(conn, f, peer, method, path, headers, entry):
                    return
                continue
            if mode == "silent":
                time.sleep(3600)
                return
            if path.endswith("/__down?bytes=0") and mode not in ("status", "redirect", "plain"):
                send(conn, "200 OK")
                continue
            if mode in ("status", "plain"):
                send(conn, "503 Service Unavailable", b"busy\n")
                continue
            if mode == "redirect":
                send(conn, "302 Found", extra="Location: %s\r\n" % path)
                continue
            if method == "POST":
                n = int(headers.get("content-length", "0"))
                while n > 0:
                    got = f.read(min(n, 65536))
                    if not got:
                        return
                    n -= len(got)
                send(conn, "200 OK")
                continue
            asked = int(path.rpartition("=")[2] or "0")
            chunk = os.urandom(65536)
            if mode == "trickle":
                conn.sendall(("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % asked).encode())
                for _ in range(asked):
                    conn.sendall(b"x")
                    time.sleep(1)
                return
            if mode == "chunked":
                conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                while True:
                    conn.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            if mode == "stall":
                conn.sendall(("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % asked).encode())
                conn.sendall(chunk)
                time.sleep(3600)
                return
            if mode == "close":
                conn.sendall(("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % asked).encode())
                left = asked // 2
                while left > 0:
                    conn.sendall(chunk[: min(left, len(chunk))])
                    left -= len(chunk)
                return
            if mode == "short":
                send(conn, "200 OK", chunk[:1000])
                continue
    except (OSError, ValueError):
        return
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    mode, addr, port, cert, key = sys.argv[1:6]
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, int(port)))
    ls.listen(64)
    ctx = None
    if mode != "plain":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
    print("ready", flush=True)
    while True:
        conn, addr_port = ls.accept()

        def handle(c=conn, peer=addr_port[0]):
            try:
                if ctx is not None:
                    try:
                        c = ctx.wrap_socket(c, server_side=True)
                    except (OSError, ssl.SSLError):
                        c.close()
                        return
                with lock:
                    state["open"].add(c)
                serve(c, mode, peer)
            finally:
                with lock:
                    state["open"].discard(c)

        threading.Thread(target=handle, daemon=True).start()


if __name__ == "__main__":
    main()
