#!/usr/bin/env python3
"""Latency of `wiredesk serve` on a large store: p50/p99 of GET /v1/stories?limit=50 (first
and deep pages) and GET /v1/changes (500 changes), measured from a client on loopback.

Builds the store with `wiredesk demo` and grows it to --stories by copying stories (each with
an appearance; the change feed fills through its triggers), then serves it with the release
binary and times --requests requests of each kind, one at a time over a kept-alive connection.

    python3 scripts/bench_serve.py --bin target/release/wiredesk --stories 100000
"""
import argparse, http.client, json, os, socket, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(__file__))
from bench_export import grow  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/wiredesk")
    ap.add_argument("--stories", type=int, default=100000)
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--out")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="wiredesk-serve-")
    db = os.path.join(tmp, "w.db")
    subprocess.run([a.bin, "--db", db, "demo"], check=True, capture_output=True)
    grow(db, a.stories)
    out = subprocess.run([a.bin, "--db", db, "tokens", "create", "bench"], check=True,
                         capture_output=True, text=True).stdout
    token = out.split()[-1]
    port = free_port()
    server = subprocess.Popen([a.bin, "--db", db, "-q", "serve", "--listen", f"127.0.0.1:{port}"])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"Authorization": f"Bearer {token}"}

        def get(path):
            t = time.perf_counter()
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            body = r.read()
            ms = (time.perf_counter() - t) * 1000
            if r.status != 200:
                sys.exit(f"{path}: {r.status} {body[:200]!r}")
            return ms, json.loads(body)

        # Deep cursors: walk 40 pages once, then time requests cycling over them.
        paths, path = [], "/v1/stories?limit=50"
        for _ in range(40):
            paths.append(path)
            _, v = get(path)
            path = v["next"]
        total = conn_count = None
        _, v = get("/v1/changes?after=0&limit=1")
        results = {"stories": a.stories}
        for name, make in [
            ("stories_first_page", lambda i: "/v1/stories?limit=50"),
            ("stories_cursor_pages", lambda i: paths[i % len(paths)]),
            ("changes_500", lambda i: f"/v1/changes?after={(i * 997) % max(1, a.stories - 500)}&limit=500"),
        ]:
            for i in range(20):  # warm-up
                get(make(i))
            times = []
            for i in range(a.requests):
                ms, v = get(make(i))
                times.append(ms)
            if name == "changes_500":
                assert len(v["changes"]) == 500, len(v["changes"])
            results[name] = {"p50_ms": round(pct(times, 50), 2), "p99_ms": round(pct(times, 99), 2),
                             "max_ms": round(max(times), 2), "n": len(times)}
            print(name, json.dumps(results[name]), flush=True)
        if a.out:
            with open(a.out, "w") as f:
                json.dump(results, f, indent=1)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
