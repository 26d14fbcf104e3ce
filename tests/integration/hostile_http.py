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

POST /__up is answered 200 after reading the body, except in 'status',
'redirect', 'plain' and 'silent'. Runs until killed.
"""
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


def serve(conn, mode):
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
        conn, _ = ls.accept()

        def handle(c=conn):
            if ctx is not None:
                try:
                    c = ctx.wrap_socket(c, server_side=True)
                except (OSError, ssl.SSLError):
                    c.close()
                    return
            serve(c, mode)

        threading.Thread(target=handle, daemon=True).start()


if __name__ == "__main__":
    main()
