#!/usr/bin/env python3
"""End-to-end backfill benchmark: the real `wiredesk backfill` over a loopback corpus.

Usage:
    scripts/bench_backfill.py [--bin target/release/wiredesk] [--bench ../shared/bench]
                              [--feeds 24] [--small 3] [--out /tmp/wiredesk-backfill]
                              [--venv /tmp/wiredesk-bench-venv] [--no-python] [--json FILE]

At run time, in --out (never in the repository), it
  1. builds a corpus from every page of BENCH/*/html (deduplicated by URL; the URL comes from
     each set's truth file), gives each page a loopback address, and writes --feeds RSS feeds
     over them: each page lands in one feed by a hash of its URL, and about one page in seven
     is also syndicated into a second feed at a second address (the same page at another
     place, as a station's copy of a wire story is);
  2. serves feeds and pages from a Python http.server on 127.0.0.1 (HTTP/1.1 keep-alive, gzip
     when asked, ETag and Last-Modified, 304 on If-None-Match / If-Modified-Since);
  3. runs, each into a fresh store and timed with the child's own rusage (os.wait4):
       (a) `wiredesk backfill --feed …` over all feeds,
       (b) the same over --small feeds,
       (c) `wiredesk poll` with all feeds configured, twice after (a): the second pass is the
           all-304 one (every feed answers 304; the server's count is checked),
       (d) `wiredesk extract --manifest` over the same pages (extraction alone, one process),
       (e) the Python pipeline a user would assemble instead: feedparser + trafilatura +
           sqlite3 in 2 worker processes, in a venv this script creates (pip install
           feedparser trafilatura), over the same feeds from the same server;
  4. prints articles/s, CPU-ms per article, peak RSS per run and the ratios.

The config gives `per_host_concurrency` the value of `concurrency` and `per_host_interval_ms =
0`: every page of the corpus is on the one loopback host, where a real backfill spreads over
many station hosts.

"articles" are the items stored (new, updated, appearances and duplicates); failed items are
counted apart. Wall time is from spawn to exit of the child; CPU is user + system of the child
and of its waited-for children; peak RSS is the child's ru_maxrss.
"""
import argparse
import email.utils
import gzip
import hashlib
import http.server
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from xml.sax.saxutils import escape

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRUTH_FILES = ("truth.json", "ground-truth.json")
LAST_MODIFIED = email.utils.formatdate(1764547200, usegmt=True)


# ---------------------------------------------------------------------------------------------
# Corpus


def h(text, salt=""):
    return hashlib.sha1((salt + text).encode("utf8")).hexdigest()


def load_pages(bench):
    """[(url, gz_path, title)] over every set, first occurrence of a URL kept."""
    pages, seen = [], set()
    for name in sorted(os.listdir(bench)):
        d = os.path.join(bench, name)
        truth_path = next((os.path.join(d, t) for t in TRUTH_FILES if os.path.isfile(os.path.join(d, t))), None)
        if truth_path is None or not os.path.isdir(os.path.join(d, "html")):
            continue
        truth = json.load(open(truth_path, encoding="utf8"))
        for pid, rec in sorted(truth.items()):
            url = (rec.get("url") or "").strip()
            path = os.path.join(d, "html", pid + ".html.gz")
            if not url or url in seen or not os.path.isfile(path):
                continue
            seen.add(url)
            pages.append((url, path, rec.get("title")))
    return pages


class Corpus:
    """Pages and feeds, addressed by path on the server."""

    def __init__(self, pages, n_feeds):
        self.n_feeds = n_feeds
        self.items = [[] for _ in range(n_feeds)]  # per feed: (path, title, guid, gz_path, url)
        self.pages = {}  # server path -> gz file
        self.syndicated = 0
        for i, (url, gz_path, title) in enumerate(pages):
            digest = h(url)
            first = int(digest[:8], 16) % n_feeds
            path = f"/p/{digest[:16]}.html"
            self.pages[path] = gz_path
            title = title or f"Story {i + 1}"
            self.items[first].append((path, title, f"bench-{digest[:16]}", url))
            if int(digest[8:10], 16) < 37:  # about 1 in 7
                second = (first + 1 + int(digest[10:14], 16) % (n_feeds - 1)) % n_feeds
                copy = f"/s/{second}/{digest[:16]}.html"
                self.pages[copy] = gz_path
                self.items[second].append((copy, title, f"bench-{second}-{digest[:16]}", url))
                self.syndicated += 1

    def feed_path(self, i):
        return f"/feeds/{i:02d}.rss"

    def n_items(self, feeds):
        return sum(len(self.items[i]) for i in feeds)

    def rss(self, i, base):
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
            f"<title>Bench feed {i}</title><link>{base}/</link><description>Loopback bench feed</description>",
        ]
        for n, (path, title, guid, _url) in enumerate(self.items[i]):
            date = email.utils.formatdate(1764547200 - 3600 * n, usegmt=True)
            out.append(
                f"<item><title>{escape(title)}</title><link>{base}{path}</link>"
                f'<guid isPermaLink="false">{guid}</guid><pubDate>{date}</pubDate></item>'
            )
        out.append("</channel></rss>\n")
        return "\n".join(out).encode("utf8")


