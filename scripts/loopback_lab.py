"""Shared pieces of scripts/hostile_run.py and scripts/soak.py (Python 3.11 stdlib only).

Both start the real release binary (`wiredesk run`) with a generated config against HTTP
servers they run themselves on loopback, sample the daemon's memory from /proc, stop it with
SIGTERM and read the store it wrote. This module holds what they share: locating the binary,
threaded HTTP servers that log every request with its time, the memory sampler, the daemon's
start and stop, the fixture files with `{{BASE}}` replaced, and the store checks.
"""

import http.server
import json
import os
import signal
import socket
import socketserver
import sqlite3
import subprocess
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FIXTURES = os.path.join(REPO, "fixtures")
BASE_PLACEHOLDER = "{{BASE}}"
MIB = 1024 * 1024


def default_binary():
    """The release binary, under CARGO_TARGET_DIR when that is set."""
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    return os.path.join(target, "release", "wiredesk")


def free_port(host="127.0.0.1"):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class RequestLog:
    """Every request any server answered: (start time, server label, path, status, bytes)."""

    def __init__(self):
        self.t0 = time.monotonic()
        self.lock = threading.Lock()
        self.rows = []

    def add(self, start, label, path, status, sent, note=""):
        with self.lock:
            self.rows.append({
                "t": round(start - self.t0, 4),
                "server": label,
                "path": path,
                "status": status,
                "bytes": sent,
                "note": note,
            })

    def snapshot(self):
        with self.lock:
            return list(self.rows)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """A threaded HTTP/1.1 server with a label, the shared log and a stop flag."""

    daemon_threads = True
    allow_reuse_address = True
    # Many connections at once from the daemon (and stalled ones that never finish).
    request_queue_size = 128

    def __init__(self, addr, handler, label, log, stop):
        self.label = label
        self.log = log
        self.stop = stop
        super().__init__(addr, handler)

    @property
    def base(self):
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def host_port(self):
        host, port = self.server_address[:2]
        return f"{host}:{port}"

    def start(self):
        t = threading.Thread(target=self.serve_forever, name=f"srv-{self.label}", daemon=True)
        t.start()
        return self


class Handler(http.server.BaseHTTPRequestHandler):
    """Base handler: HTTP/1.1 keep-alive, quiet, and a `send` that logs the request."""

    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # noqa: N802 (stdlib name)
        pass

    def parse_request(self):
        # The request's start: its request line has just been read (on a kept-alive
        # connection, handle_one_request starts waiting long before the next request comes).
        self._start = time.monotonic()
        return super().parse_request()

    def handle_one_request(self):
        self._start = time.monotonic()
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError, OSError):
            # The daemon gave up on a slow or endless answer: that is the point of the test.
            self.close_connection = True

    def record(self, status, sent, note=""):
        self.server.log.add(self._start, self.server.label, self.path, status, sent, note)

    def send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=(), head_only=False):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if not head_only and body:
            self.wfile.write(body)
        self.record(status, len(body))


def content_type_for(path):
    ext = os.path.splitext(path)[1]
    return {
        ".rss": "application/rss+xml",
        ".atom": "application/atom+xml",
        ".xml": "application/xml",
        ".json": "application/feed+json",
        ".html": "text/html; charset=utf-8",
    }.get(ext, "application/octet-stream")


class FixtureHandler(Handler):
    """Serves fixtures/ as the Rust fixture server does: `{{BASE}}` replaced by the server's base
    URL, the query ignored, `ETag` and 304 on `If-None-Match`."""

    def do_GET(self):  # noqa: N802
        rel = self.path.split("?", 1)[0].lstrip("/")
        full = os.path.realpath(os.path.join(FIXTURES, rel))
        if not full.startswith(os.path.realpath(FIXTURES) + os.sep) or not os.path.isfile(full):
            self.send(404, b"not found", "text/plain")
            return
        with open(full, "rb") as f:
            body = f.read().replace(BASE_PLACEHOLDER.encode(), self.server.base.encode())
        etag = '"%x"' % (hash(body) & 0xFFFFFFFFFFFF)
        if self.headers.get("If-None-Match") == etag:
            self.send(304, b"", None, [("ETag", etag)])
            return
        self.send(200, body, content_type_for(full), [("ETag", etag)])


