#!/usr/bin/env python3
"""A local stand-in for the Telegram Bot API (issue 9 tests), plain http on
127.0.0.1: POST /bot<TOKEN>/sendMessage. Not a test itself.

usage: tg_stub.py PORTFILE LOGFILE TOKEN [REPLY...]
Writes the port it listens on to PORTFILE. Every request is appended to
LOGFILE as one JSON line {"t": time, "path_ok": bool, "status": code,
"body": the request's JSON}. REPLYs are used in order, one per request, then
"ok" forever: ok | 429:SECS | 500 | 502 | 401 | 400 | 400migrate:CHAT_ID.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

portfile, logfile, token = sys.argv[1], sys.argv[2], sys.argv[3]
replies = list(sys.argv[4:])
lock = threading.Lock()


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        try:
            body = json.loads(raw.decode("utf-8"))
        except Exception:
            body = {"unparsable": raw.decode("utf-8", "replace")}
        path_ok = self.path == "/bot%s/sendMessage" % token
        with lock:
            r = replies.pop(0) if replies else "ok"
        if not path_ok:
            r = "401"
        status, out = 200, {"ok": True, "result": {"message_id": 1}}
        if r.startswith("429:"):
            status, out = 429, {"ok": False, "error_code": 429,
                                "description": "Too Many Requests: retry after " + r[4:],
                                "parameters": {"retry_after": int(r[4:])}}
        elif r in ("500", "502"):
            status, out = int(r), {"ok": False, "error_code": int(r), "description": "Bad Gateway"}
        elif r == "401":
            status, out = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        elif r == "400":
            status, out = 400, {"ok": False, "error_code": 400,
                                "description": "Bad Request: chat not found"}
        elif r.startswith("400migrate:"):
            status, out = 400, {"ok": False, "error_code": 400,
                                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                                "parameters": {"migrate_to_chat_id": int(r[11:])}}
        with lock, open(logfile, "a", encoding="utf-8") as f:
            f.write(json.dumps({"t": time.time(), "path_ok": path_ok, "status": status,
                                "body": body}, ensure_ascii=False) + "\n")
        data = json.dumps(out).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
