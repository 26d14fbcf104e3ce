#!/usr/bin/python3
"""A minimal speed-test server on loopback for the CLI tests, speaking the
two endpoints of contrib/nginx/precall-speedtest.conf over plain HTTP/1.1:
GET /__down?bytes=N answers N bytes, POST /__up reads the body (chunked or
with a length) and answers 200. Binds 127.0.0.1 on a free port, prints the
port on stdout, serves until killed. Not a speed reference: loopback and
Python set the rate; the tests use it to see the bandwidth probe measure.
With --grow, each download's rate starts at 2 Mbit/s and grows by 10 % every
100 ms, so TCP's ramp-up never seems to end (a link still speeding up)."""
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK = b"\x5a" * 65536
GROW = "--grow" in sys.argv[1:]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        m = re.fullmatch(r"/__down\?bytes=(\d{1,9})", self.path)
        if m is None:
            self.send_error(404)
            return
        n = int(m.group(1))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        start = time.monotonic()
        try:
            while n > 0:
                k = min(n, 8192 if GROW else len(CHUNK))
                self.wfile.write(CHUNK[:k])
                n -= k
                if GROW:  # 2 Mbit/s, times 1.1 every 100 ms
                    rate = 2e6 * 1.1 ** ((time.monotonic() - start) / 0.1)
                    time.sleep(k * 8 / rate)
        except OSError:
            self.close_connection = True

    def do_POST(self):
        try:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    self.rfile.read(size + 2)
                    if size == 0:
                        break
            else:
                left = int(self.headers.get("Content-Length", "0"))
                while left > 0:
                    got = self.rfile.read(min(left, 65536))
                    if not got:
                        break
                    left -= len(got)
        except (OSError, ValueError):
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a transfer the client aborted at the end of its phase


srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
sys.stdout.close()
srv.serve_forever()