class MemorySampler(threading.Thread):
    """Reads VmRSS and VmHWM of `pid` from /proc every `period` seconds."""

    def __init__(self, pid, period=1.0, t0=None):
        super().__init__(name="rss-sampler", daemon=True)
        self.pid = pid
        self.period = period
        self.t0 = t0 if t0 is not None else time.monotonic()
        self.samples = []  # (t, rss KiB, hwm KiB)
        self.last_hwm_kib = 0
        self.halt = threading.Event()

    def read(self):
        fields = {}
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key in ("VmRSS", "VmHWM"):
                        fields[key] = int(value.split()[0])
        except (FileNotFoundError, ProcessLookupError):
            return None
        return fields

    def sample(self):
        fields = self.read()
        if fields and "VmRSS" in fields:
            self.last_hwm_kib = max(self.last_hwm_kib, fields.get("VmHWM", 0))
            self.samples.append((round(time.monotonic() - self.t0, 3), fields["VmRSS"], fields.get("VmHWM", 0)))
        return fields

    def run(self):
        while not self.halt.is_set():
            self.sample()
            self.halt.wait(self.period)

    def stop(self):
        """Takes a last sample (VmHWM just before SIGTERM is the peak) and stops."""
        self.sample()
        self.halt.set()
        self.join(timeout=5)


def toml_str(s):
    return json.dumps(s)


def write_config(path, db, allow, feeds, fetch=None, metrics_listen=None):
    """Writes a wiredesk config. `feeds`: dicts with name, url, interval_secs (and others)."""
    lines = ["[store]", f"path = {toml_str(db)}", "", "[fetch]"]
    for k, v in (fetch or {}).items():
        lines.append(f"{k} = {json.dumps(v)}")
    lines.append("allow_private = [" + ", ".join(toml_str(a) for a in allow) + "]")
    if metrics_listen:
        lines += ["", "[metrics]", f"listen = {toml_str(metrics_listen)}"]
    for feed in feeds:
        lines += ["", "[[feeds]]"]
        for k, v in feed.items():
            lines.append(f"{k} = {json.dumps(v)}")
    with open(path, "w", encoding="utf8") as f:
        f.write("\n".join(lines) + "\n")


class Daemon:
    """`wiredesk --config CFG run`, its log in a file, stopped by SIGTERM."""

    def __init__(self, binary, config, log_path, extra_args=()):
        self.log_file = open(log_path, "wb")
        self.log_path = log_path
        self.proc = subprocess.Popen(
            [binary, "--config", config, "--log-format", "json", *extra_args, "run"],
            stdin=subprocess.DEVNULL,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        self.started = time.monotonic()

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def terminate(self, wait=45):
        """SIGTERM, then the exit code (None if it had to be killed after `wait` s)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        self.log_file.close()
        return code

    def log_levels(self):
        """Counts of the daemon's log lines by level (the log is JSON lines)."""
        counts = {}
        with open(self.log_path, encoding="utf8", errors="replace") as f:
            for line in f:
                try:
                    level = json.loads(line).get("level", "?")
                except ValueError:
                    level = "unparsed"
                counts[level] = counts.get(level, 0) + 1
        return counts


def scrape_metrics(listen):
    """`GET /metrics` as {name{labels}: value}; {} when it cannot be read."""
    out = {}
    try:
        with urllib.request.urlopen(f"http://{listen}/metrics", timeout=5) as r:
            text = r.read().decode("utf8", "replace")
    except OSError:
        return out
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        try:
            out[key] = float(value)
        except ValueError:
            pass
    return out


def store_summary(db):
    """Row counts and `PRAGMA integrity_check` of the store, read-only."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        integrity = [r[0] for r in con.execute("PRAGMA integrity_check")]
        counts = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("feeds", "stories", "story_versions", "appearances")
        }
        return {"integrity_check": integrity, "counts": counts}
    finally:
        con.close()


def mib(kib):
    return kib / 1024.0


def rss_stats(samples, t_from=None, t_to=None):
    """Mean / max VmRSS (MiB) of the samples within [t_from, t_to)."""
    vals = [rss for t, rss, _ in samples if (t_from is None or t >= t_from) and (t_to is None or t < t_to)]
    if not vals:
        return None
    return {"n": len(vals), "mean_mib": mib(sum(vals) / len(vals)), "max_mib": mib(max(vals))}


class Checks:
    """Named pass/fail checks; the script exits 1 when any failed."""

    def __init__(self):
        self.rows = []

    def add(self, name, ok, detail):
        self.rows.append({"check": name, "ok": bool(ok), "detail": detail})

    @property
    def ok(self):
        return all(r["ok"] for r in self.rows)

    def print(self):
        for r in self.rows:
            print(f"  [{'ok' if r['ok'] else 'FAIL'}] {r['check']}: {r['detail']}")
