#!/usr/bin/env python3
"""A hostile SSE server for the feed tests (issue 11), on 127.0.0.1 only.

Every connection gets `HTTP/1.1 200` with `Content-Type: text/event-stream`
and then, by mode:
  --body FILE        the bytes of FILE as the body (close-delimited), first
                     connection only; later connections get an empty stream
                     that stays open (so the subscriber has nothing to redo)
  --garbage-chunks   `Transfer-Encoding: chunked` and a chunk size that is
                     not hex, then the connection closes (a body error after
                     a good header, on every connection)
--port-file F gets the port (written atomically); --conn-log F gets one line
per accepted connection: `<n> <monotonic seconds> <Last-Event-ID or ->`.
"""
import argparse
import os
import socket
import threading
import time


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
        if len(data) > 65536:
            return None
    return data.split(b"\r\n\r\n", 1)[0].decode("latin-1")


def header(req, name):
    for line in req.split("\r\n")[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == name.lower():
            return v.strip()
    return None


def serve(conn, n, args, body):
    try:
        req = read_request(conn)
        if req is None:
            return
        with open(args.conn_log, "a") as f:
            f.write("%d %.6f %s\n" % (n, time.monotonic(), header(req, "Last-Event-ID") or "-"))
        if args.garbage_chunks:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n"
                         b"zz-not-hex\r\ngarbage\r\n")
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                     b"Cache-Control: no-cache\r\nConnection: close\r\n\r\n")
        if n == 1 and body:
            conn.sendall(body)
        # hold the stream open until the subscriber goes away
        conn.settimeout(None)
        while conn.recv(4096):
            pass
    except OSError:
        pass
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--conn-log", required=True)
    ap.add_argument("--body")
    ap.add_argument("--garbage-chunks", action="store_true")
    args = ap.parse_args()
    body = open(args.body, "rb").read() if args.body else b""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    open(args.conn_log, "w").close()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(tmp, args.port_file)
    n = 0
    while True:
        conn, _ = srv.accept()
        n += 1
        threading.Thread(target=serve, args=(conn, n, args, body), daemon=True).start()


if __name__ == "__main__":
    main()
