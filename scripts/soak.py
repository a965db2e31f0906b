#!/usr/bin/env python3
"""Soak: the daemon on 200 loopback feeds over 20 hosts for minutes, with its manners and memory
measured.

Serves 20 hosts, 127.0.0.1 ... 127.0.0.20 on one port (or, where other 127.x addresses cannot
be bound, 20 ports of 127.0.0.1; the summary says which; either way each is its own
`host:port` to the daemon's per-host limits). Each host serves 10 RSS feeds; each feed starts
with 3 items and gets a new one every --item-every seconds (its newest 10 are listed, with
an ETag, so an unchanged feed answers 304). Every item links to an article page on the same
host, rendered by the fixture generator's six station templates (fixtures/tools/gen.py) around
a story text of its own (words drawn from the fixture stories by a seeded generator), so every
page is a new story and real work. Every request is logged with the time its request line
arrived.

`wiredesk run` (release binary) polls them with the default `[fetch]` settings
(per_host_interval_ms = 1000) and each feed's interval_secs = --interval (60). VmRSS is read
from /proc/PID/status every second. After --minutes (10), SIGTERM, then checks (any failing
exits 1):

  - per host, the smallest gap between the starts of two requests >= 1000 ms - --slack-ms;
  - mean VmRSS of the last minute within 10 % of the first minute's;
  - exit code 0 on SIGTERM, PRAGMA integrity_check ok;
  - every article page answered 200 has its appearance in the store.

Reported besides: requests served, stories stored, peak RSS (VmHWM). JSON with --out.

    cargo build --release --bin wiredesk
    python3 scripts/soak.py                  # 10 minutes
    python3 scripts/soak.py --minutes 2 --out /tmp/soak.json
"""

import argparse
import functools
import json
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from email.utils import format_datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loopback_lab as lab  # noqa: E402

sys.path.insert(0, os.path.join(lab.FIXTURES, "tools"))
import gen  # noqa: E402  (the fixture generator's page templates)
import stories  # noqa: E402

HOSTS = 20
FEEDS_PER_HOST = 10
INITIAL_ITEMS = 3
LISTED = 10
TEMPLATES = ["kvia", "graytv", "nexstar", "plain", "amp", "radio"]


def vocabulary():
    words = []
    for value in vars(stories).values():
        if isinstance(value, dict) and "blocks" in value:
            for kind, text in value["blocks"]:
                for t in text if isinstance(text, list) else [text]:
                    words += re.findall(r"[A-Za-z][A-Za-z'’-]+", t)
    return words


WORDS = vocabulary()


def sentence(rng, n):
    ws = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(ws).capitalize() + "."


@functools.lru_cache(maxsize=512)
def article(host, feed, item):
    """An article page of its own: (html bytes, headline)."""
    rng = random.Random(f"soak/{host}/{feed}/{item}")
    slug = f"soak-h{host:02d}-f{feed:02d}-{item:04d}"
    published = datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    author = f"{rng.choice(['Dana', 'Luis', 'Mei', 'Ola', 'Sam'])} {rng.choice(['Reyes', 'Kim', 'Novak', 'Adeyemi', 'Holt'])}"
    story = {
        "slug": slug,
        "headline": sentence(rng, 9)[:-1],
        "description": sentence(rng, 18),
        "authors": [author],
        "credit": rng.choice([None, "CNN Newsource", "The Associated Press"]),
        "section": rng.choice(["News", "Politics", "Weather", "Sports"]),
        "topics": [rng.choice(WORDS) for _ in range(3)],
        "published_at": published,
        "dateline": None,
        "blocks": [("p", " ".join(sentence(rng, rng.randint(10, 24)) for _ in range(rng.randint(2, 4))))
                   for _ in range(rng.randint(6, 12))],
    }
    template = TEMPLATES[(host + feed) % len(TEMPLATES)]
    if template == "kvia":
        page = gen.kvia_page(story, "news")[0]
    elif template == "graytv":
        page = gen.gray_page(story, "news/politics", story["credit"] or "WVRT")[0]
    elif template == "nexstar":
        page = gen.nexstar_page(story, "news/national")[0]
    elif template == "plain":
        page = gen.plain_page(story, 40000000 + host * 100000 + feed * 1000 + item, f"By {author}")[0]
    elif template == "amp":
        page = gen.amp_page(story, "news/national")[0]
    else:
        page = gen.radio_page(story)[0]
    return page.encode("utf8"), story["headline"]


