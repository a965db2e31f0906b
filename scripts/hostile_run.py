#!/usr/bin/env python3
"""The daemon against a hostile newswire: misbehaving feeds and pages beside good ones, on loopback.

Starts the release binary (`wiredesk run`) with a generated config against HTTP servers this
script runs itself on 127.0.0.1, one port per misbehaviour (so each is its own host to the
daemon's per-host limits, and they can all be in flight at once):

  trickle          a valid document sent a few bytes every half second
  stall            headers (Content-Length 100000), then nothing until the client hangs up
  truncated        Content-Length 100000, 3 kB sent, connection closed
  huge             a 200 MB body with its Content-Length, generated while streaming
  huge-chunked     a 200 MB body, chunked (no length: only the streaming cap can stop it)
  bomb             ~2 MB of gzip that inflates to 2 GiB, sent with Content-Encoding: gzip
  bomb-undeclared  the same bytes without Content-Encoding (the body sniffer unpacks it)
  deep             100,000 nested elements (an article page of nested <div>s; a feed whose
                   item description nests 100,000 elements)
  dense            an article page just under the body cap (9.5 MiB, the default cap being
                   10 MiB) of a million tiny elements, gzip-packed to ~30 kB with
                   Content-Encoding: gzip: the bomb that passes the cap
  loop             a redirect loop (A -> B -> A ...)
  429              429 Too Many Requests, Retry-After: 30
  503              503 Service Unavailable, Retry-After: an HTTP date 30 s ahead
  malformed        broken XML (unclosed and mismatched tags, bare &, NUL, invalid UTF-8) and
                   broken HTML pages

Every kind serves a feed (`/feed.xml`) and article pages (`/page/...`); a "lure" feed, valid
and polled like any other, has one item pointing at a page of every kind, so every poll round
fetches them all again (failed items are not stored, so they are retried). Beside them, the
six good fixture feeds of fixtures/feeds/ are served from fixtures/ as the Rust fixture
server serves them.

While the daemon runs (default 90 s), VmRSS is read from /proc/PID/status every second; VmHWM
just before SIGTERM is the peak. Then checks, each failing the script (exit 1):

  - the daemon was still running at the end and exited 0 on SIGTERM;
  - every page of the good feeds has its appearance in the store (and the link-less full-text
    item its (feed, guid) appearance);
  - PRAGMA integrity_check is ok;
  - every misbehaviour was requested at least once;
  - peak RSS (VmHWM) <= --max-rss-mib (150, the issue's acceptance).

    cargo build --release --bin wiredesk
    python3 scripts/hostile_run.py                       # 90 s, all misbehaviours
    python3 scripts/hostile_run.py --seconds 30 --only bomb,deep --out /tmp/h.json

`--only` keeps some misbehaviours (the good feeds always run): the way to find which one a
memory peak comes from. The summary also lists the largest one-second RSS rises with the
requests started in the two seconds before each.
"""

import argparse
import email.utils
import json
import os
import select
import shutil
import struct
import sys
import tempfile
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loopback_lab as lab  # noqa: E402

KINDS = [
    "trickle", "stall", "truncated", "huge", "huge-chunked", "bomb", "bomb-undeclared",
    "deep", "dense", "loop", "429", "503", "malformed",
]
GOOD_FEEDS = ["kvia.rss", "graytv.atom", "nexstar.json", "plain.rss", "amp-radio.rss", "wire-fulltext.rss"]
HUGE_BYTES = 200 * 1000 * 1000
BOMB_BYTES = 2 * 1024 * lab.MIB
DEPTH = 100_000
DENSE_BYTES = 9_500_000
RETRY_AFTER_SECS = 30

ARTICLE = (
    "<p>{kind}: a wire story paragraph that would be worth keeping if it ever arrived whole, "
    "with enough words in it to look like the body of an article to the extractor.</p>\n"
)


