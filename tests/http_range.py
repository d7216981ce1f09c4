#!/usr/bin/env python3
"""A small HTTP file server for the clip-link tests (issue 8): serves the
files of --dir on 127.0.0.1, honours `Range: bytes=A-B` with 206, answers 404
for what is not there, and `/redirect?to=URL` with a 302. Every request is
logged as one JSON line (path, Range, Authorization, status) to --log, so a
test can tell which byte ranges a player asked for and where a token went.

  http_range.py --dir DIR --log FILE --port-file FILE [--no-range] [--rate BYTES_PER_S]

--rate sends bodies no faster than that, so that a player cannot have read a
whole file before it seeks: a seek must then be a Range request.
The server exits by itself when the process that started it is gone.
"""
import argparse
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # the JSON log is the record
        pass

    def record(self, status, rng=None):
        line = {
            "method": self.command,
            "path": self.path,
            "host": self.headers.get("Host"),
            "range": self.headers.get("Range"),
            "authorization": self.headers.get("Authorization"),
            "status": status,
            "served": rng,
        }
        with LOCK, open(self.server.log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")

    def plain(self, status, text, extra=None):
        body = (text + "\n").encode()
        self.send_response(status)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/redirect":
            to = urllib.parse.parse_qs(url.query).get("to", [""])[0]
            self.record(302)
            self.plain(302, "moved", {"Location": to})
            return
        name = os.path.normpath(urllib.parse.unquote(url.path)).lstrip("/")
        path = os.path.join(self.server.root, name)
        if name.startswith("..") or not os.path.isfile(path):
            self.record(404)
            self.plain(404, "not found")
            return
        size = os.path.getsize(path)
        start, end, status = 0, size - 1, 200
        rng = self.headers.get("Range")
        if rng and self.server.ranges:
            m = re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip())
            if not m or (not m.group(1) and not m.group(2)):
                self.record(416)
                self.plain(416, "bad range", {"Content-Range": "bytes */%d" % size})
                return
            if m.group(1):
                start = int(m.group(1))
                if m.group(2):
                    end = min(int(m.group(2)), size - 1)
            else:  # the last N bytes
                start = max(0, size - int(m.group(2)))
            if start >= size:
                self.record(416)
                self.plain(416, "range not satisfiable", {"Content-Range": "bytes */%d" % size})
                return
            status = 206
        self.record(status, [start, end])
        self.send_response(status)
        self.send_header("Content-Type", "audio/wav")
        self.send_header("Accept-Ranges", "bytes" if self.server.ranges else "none")
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        if self.command == "HEAD":
            return
        try:
            with open(path, "rb") as f:
                f.seek(start)
                left = end - start + 1
                while left > 0:
                    chunk = f.read(min(16384, left))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    left -= len(chunk)
                    if self.server.rate:
                        time.sleep(len(chunk) / self.server.rate)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a player that seeks closes the connection mid-body


def exit_with_parent():
    """A test that crashes before stopping its server must not leave it
    running (holding the test runner's output pipe open): exit when the
    process that started us is gone."""
    parent = os.getppid()
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--no-range", action="store_true")
    ap.add_argument("--rate", type=float, default=0)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.root = os.path.abspath(a.dir)
    srv.log_path = a.log
    srv.ranges = not a.no_range
    srv.rate = a.rate
    threading.Thread(target=exit_with_parent, daemon=True).start()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)  # the test waits for the whole number
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