# ---------------------------------------------------------------------------------------------
# Server


class Served:
    """What the server answers: path -> (gzip bytes, content type, etag), and request counts."""

    def __init__(self):
        self.docs = {}
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, path, gz_bytes, content_type):
        self.docs[path] = (gz_bytes, content_type, '"' + hashlib.sha1(gz_bytes).hexdigest()[:20] + '"')

    def count(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1

    def take_counts(self):
        with self.lock:
            c, self.counts = self.counts, {}
        return c


def make_handler(served):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            doc = served.docs.get(self.path.split("?", 1)[0])
            kind = "feed" if self.path.startswith("/feeds/") else "page"
            if doc is None:
                served.count((kind, 404))
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            gz_bytes, content_type, etag = doc
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            fresh = inm == etag if inm is not None else ims is not None and _not_after(LAST_MODIFIED, ims)
            if fresh:
                served.count((kind, 304))
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            served.count((kind, 200))
            gzip_ok = "gzip" in (self.headers.get("Accept-Encoding") or "")
            body = gz_bytes if gzip_ok else gzip.decompress(gz_bytes)
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            if gzip_ok:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _not_after(modified, since):
    a, b = email.utils.parsedate_to_datetime(modified), None
    try:
        b = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return b is not None and a <= b


def serve(served):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(served))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ---------------------------------------------------------------------------------------------
# Runs


def run_child(cmd, out_path, env=None):
    """Runs cmd to completion; returns (wall s, cpu s, peak RSS KiB, exit code).

    CPU comes from os.wait4 (the child and its waited-for children). Peak RSS comes from
    /usr/bin/time when it is there: a child forked from this process carries this process's
    resident set (the served corpus) into its ru_maxrss, which exec does not reset, while
    `time` is small when it forks the command."""
    time_out = out_path + ".rss"
    wrapped = ["/usr/bin/time", "-f", "%M", "-o", time_out, *cmd] if os.path.exists("/usr/bin/time") else cmd
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    rss = ru.ru_maxrss
    if wrapped is not cmd:
        # `time` exits with the command's status and writes "Command exited…" before the figure.
        rss = int(open(time_out, encoding="utf8").read().split()[-1])
    return wall, ru.ru_utime + ru.ru_stime, rss, code


def write_config(path, store, host_port, base, corpus, feeds, concurrency):
    lines = [
        "[store]",
        f"path = {json.dumps(store)}",
        "",
        "[fetch]",
        f"allow_private = [{json.dumps(host_port)}]",
        f"concurrency = {concurrency}",
        f"per_host_concurrency = {concurrency}",
        # One loopback host stands for many station hosts: no spacing between requests.
        "per_host_interval_ms = 0",
        "",
    ]
    for i in feeds:
        lines += [
            "[[feeds]]",
            f'name = "bench-{i:02d}"',
            f'url = "{base}{corpus.feed_path(i)}"',
            "",
        ]
    open(path, "w", encoding="utf8").write("\n".join(lines))


def summary_counts(log_path):
    text = open(log_path, encoding="utf8", errors="replace").read()
    m = re.search(r"backfill summary: (\d+) new, (\d+) updated, (\d+) duplicate, (?:\d+ skipped \(already stored\), )?(\d+) failed", text)
    if not m:
        return None
    new, updated, dup, failed = map(int, m.groups())
    return {"new": new, "updated": updated, "duplicate": dup, "failed": failed, "stored": new + updated + dup}


def store_counts(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("stories", "appearances")}
    finally:
        con.close()