def page_doc(kind, name):
    paras = "".join(ARTICLE.format(kind=kind) for _ in range(12))
    return (
        f"<!doctype html><html><head><title>{kind} {name}</title></head><body><article>"
        f"<h1>{kind} {name}</h1>{paras}</article></body></html>"
    ).encode()


def feed_doc(kind, base, items=3):
    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{kind}</title>'
           f"<link>{base}/</link><description>{kind}</description>"]
    for i in range(items):
        out.append(f"<item><title>{kind} item {i}</title><link>{base}/page/{kind}-{i}.html</link>"
                   f"<guid>{base}/page/{kind}-{i}.html</guid><description>{kind} item {i}</description></item>")
    out.append("</channel></rss>\n")
    return "".join(out).encode()


class Bomb:
    """Gzip members that inflate to `total` bytes: a prefix, then one deflate segment (1 MiB of
    'a', compressed after a full flush so it refers to nothing before it) repeated. Built once,
    in about a second; the CRC and length in the trailer are right, though no client with a cap
    ever gets that far."""

    _cache = {}
    _lock = threading.Lock()

    @classmethod
    def get(cls, prefix, total=BOMB_BYTES):
        with cls._lock:
            if prefix not in cls._cache:
                cls._cache[prefix] = cls.build(prefix, total)
            return cls._cache[prefix]

    @staticmethod
    def build(prefix, total):
        block = b"a" * lab.MIB
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        head = co.compress(prefix) + co.flush(zlib.Z_FULL_FLUSH)
        seg = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
        tail = co.flush(zlib.Z_FINISH)
        n = total // len(block)
        crc = zlib.crc32(prefix)
        for _ in range(n):
            crc = zlib.crc32(block, crc)
        size = len(prefix) + n * len(block)
        header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        data = header + head + seg * n + tail + struct.pack("<II", crc, size & 0xFFFFFFFF)
        # It is gzip and inflates to the prefix and then 'a's (checked on the first 4 MiB).
        start = zlib.decompressobj(31).decompress(data[: 64 * 1024], 4 * lab.MIB)
        assert start.startswith(prefix + b"aaaa") and len(start) == 4 * lab.MIB, len(start)
        return data


def deep_page():
    body = "".join(ARTICLE.format(kind="deep") for _ in range(6))
    return ("<!doctype html><html><head><title>deep</title></head><body>" + "<div>" * DEPTH + body
            + "</div>" * DEPTH + "</body></html>").encode()


def dense_page():
    """A page of `<p>a</p>` to just under DENSE_BYTES, gzip-packed."""
    head = ("<!doctype html><html><head><title>dense</title></head><body><article><h1>dense</h1>"
            + "".join(ARTICLE.format(kind="dense") for _ in range(6))).encode()
    unit = b"<p>a</p>"
    page = head + unit * ((DENSE_BYTES - len(head) - 30) // len(unit)) + b"</article></body></html>"
    return zlib.compress(page, 9, wbits=31)


def deep_feed(base):
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>deep</title>'
            f"<link>{base}/</link><item><title>deep item</title><link>{base}/page/deep-0.html</link>"
            "<description>" + "<x>" * DEPTH + "deep" + "</x>" * DEPTH + "</description></item></channel></rss>\n").encode()


def malformed_feed(base):
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Broken & wire</title>\n'
        b"<item><title>Unclosed <b>bold</title><link>" + base.encode() + b"/page/malformed-0.html</link>"
        b"<description>Bad &nbsp; entity &#xFFFFFFFF; a NUL \x00 and invalid UTF-8 \xff\xfe here</description>\n"
        b"<item><title>Second</title><link>" + base.encode() + b"/page/malformed-1.html</link></entry>\n"
        b"<item><title><![CDATA[never closed</title>\n</channel>"
    )


def malformed_page():
    return (b"<html><head><title>Broken \xff\xfe page</title><body><div><p>Unclosed paragraph \x00 with a NUL"
            b"<table><tr><td><p>Text in a cell <b><i>misnested</b></i> " + ARTICLE.format(kind="malformed").encode() * 5
            + b"<script>never closed")


