#!/usr/bin/env python3
"""A local stand-in for the Telegram Bot API (issue 9 tests), plain http on
127.0.0.1: POST /bot<TOKEN>/sendMessage (JSON), sendVoice and sendDocument
(multipart/form-data). Not a test itself.

usage: tg_stub.py PORTFILE LOGFILE TOKEN [REPLY...]
Writes the port it listens on to PORTFILE. Every request is appended to
LOGFILE as one JSON line {"t": time, "path_ok": bool, "status": code,
"method": the last path component, "body": the request's JSON, or for
multipart the fields, each file as {"filename", "content_type", "bytes",
"decoded": what libsndfile decodes of it: format, rate, channels, frames
actually read (or "error")}}. REPLYs are used in order, one per request, then
"ok" forever: ok | 429:SECS | 500 | 502 | 401 | 400 | 400migrate:CHAT_ID.
"""
import ctypes
import ctypes.util
import email.parser
import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

portfile, logfile, token = sys.argv[1], sys.argv[2], sys.argv[3]
replies = list(sys.argv[4:])
lock = threading.Lock()


class SF_INFO(ctypes.Structure):
    _fields_ = [("frames", ctypes.c_int64), ("samplerate", ctypes.c_int), ("channels", ctypes.c_int),
                ("format", ctypes.c_int), ("sections", ctypes.c_int), ("seekable", ctypes.c_int)]


def decode(data):
    """Decodes an uploaded file with libsndfile, reading every frame."""
    try:
        sf = ctypes.CDLL(ctypes.util.find_library("sndfile") or "libsndfile.so.1")
    except OSError as e:
        return {"error": "no libsndfile: %s" % e}
    sf.sf_open.restype = ctypes.c_void_p
    sf.sf_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(SF_INFO)]
    sf.sf_readf_float.restype = ctypes.c_int64
    sf.sf_readf_float.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    sf.sf_close.argtypes = [ctypes.c_void_p]
    with tempfile.NamedTemporaryFile() as t:
        t.write(data)
        t.flush()
        info = SF_INFO()
        h = sf.sf_open(t.name.encode(), 0x10, ctypes.byref(info))
        if not h:
            return {"error": "libsndfile cannot open it"}
        buf = (ctypes.c_float * (4096 * max(info.channels, 1)))()
        frames = 0
        while True:
            n = sf.sf_readf_float(h, buf, 4096)
            if n <= 0:
                break
            frames += n
        sf.sf_close(h)
    return {"major": info.format & 0x0FFF0000, "subtype": info.format & 0xFFFF,
            "rate": info.samplerate, "channels": info.channels, "frames": frames}


def multipart(ctype, raw):
    msg = email.parser.BytesParser().parsebytes(
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
    out = {}
    for part in msg.get_payload():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        fn = part.get_filename()
        if fn is None:
            out[name] = data.decode("utf-8", "replace")
        else:
            out[name] = {"filename": fn, "content_type": part.get_content_type(),
                         "bytes": len(data), "decoded": decode(data)}
    return out


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        ctype = self.headers.get("Content-Type") or ""
        method = self.path.rsplit("/", 1)[-1]
        try:
            if ctype.startswith("multipart/form-data"):
                body = multipart(ctype, raw)
            else:
                body = json.loads(raw.decode("utf-8"))
        except Exception as e:
            body = {"unparsable": raw[:2000].decode("utf-8", "replace"), "error": str(e)}
        path_ok = self.path in ("/bot%s/%s" % (token, m)
                                for m in ("sendMessage", "sendVoice", "sendDocument"))
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
                                "method": method, "body": body}, ensure_ascii=False) + "\n")
        data = json.dumps(out).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