def backfill(args, corpus, base, host_port, feeds, label, served):
    d = os.path.join(args.out, label)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    db, cfg = os.path.join(d, "wiredesk.db"), os.path.join(d, "wiredesk.toml")
    write_config(cfg, db, host_port, base, corpus, feeds, args.concurrency)
    cmd = [args.bin, "--config", cfg, "-q", "backfill"]
    for i in feeds:
        cmd += ["--feed", base + corpus.feed_path(i)]
    served.take_counts()
    wall, cpu, rss, code = run_child(cmd, os.path.join(d, "backfill.log"))
    counts = summary_counts(os.path.join(d, "backfill.log"))
    if counts is None:
        sys.exit(f"{label}: no summary from wiredesk (exit {code}); see {d}/backfill.log")
    r = {
        "label": label,
        "feeds": len(feeds),
        "items": corpus.n_items(feeds),
        **counts,
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_mib": rss / 1024,
        "articles_per_s": counts["stored"] / wall,
        "cpu_ms_per_article": 1000 * cpu / max(counts["stored"], 1),
        "exit": code,
        "store": store_counts(db),
        "server": {f"{k}_{s}": n for (k, s), n in served.take_counts().items()},
    }
    r["db"], r["config"] = db, cfg
    return r


def poll_304(args, corpus, r_all, served):
    """Two `wiredesk poll` passes over the store (a) filled: the first stores whatever
    validators the backfill did not; the second is timed and must see only 304s."""
    d = os.path.dirname(r_all["db"])
    cmd = [args.bin, "--config", r_all["config"], "-q", "poll"]
    run_child(cmd, os.path.join(d, "poll1.log"))
    served.take_counts()
    wall, cpu, rss, code = run_child(cmd, os.path.join(d, "poll2.log"))
    counts = served.take_counts()
    not_modified = counts.get(("feed", 304), 0)
    return {
        "label": "poll-304",
        "feeds": r_all["feeds"],
        "feeds_304": not_modified,
        "other_requests": sum(n for k, n in counts.items() if k != ("feed", 304)),
        "wall_s": wall,
        "cpu_s": cpu,
        "cpu_ms_per_feed": 1000 * cpu / r_all["feeds"],
        "peak_rss_mib": rss / 1024,
        "exit": code,
    }


def extract_alone(args, corpus, base):
    d = os.path.join(args.out, "extract")
    os.makedirs(d, exist_ok=True)
    manifest = os.path.join(d, "manifest.jsonl")
    n = 0
    with open(manifest, "w", encoding="utf8") as f:
        for path, gz_path in sorted(corpus.pages.items()):
            if path.startswith("/p/"):
                f.write(json.dumps({"path": gz_path, "url": base + path}) + "\n")
                n += 1
    wall, cpu, rss, code = run_child(
        [args.bin, "-q", "extract", "--manifest", manifest], os.path.join(d, "extract.jsonl")
    )
    return {
        "label": "extract",
        "pages": n,
        "wall_s": wall,
        "cpu_s": cpu,
        "cpu_ms_per_page": 1000 * cpu / n,
        "peak_rss_mib": rss / 1024,
        "exit": code,
    }


# ---------------------------------------------------------------------------------------------
# The Python pipeline (runs inside the venv)


# lxml_html_clean: trafilatura's justext imports lxml.html.clean, a separate package since lxml 5.2.
PY_PACKAGES = ("feedparser", "trafilatura", "lxml_html_clean")