class HostileHandler(lab.Handler):
    """One misbehaviour per server (`server.label`); `/feed.xml` and `/page/...` both misbehave."""

    def do_GET(self):  # noqa: N802
        kind = self.server.label
        path = self.path.split("?", 1)[0]
        base = self.server.base
        if kind == "lure":
            if path != "/feed.xml":
                return self.send(404, b"", "text/plain")
            items = "".join(
                f"<item><title>lure {k}</title><link>{url}/page/lure-{k}.html</link>"
                f"<guid>{url}/page/lure-{k}.html</guid><description>points at {k}</description></item>"
                for k, url in self.server.lure_targets
            )
            body = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>lure</title>'
                    f"<link>{base}/</link>{items}</channel></rss>\n").encode()
            return self.send(200, body, "application/rss+xml")
        is_feed = path.startswith("/feed")
        doc = feed_doc(kind, base) if is_feed else page_doc(kind, path)
        ctype = "application/rss+xml" if is_feed else "text/html; charset=utf-8"
        getattr(self, "serve_" + kind.replace("-", "_"))(path, is_feed, doc, ctype)

    def headers_only(self, status, headers):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()

    def client_gone(self, timeout):
        """Waits up to `timeout` s; True when the client closed its end."""
        r, _, _ = select.select([self.connection], [], [], timeout)
        if r:
            try:
                return self.connection.recv(1, 0) == b""
            except OSError:
                return True
        return False

    def serve_trickle(self, path, is_feed, doc, ctype):
        self.headers_only(200, [("Content-Type", ctype), ("Content-Length", str(len(doc)))])
        sent = 0
        try:
            while sent < len(doc) and not self.server.stop.is_set():
                self.wfile.write(doc[sent:sent + 8])
                self.wfile.flush()
                sent += 8
                if self.client_gone(0.5):
                    break
        finally:
            self.record(200, sent, "trickle")
            self.close_connection = True

    def serve_stall(self, path, is_feed, doc, ctype):
        self.headers_only(200, [("Content-Type", ctype), ("Content-Length", "100000")])
        self.wfile.flush()
        waited = 0.0
        while not self.server.stop.is_set() and waited < 300 and not self.client_gone(1.0):
            waited += 1.0
        self.record(200, 0, f"stalled {waited:.0f}s")
        self.close_connection = True

    def serve_truncated(self, path, is_feed, doc, ctype):
        doc = (doc * 40)[:3000]
        self.headers_only(200, [("Content-Type", ctype), ("Content-Length", "100000")])
        self.wfile.write(doc)
        self.wfile.flush()
        self.record(200, len(doc), "truncated")
        self.close_connection = True

    def stream_huge(self, chunked):
        unit = (ARTICLE.format(kind="huge").encode() * 200)[: 64 * 1024]
        sent = 0
        try:
            while sent < HUGE_BYTES and not self.server.stop.is_set():
                piece = unit[: HUGE_BYTES - sent]
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                else:
                    self.wfile.write(piece)
                sent += len(piece)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        finally:
            self.record(200, sent, "huge chunked" if chunked else "huge")
            self.close_connection = True

    def serve_huge(self, path, is_feed, doc, ctype):
        self.headers_only(200, [("Content-Type", ctype), ("Content-Length", str(HUGE_BYTES))])
        self.stream_huge(chunked=False)

    def serve_huge_chunked(self, path, is_feed, doc, ctype):
        self.headers_only(200, [("Content-Type", ctype), ("Transfer-Encoding", "chunked")])
        self.stream_huge(chunked=True)

    def bomb_bytes(self, is_feed):
        prefix = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>bomb</title><item><title>'
                  if is_feed else b"<!doctype html><html><head><title>bomb</title></head><body><article><p>")
        return Bomb.get(prefix)

    def serve_bomb(self, path, is_feed, doc, ctype):
        self.send(200, self.bomb_bytes(is_feed), ctype, [("Content-Encoding", "gzip")])

    def serve_bomb_undeclared(self, path, is_feed, doc, ctype):
        self.send(200, self.bomb_bytes(is_feed), ctype)

    def serve_deep(self, path, is_feed, doc, ctype):
        self.send(200, deep_feed(self.server.base) if is_feed else self.server.deep_page, ctype)

    def serve_dense(self, path, is_feed, doc, ctype):
        if is_feed:
            self.send(200, doc, ctype)
        else:
            self.send(200, self.server.dense_page, ctype, [("Content-Encoding", "gzip")])

    def serve_loop(self, path, is_feed, doc, ctype):
        other = path[:-2] if path.endswith("-b") else path + "-b"
        self.send(302, b"", None, [("Location", other)])

    def serve_429(self, path, is_feed, doc, ctype):
        self.send(429, b"slow down", "text/plain", [("Retry-After", str(RETRY_AFTER_SECS))])

    def serve_503(self, path, is_feed, doc, ctype):
        when = email.utils.formatdate(time.time() + RETRY_AFTER_SECS, usegmt=True)
        self.send(503, b"come back later", "text/plain", [("Retry-After", when)])

    def serve_malformed(self, path, is_feed, doc, ctype):
        self.send(200, malformed_feed(self.server.base) if is_feed else malformed_page(), ctype)