class Newswire:
    """When each feed's items appear: item i of feed (h, f) at start + phase + i * every, the
    first INITIAL_ITEMS already there at the start."""

    def __init__(self, every):
        self.start = time.time()
        self.every = every

    def phase(self, host, feed):
        return (host * 7 + feed * 13) % max(1, int(self.every))

    def count(self, host, feed, now=None):
        now = time.time() if now is None else now
        since = now - self.start - self.phase(host, feed)
        return INITIAL_ITEMS + max(0, int(since // self.every) + (1 if since >= 0 else 0))

    def published(self, host, feed, item):
        if item < INITIAL_ITEMS:
            return self.start - (INITIAL_ITEMS - item) * self.every
        return self.start + self.phase(host, feed) + (item - INITIAL_ITEMS) * self.every


class SoakHandler(lab.Handler):
    def do_GET(self):  # noqa: N802
        host, wire, base = self.server.host_index, self.server.wire, self.server.base
        path = self.path.split("?", 1)[0]
        m = re.fullmatch(r"/feeds/(\d+)\.rss", path)
        if m and int(m.group(1)) < FEEDS_PER_HOST:
            feed = int(m.group(1))
            n = wire.count(host, feed)
            etag = f'"h{host}f{feed}n{n}"'
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", None, [("ETag", etag)])
            items = []
            for i in range(n - 1, max(-1, n - 1 - LISTED), -1):
                link = f"{base}/a/{feed}/{i}.html"
                when = datetime.fromtimestamp(wire.published(host, feed, i), timezone.utc)
                items.append(f"<item><title>Story {host}/{feed}/{i}</title><link>{link}</link>"
                             f"<guid>{link}</guid><pubDate>{format_datetime(when, usegmt=True)}</pubDate>"
                             f"<description>Item {i} of feed {feed} on host {host}.</description></item>")
            body = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                    f"<title>Soak host {host} feed {feed}</title><link>{base}/</link>"
                    f"<description>soak</description>{''.join(items)}</channel></rss>\n").encode()
            return self.send(200, body, "application/rss+xml", [("ETag", etag)])
        m = re.fullmatch(r"/a/(\d+)/(\d+)\.html", path)
        if m:
            feed, item = int(m.group(1)), int(m.group(2))
            if feed < FEEDS_PER_HOST and item < wire.count(host, feed):
                return self.send(200, article(host, feed, item)[0])
        self.send(404, b"not found", "text/plain")


def bind_hosts(log, stop, wire):
    """20 servers on 127.0.0.1..20 sharing a port, else 20 ports of 127.0.0.1."""
    for _attempt in range(5):
        port = lab.free_port()
        servers = []
        try:
            for h in range(1, HOSTS + 1):
                servers.append(lab.Server((f"127.0.0.{h}", port), SoakHandler, f"127.0.0.{h}:{port}", log, stop))
            return servers, f"20 addresses 127.0.0.1-127.0.0.20, port {port}"
        except OSError:
            for s in servers:
                s.server_close()
    servers = []
    for h in range(1, HOSTS + 1):
        srv = lab.Server(("127.0.0.1", 0), SoakHandler, "", log, stop)
        srv.label = srv.host_port
        servers.append(srv)
    return servers, "20 ports of 127.0.0.1 (other 127.x addresses could not be bound)"


def stalls(samples, offset, longer_than=5.0):
    """Windows (start, end, in the request log's time) when this script itself was frozen: the
    1 s sampler went quiet for more than `longer_than` s (seen once: every thread of the script
    stopped for 117 s on the shared machine). Requests that arrived meanwhile were read, and
    stamped, together when it woke, so gaps ending in such a window (or 2 s after) say nothing
    about the daemon."""
    return [(a + offset, b + offset) for (a, _, _), (b, _, _) in zip(samples, samples[1:]) if b - a > longer_than]


def spacing(rows, frozen=()):
    """Per host: requests, and the smallest gap (ms) between the starts of two of its requests,
    leaving out gaps that end while the script was frozen."""
    by_host = {}
    for row in rows:
        by_host.setdefault(row["server"], []).append(row["t"])
    out = {}
    for host, ts in by_host.items():
        ts.sort()
        gaps = [b - a if not any(s <= b <= e + 2 for s, e in frozen) else float("inf")
                for a, b in zip(ts, ts[1:])]
        row = {"requests": len(ts), "min_gap_ms": None}
        if gaps:
            i = min(range(len(gaps)), key=gaps.__getitem__)
            row["min_gap_ms"] = round(gaps[i] * 1000, 1)
            # The gaps either side of the smallest: a request stamped late by the server shows
            # as a long gap before a short one (their sum near twice the interval).
            row["gap_before_ms"] = round(gaps[i - 1] * 1000, 1) if i > 0 else None
            row["gap_after_ms"] = round(gaps[i + 1] * 1000, 1) if i + 1 < len(gaps) else None
            row["at_s"] = round(ts[i + 1], 3)
            row["gaps_under_interval"] = sum(1 for g in gaps if g < 1.0)
        out[host] = row
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=lab.default_binary(), help="wiredesk binary (default: release build)")
    ap.add_argument("--minutes", type=float, default=10, help="how long the daemon runs (default 10)")
    ap.add_argument("--interval", type=int, default=60, help="feeds' interval_secs (default 60)")
    ap.add_argument("--item-every", type=float, default=60, help="a new item per feed every N s (default 60)")
    ap.add_argument("--slack-ms", type=float, default=25, help="timer slack allowed below the 1000 ms spacing (default 25)")
    ap.add_argument("--rss-tolerance", type=float, default=0.10, help="last vs first minute mean RSS (default 0.10)")
    ap.add_argument("--period", type=float, default=1.0, help="RSS sampling period in s (default 1)")
    ap.add_argument("--workdir", help="where the config, store and log go (default: a temp dir, removed unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("--out", help="write the results as JSON here")
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        ap.error(f"{args.bin} is not an executable; build it with `cargo build --release --bin wiredesk`")
    if args.minutes < 2:
        ap.error("--minutes must be at least 2 (first and last minute are compared)")

    workdir = args.workdir or tempfile.mkdtemp(prefix="wiredesk-soak-")
    os.makedirs(workdir, exist_ok=True)
    db = os.path.join(workdir, "wiredesk.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)

    log = lab.RequestLog()
    stop = threading.Event()
    wire = Newswire(args.item_every)
    servers, layout = bind_hosts(log, stop, wire)
    for h, srv in enumerate(servers, start=1):
        srv.host_index = h
        srv.wire = wire
        srv.start()
    feeds = [{"name": f"soak-h{h:02d}-f{f:02d}", "url": f"{srv.base}/feeds/{f}.rss", "interval_secs": args.interval}
             for h, srv in enumerate(servers, start=1) for f in range(FEEDS_PER_HOST)]
    config = os.path.join(workdir, "wiredesk.toml")
    # [fetch] defaults throughout (per_host_interval_ms = 1000) but the loopback allowance.
    lab.write_config(config, db, [s.host_port for s in servers], feeds)
    seconds = args.minutes * 60
    print(f"hosts: {layout}; {len(feeds)} feeds; daemon {args.bin} for {args.minutes:g} min; workdir {workdir}", flush=True)

    daemon = lab.Daemon(args.bin, config, os.path.join(workdir, "daemon.log"))
    t_daemon = daemon.started - log.t0
    sampler = lab.MemorySampler(daemon.pid, args.period, t0=daemon.started)
    sampler.start()
    deadline = daemon.started + seconds
    next_note = daemon.started + 60
    while time.monotonic() < deadline and daemon.alive():
        time.sleep(0.5)
        if time.monotonic() >= next_note:
            next_note += 60
            s = sampler.samples[-1] if sampler.samples else (0, 0, 0)
            print(f"  {s[0] / 60:4.1f} min: VmRSS {lab.mib(s[1]):6.1f} MiB, {len(log.rows)} requests", flush=True)
    alive_at_end = daemon.alive()
    sampler.stop()
    code = daemon.terminate()
    stop.set()
    for srv in servers:
        srv.shutdown()
        srv.server_close()

    rows = log.snapshot()
    frozen = stalls(sampler.samples, daemon.started - log.t0)
    gaps = spacing(rows, frozen)
    minutes = [lab.rss_stats(sampler.samples, 60 * m, 60 * (m + 1)) for m in range(int(seconds // 60))]
    min_gap = min((g["min_gap_ms"] for g in gaps.values() if g["min_gap_ms"] is not None), default=None)
    served_pages = {f"http://{r['server']}{r['path']}" for r in rows if r["status"] == 200 and r["path"].startswith("/a/")}
    statuses = {}
    for r in rows:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    first = lab.rss_stats(sampler.samples, 0, 60)
    last = lab.rss_stats(sampler.samples, seconds - 60, None)
    peak_kib = sampler.last_hwm_kib

    checks = lab.Checks()
    checks.add("daemon ran the whole time", alive_at_end, "yes" if alive_at_end else f"exited early ({daemon.proc.returncode})")
    checks.add("exit code on SIGTERM", code == 0, f"{code}")
    floor = 1000 - args.slack_ms
    checks.add(f"per-host spacing >= {floor:g} ms", min_gap is not None and min_gap >= floor,
               f"smallest gap {min_gap} ms over {len(gaps)} hosts")
    drift = None
    if first and last:
        drift = last["mean_mib"] / first["mean_mib"] - 1
    checks.add(f"last-minute RSS within {args.rss_tolerance:.0%} of first", drift is not None and abs(drift) <= args.rss_tolerance,
               f"first {first['mean_mib']:.1f} MiB, last {last['mean_mib']:.1f} MiB ({drift:+.1%})" if drift is not None else "no samples")
    store = None
    if os.path.exists(db):
        store = lab.store_summary(db)
        checks.add("integrity_check", store["integrity_check"] == ["ok"], "; ".join(store["integrity_check"][:3]))
        con = lab.sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        stored_urls = {r[0] for r in con.execute("SELECT url FROM appearances")}
        con.close()
        missing = sorted(served_pages - stored_urls)
        checks.add("every page served has its appearance", not missing,
                   f"{len(served_pages)} pages served, {len(served_pages) - len(missing)} stored"
                   + (f"; missing e.g. {missing[:3]}" if missing else ""))
    else:
        checks.add("store exists", False, db)

    print(f"\nhosts: {layout}")
    print(f"requests served: {len(rows)} {statuses}; article pages served (200): {len(served_pages)}")
    if store:
        print(f"store: {store['counts']}")
    print(f"smallest per-host gap between request starts: {min_gap} ms "
          f"(per host: {sorted(g['min_gap_ms'] for g in gaps.values())[:5]} ...)")
    if first and last:
        print(f"VmRSS mean: first minute {first['mean_mib']:.1f} MiB, last minute {last['mean_mib']:.1f} MiB ({drift:+.1%})")
    print("VmRSS mean by minute: " + ", ".join(f"{m['mean_mib']:.1f}" for m in minutes if m))
    print(f"peak RSS (VmHWM): {lab.mib(peak_kib):.1f} MiB")
    if frozen:
        print(f"this script was frozen (sampler silent > 5 s) at {[(round(a), round(b)) for a, b in frozen]} s; "
              "gaps ending then are left out of the spacing check")
    print(f"daemon log lines by level: {daemon.log_levels()}")
    print("checks:")
    checks.print()

    result = {
        "minutes": args.minutes,
        "interval_secs": args.interval,
        "item_every_secs": args.item_every,
        "hosts": layout,
        "binary": args.bin,
        "daemon_started_at_s": t_daemon,
        "requests_served": len(rows),
        "statuses": statuses,
        "pages_served": len(served_pages),
        "store": store,
        "min_gap_ms": min_gap,
        "per_host": gaps,
        "rss_first_minute": first,
        "rss_last_minute": last,
        "rss_drift": drift,
        "rss_by_minute": minutes,
        "script_frozen": frozen,
        "peak_rss_mib": lab.mib(peak_kib),
        "rss_samples": sampler.samples,
        "requests": rows,
        "exit_code": code,
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