def ensure_venv(venv):
    py = os.path.join(venv, "bin", "python")
    probe = [py, "-c", "import feedparser, trafilatura"]
    if os.path.exists(py) and subprocess.run(probe, capture_output=True).returncode == 0:
        return py
    print(f"creating {venv} (pip install {' '.join(PY_PACKAGES)})…", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([py, "-m", "pip", "install", "-q", *PY_PACKAGES], check=True)
    subprocess.run(probe, check=True)
    return py


def python_pipeline(args, corpus, base, feeds):
    d = os.path.join(args.out, "python")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    py = ensure_venv(args.venv)
    urls = [base + corpus.feed_path(i) for i in feeds]
    job = os.path.join(d, "job.json")
    json.dump({"feeds": urls, "db": os.path.join(d, "py.db"), "workers": args.py_workers}, open(job, "w"))
    wall, cpu, rss, code = run_child(
        [py, os.path.abspath(__file__), "--python-worker", job], os.path.join(d, "python.log")
    )
    log = open(os.path.join(d, "python.log"), encoding="utf8", errors="replace").read()
    m = re.search(r"PYTHON stored (\d+) failed (\d+)", log)
    if not m:
        sys.exit(f"python pipeline: no result (exit {code}); see {d}/python.log")
    stored, failed = int(m.group(1)), int(m.group(2))
    return {
        "label": "python",
        "feeds": len(feeds),
        "stored": stored,
        "failed": failed,
        "wall_s": wall,
        "cpu_s": cpu,
        "articles_per_s": stored / wall,
        "cpu_ms_per_article": 1000 * cpu / max(stored, 1),
        "peak_rss_mib": rss / 1024,
        "exit": code,
    }


PY_SCHEMA = """
PRAGMA journal_mode=WAL;
CREATE TABLE IF NOT EXISTS stories (id INTEGER PRIMARY KEY, body_hash TEXT UNIQUE, title TEXT,
    author TEXT, date TEXT, body TEXT);
CREATE TABLE IF NOT EXISTS appearances (id INTEGER PRIMARY KEY, story_id INTEGER, url TEXT UNIQUE,
    feed TEXT, guid TEXT);
"""


def _py_fetch(url):
    import urllib.request

    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", "User-Agent": "bench"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = resp.read()
        if resp.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
    return data


def _py_feed(args):
    """One feed in one worker: parse, fetch each page, extract, dedupe by text hash, store."""
    feed_url, db = args
    import feedparser
    import trafilatura

    con = sqlite3.connect(db, timeout=60)
    parsed = feedparser.parse(_py_fetch(feed_url))
    stored = failed = 0
    for entry in parsed.entries:
        try:
            html = _py_fetch(entry.link)
            doc = trafilatura.bare_extraction(html, url=entry.link, with_metadata=True)
            if doc is None:
                failed += 1
                continue
            get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
            text = get("text") or ""
            if not text.strip():
                failed += 1
                continue
            digest = hashlib.sha1(" ".join(text.split()).lower().encode("utf8")).hexdigest()
            with con:
                con.execute(
                    "INSERT OR IGNORE INTO stories (body_hash, title, author, date, body) VALUES (?,?,?,?,?)",
                    (digest, get("title"), get("author"), get("date"), text),
                )
                (story_id,) = con.execute("SELECT id FROM stories WHERE body_hash = ?", (digest,)).fetchone()
                con.execute(
                    "INSERT OR IGNORE INTO appearances (story_id, url, feed, guid) VALUES (?,?,?,?)",
                    (story_id, entry.link, feed_url, entry.get("id")),
                )
            stored += 1
        except Exception as e:  # one item's failure is counted, as wiredesk counts it
            print(f"item {entry.get('link')}: {e}", file=sys.stderr)
            failed += 1
    con.close()
    return stored, failed


def python_worker(job_path):
    import multiprocessing

    job = json.load(open(job_path))
    con = sqlite3.connect(job["db"])
    con.executescript(PY_SCHEMA)
    con.close()
    stored = failed = 0
    with multiprocessing.Pool(job["workers"]) as pool:
        for s, f in pool.imap_unordered(_py_feed, [(u, job["db"]) for u in job["feeds"]]):
            stored += s
            failed += f
    print(f"PYTHON stored {stored} failed {failed}", flush=True)


# ---------------------------------------------------------------------------------------------


def line(r):
    parts = [f"{r['label']:<12}"]
    if "feeds" in r:
        parts.append(f"feeds {r['feeds']:>3}")
    if "items" in r:
        parts.append(f"items {r['items']:>5}")
    if "stored" in r:
        parts.append(f"stored {r['stored']:>5} failed {r['failed']:>3}")
    parts.append(f"wall {r['wall_s']:7.2f} s  CPU {r['cpu_s']:7.2f} s")
    if "articles_per_s" in r:
        parts.append(f"{r['articles_per_s']:7.1f} articles/s  {r['cpu_ms_per_article']:6.2f} CPU-ms/article")
    if "cpu_ms_per_page" in r:
        parts.append(f"{r['pages']} pages  {r['cpu_ms_per_page']:6.2f} CPU-ms/page")
    if "cpu_ms_per_feed" in r:
        parts.append(f"{r['feeds_304']} x 304, {r['other_requests']} other  {r['cpu_ms_per_feed']:6.2f} CPU-ms/feed")
    parts.append(f"peak RSS {r['peak_rss_mib']:7.1f} MiB")
    if r.get("exit"):
        parts.append(f"exit {r['exit']}")
    return "  ".join(parts)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--python-worker":
        python_worker(sys.argv[2])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "wiredesk"))
    ap.add_argument("--bench", default=os.environ.get("WIREDESK_BENCH", os.path.join(REPO, "..", "shared", "bench")))
    ap.add_argument("--feeds", type=int, default=24)
    ap.add_argument("--small", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=8, help="[fetch] concurrency (default: wiredesk's 8)")
    ap.add_argument("--out", default="/tmp/wiredesk-backfill")
    ap.add_argument("--venv", default="/tmp/wiredesk-bench-venv")
    ap.add_argument("--py-workers", type=int, default=2)
    ap.add_argument("--no-python", action="store_true", help="skip the Python comparison")
    ap.add_argument("--only", default="all,small,poll,extract", help="runs to make (all,small,poll,extract)")
    ap.add_argument("--json", help="also write the figures as JSON here")
    ap.add_argument("--serve", action="store_true",
                    help="only serve the corpus and write OUT/serve/wiredesk.toml (all feeds), until killed (for profiling)")
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} not found: cargo build --release (or --bin PATH)")
    if args.feeds < 20:
        print("note: fewer than 20 feeds", file=sys.stderr)
    only = set(args.only.split(","))
    os.makedirs(args.out, exist_ok=True)

    pages = load_pages(args.bench)
    corpus = Corpus(pages, args.feeds)
    served = Served()
    server = serve(served)
    host_port = f"127.0.0.1:{server.server_address[1]}"
    base = f"http://{host_port}"
    for path, gz_path in corpus.pages.items():
        served.add(path, open(gz_path, "rb").read(), "text/html")
    for i in range(args.feeds):
        served.add(corpus.feed_path(i), gzip.compress(corpus.rss(i, base), 6), "application/rss+xml")
    all_feeds = list(range(args.feeds))
    print(
        f"corpus: {len(pages)} pages (deduplicated by URL), {args.feeds} feeds, "
        f"{corpus.n_items(all_feeds)} items ({corpus.syndicated} pages syndicated in a second feed); "
        f"server {base}; bin {args.bin}"
    )
    if args.serve:
        d = os.path.join(args.out, "serve")
        os.makedirs(d, exist_ok=True)
        cfg = os.path.join(d, "wiredesk.toml")
        write_config(cfg, os.path.join(d, "wiredesk.db"), host_port, base, corpus, all_feeds, args.concurrency)
        feeds = " ".join(f"--feed {base}{corpus.feed_path(i)}" for i in all_feeds)
        open(os.path.join(d, "feeds.txt"), "w").write(feeds + "\n")
        print(f"serving; config {cfg}; backfill arguments in {d}/feeds.txt", flush=True)
        threading.Event().wait()
    results = {}
    if "all" in only:
        results["all"] = backfill(args, corpus, base, host_port, all_feeds, "backfill-all", served)
        print(line(results["all"]), flush=True)
    if "small" in only:
        small = all_feeds[: args.small]
        results["small"] = backfill(args, corpus, base, host_port, small, f"backfill-{args.small}", served)
        print(line(results["small"]), flush=True)
    if "poll" in only and "all" in results:
        results["poll"] = poll_304(args, corpus, results["all"], served)
        print(line(results["poll"]), flush=True)
    if "extract" in only:
        results["extract"] = extract_alone(args, corpus, base)
        print(line(results["extract"]), flush=True)
    if not args.no_python:
        results["python"] = python_pipeline(args, corpus, base, all_feeds)
        print(line(results["python"]), flush=True)

    print("--")
    a = results.get("all")
    if a:
        print(
            f"stored: {a['store']['stories']} stories, {a['store']['appearances']} appearances "
            f"from {a['stored']} articles"
        )
        print(f"articles/s (all feeds): {a['articles_per_s']:.1f}   (target >= 400)")
        print(f"peak RSS (all feeds): {a['peak_rss_mib']:.1f} MiB   (target <= 150)")
    if a and results.get("small"):
        s = results["small"]
        print(f"peak RSS {args.small} feeds / all feeds: {s['peak_rss_mib'] / a['peak_rss_mib']:.2f}   (target 0.8-1.2)")
    if a and results.get("extract"):
        e = results["extract"]
        print(
            f"CPU per article / extraction alone: {a['cpu_ms_per_article']:.2f} / {e['cpu_ms_per_page']:.2f} ms"
            f" = {a['cpu_ms_per_article'] / e['cpu_ms_per_page']:.2f}x   (target <= 1.5)"
        )
    if results.get("poll"):
        p = results["poll"]
        print(f"all-304 pass: {p['cpu_ms_per_feed']:.2f} CPU-ms per feed ({p['feeds_304']}/{p['feeds']} feeds answered 304)   (target <= 2)")
    if a and results.get("python"):
        py = results["python"]
        print(
            f"wiredesk / python: {a['articles_per_s']:.1f} / {py['articles_per_s']:.1f} articles/s"
            f" = {a['articles_per_s'] / py['articles_per_s']:.2f}x   (target >= 10)"
        )
    if args.json:
        for r in results.values():
            r.pop("db", None)
            r.pop("config", None)
        json.dump(results, open(args.json, "w"), indent=1)
    server.shutdown()


if __name__ == "__main__":
    main()