def good_expectations(base):
    """(feed name, file, [(link or None, guid)]) for every good fixture feed."""
    out = []
    for file in GOOD_FEEDS:
        stem = file.rsplit(".", 1)[0]
        with open(os.path.join(lab.FIXTURES, "feeds", stem + ".expected.json"), encoding="utf8") as f:
            exp = json.load(f)
        entries = [((e.get("link") or "").replace(lab.BASE_PLACEHOLDER, base) or None, e.get("id"))
                   for e in exp["entries"]]
        out.append(("good-" + stem, file, entries))
    return out


def check_good_pages(db, expectations):
    """The good feeds' pages (and link-less items) missing from `appearances`."""
    con = lab.sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    missing, found = [], 0
    try:
        for feed, _, entries in expectations:
            for link, guid in entries:
                if link:
                    row = con.execute("SELECT 1 FROM appearances WHERE url = ? OR url = ?",
                                      (link, link.split("?", 1)[0])).fetchone()
                else:
                    row = con.execute("SELECT 1 FROM appearances WHERE feed = ? AND guid = ?",
                                      (feed, guid)).fetchone()
                if row:
                    found += 1
                else:
                    missing.append(link or f"{feed} guid {guid}")
        # A page linked from two feeds is one place: one appearance.
        return found, missing
    finally:
        con.close()


def label(metric):
    """`name{kind="x"}` -> `x`."""
    return metric.partition("=")[2].rstrip("}").strip('"') or metric


def rss_rises(samples, log_rows, top=5):
    """The largest rises of VmRSS between consecutive samples, each with the servers whose
    requests started in the 2 s before it."""
    rises = []
    for (t0, r0, _), (t1, r1, _) in zip(samples, samples[1:]):
        if r1 > r0:
            rises.append((r1 - r0, t1, r1))
    rises.sort(reverse=True)
    out = []
    for delta, t, rss in rises[:top]:
        near = {}
        for row in log_rows:
            if t - 2.0 <= row["t"] <= t:
                near[row["server"]] = near.get(row["server"], 0) + 1
        out.append({"t": t, "rise_mib": lab.mib(delta), "rss_mib": lab.mib(rss), "requests_before": near})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=lab.default_binary(), help="wiredesk binary (default: release build)")
    ap.add_argument("--seconds", type=float, default=90, help="how long the daemon runs (default 90)")
    ap.add_argument("--interval", type=int, default=15, help="feeds' interval_secs (default 15)")
    ap.add_argument("--timeout", type=int, default=10, help="[fetch] timeout_secs (default 10)")
    ap.add_argument("--only", default="", help="comma-separated misbehaviours to run (default all; 'none': the good feeds alone): " + ",".join(KINDS))
    ap.add_argument("--max-rss-mib", type=float, default=150.0, help="acceptance: peak RSS (default 150)")
    ap.add_argument("--period", type=float, default=1.0, help="RSS sampling period in s (default 1)")
    ap.add_argument("--workdir", help="where the config, store and log go (default: a temp dir, removed unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("--no-metrics", action="store_true", help="no [metrics] listener (for builds before it existed)")
    ap.add_argument("--out", help="write the results as JSON here")
    args = ap.parse_args()

    kinds = [k.strip() for k in args.only.split(",") if k.strip()] or list(KINDS)
    if kinds == ["none"]:
        kinds = []  # the good feeds alone: the baseline
    unknown = set(kinds) - set(KINDS)
    if unknown:
        ap.error(f"unknown misbehaviours: {', '.join(sorted(unknown))}")
    if not os.access(args.bin, os.X_OK):
        ap.error(f"{args.bin} is not an executable; build it with `cargo build --release --bin wiredesk`")

    workdir = args.workdir or tempfile.mkdtemp(prefix="wiredesk-hostile-")
    os.makedirs(workdir, exist_ok=True)
    db = os.path.join(workdir, "wiredesk.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)

    log = lab.RequestLog()
    stop = threading.Event()
    print("building the gzip bombs ...", flush=True)
    t = time.monotonic()
    Bomb.get(b'<?xml version="1.0"?><rss version="2.0"><channel><title>bomb</title><item><title>')
    Bomb.get(b"<!doctype html><html><head><title>bomb</title></head><body><article><p>")
    bomb_len = len(Bomb.get(b"<!doctype html><html><head><title>bomb</title></head><body><article><p>"))
    print(f"  {bomb_len / lab.MIB:.1f} MiB of gzip -> {BOMB_BYTES / lab.MIB / 1024:.0f} GiB each, {time.monotonic() - t:.1f} s")

    good = lab.Server(("127.0.0.1", 0), lab.FixtureHandler, "good", log, stop).start()
    servers = {}
    for kind in kinds:
        srv = lab.Server(("127.0.0.1", 0), HostileHandler, kind, log, stop)
        srv.deep_page = deep_page() if kind == "deep" else None
        srv.dense_page = dense_page() if kind == "dense" else None
        servers[kind] = srv.start()
    lure = lab.Server(("127.0.0.1", 0), HostileHandler, "lure", log, stop)
    lure.lure_targets = [(k, s.base) for k, s in servers.items()]
    lure.start()

    expectations = good_expectations(good.base)
    feeds = [{"name": name, "url": f"{good.base}/feeds/{file}", "interval_secs": args.interval}
             for name, file, _ in expectations]
    feeds += [{"name": f"hostile-{k}", "url": f"{s.base}/feed.xml", "interval_secs": args.interval}
              for k, s in servers.items()]
    feeds.append({"name": "hostile-lure", "url": f"{lure.base}/feed.xml", "interval_secs": args.interval})
    metrics_listen = None if args.no_metrics else f"127.0.0.1:{lab.free_port()}"
    config = os.path.join(workdir, "wiredesk.toml")
    fetch = {"timeout_secs": args.timeout, "connect_timeout_secs": 5, "per_host_interval_ms": 0}
    allow = [good.host_port, lure.host_port] + [s.host_port for s in servers.values()]
    lab.write_config(config, db, allow, feeds, fetch=fetch, metrics_listen=metrics_listen)

    print(f"daemon: {args.bin} for {args.seconds:.0f} s; {len(feeds)} feeds "
          f"({len(expectations)} good, {len(kinds)} hostile kinds + lure); workdir {workdir}", flush=True)
    daemon = lab.Daemon(args.bin, config, os.path.join(workdir, "daemon.log"))
    sampler = lab.MemorySampler(daemon.pid, args.period, t0=log.t0)
    sampler.start()
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline and daemon.alive():
        time.sleep(0.5)
    alive_at_end = daemon.alive()
    metrics = lab.scrape_metrics(metrics_listen) if alive_at_end and metrics_listen else {}
    sampler.stop()
    code = daemon.terminate()
    stop.set()
    for srv in [good, lure, *servers.values()]:
        srv.shutdown()
        srv.server_close()

    rows = log.snapshot()
    by_server = {}
    for row in rows:
        s = by_server.setdefault(row["server"], {"requests": 0, "statuses": {}})
        s["requests"] += 1
        s["statuses"][str(row["status"])] = s["statuses"].get(str(row["status"]), 0) + 1
    peak_kib = sampler.last_hwm_kib
    checks = lab.Checks()
    checks.add("daemon ran the whole time", alive_at_end, "running at the end" if alive_at_end else f"exited early ({daemon.proc.returncode})")
    checks.add("exit code on SIGTERM", code == 0, f"{code}")
    store = None
    if os.path.exists(db):
        store = lab.store_summary(db)
        found, missing = check_good_pages(db, expectations)
        checks.add("good feeds' pages stored", not missing, f"{found} found" + (f", missing: {missing}" if missing else ""))
        checks.add("integrity_check", store["integrity_check"] == ["ok"], "; ".join(store["integrity_check"][:3]))
    else:
        checks.add("store exists", False, db)
    unserved = [k for k in kinds if by_server.get(k, {}).get("requests", 0) == 0]
    checks.add("every misbehaviour requested", not unserved, "all" if not unserved else f"never requested: {unserved}")
    checks.add(f"peak RSS <= {args.max_rss_mib:g} MiB", lab.mib(peak_kib) <= args.max_rss_mib,
               f"VmHWM {lab.mib(peak_kib):.1f} MiB")

    errors = {k: v for k, v in metrics.items() if k.startswith("wiredesk_errors_total")}
    polls = {k: v for k, v in metrics.items() if k.startswith("wiredesk_polls_total")}
    rss = lab.rss_stats(sampler.samples)
    rises = rss_rises(sampler.samples, rows)
    print(f"\npeak RSS (VmHWM): {lab.mib(peak_kib):.1f} MiB; VmRSS mean {rss['mean_mib'] if rss else 0:.1f}, "
          f"max sampled {rss['max_mib'] if rss else 0:.1f} MiB over {rss['n'] if rss else 0} samples")
    print("requests by server:")
    for name in ["good", "lure", *kinds]:
        s = by_server.get(name, {"requests": 0, "statuses": {}})
        print(f"  {name:16s} {s['requests']:5d}  {s['statuses']}")
    if store:
        print(f"store: {store['counts']}")
    if errors:
        print("daemon errors by kind: " + ", ".join(f"{label(k)}={v:g}" for k, v in sorted(errors.items())))
    if polls:
        print("polls: " + ", ".join(f"{label(k)}={v:g}" for k, v in sorted(polls.items())))
    print("largest RSS rises (with the servers requested in the 2 s before):")
    for r in rises:
        print(f"  t={r['t']:6.1f}s +{r['rise_mib']:6.1f} MiB -> {r['rss_mib']:6.1f} MiB  {r['requests_before']}")
    print(f"daemon log lines by level: {daemon.log_levels()}")
    print("checks:")
    checks.print()

    result = {
        "seconds": args.seconds,
        "interval_secs": args.interval,
        "timeout_secs": args.timeout,
        "kinds": kinds,
        "binary": args.bin,
        "peak_rss_mib": lab.mib(peak_kib),
        "rss": rss,
        "rss_samples": sampler.samples,
        "rss_rises": rises,
        "exit_code": code,
        "requests_by_server": by_server,
        "requests": rows,
        "store": store,
        "metrics_errors": errors,
        "metrics_polls": polls,
        "checks": checks.rows,
        "ok": checks.ok,
    }
    if args.out:
        with open(args.out, "w", encoding="utf8") as f:
            json.dump(result, f, indent=1)
        print(f"wrote {args.out}")
    if not args.workdir and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    print("PASS" if checks.ok else "FAIL")
    return 0 if checks.ok else 1


if __name__ == "__main__":
    sys.exit(main())
