#!/usr/bin/env python3
"""Peak RSS and time of `wiredesk export` against store size: it should be flat (streamed).

Builds a store with `wiredesk demo` (the fixtures through the real pipeline), then copies its
stories (with an appearance each) until the store holds N stories, for each N in --sizes,
and runs the release binary's export in every format with /usr/bin/time.

    python3 scripts/bench_export.py --bin target/release/wiredesk --sizes 10000,200000
"""
import argparse, json, os, sqlite3, subprocess, sys, tempfile, time


def grow(db, n):
    conn = sqlite3.connect(db)
    have = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
    cols = [r[1] for r in conn.execute("PRAGMA table_info(stories)") if r[1] != "id"]
    seeds = conn.execute(f"SELECT {','.join(cols)} FROM stories ORDER BY id").fetchall()
    i = have
    with conn:
        while i < n:
            row = list(seeds[i % len(seeds)])
            row[cols.index("body_hash")] = f"{i:064x}"
            row[cols.index("url_key")] = None
            conn.execute(
                f"INSERT INTO stories ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})", row
            )
            sid = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
            conn.execute(
                "INSERT INTO appearances (story_id, url, feed, seen_at, last_seen_at) "
                "VALUES (?, ?, 'bench', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')",
                (sid, f"https://station.example/story/{i}"),
            )
            i += 1
    conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/wiredesk")
    ap.add_argument("--sizes", default="10000,200000")
    ap.add_argument("--out")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="wiredesk-export-")
    db = os.path.join(tmp, "w.db")
    subprocess.run([a.bin, "--db", db, "demo"], check=True, capture_output=True)
    results = []
    for n in [int(s) for s in a.sizes.split(",")]:
        grow(db, n)
        for fmt in ["ninjs", "jsonl", "atom", "jsonfeed"]:
            out = os.path.join(tmp, f"out.{fmt}")
            start = time.monotonic()
            p = subprocess.run(
                ["/usr/bin/time", "-f", "%M", a.bin, "--db", db, "export", "--format", fmt, "--out", out],
                capture_output=True, text=True,
            )
            wall = time.monotonic() - start
            if p.returncode != 0:
                sys.exit(f"export failed: {p.stderr}")
            rss_kib = int(p.stderr.strip().splitlines()[-1])
            r = {"stories": n, "format": fmt, "wall_s": round(wall, 2),
                 "peak_rss_mib": round(rss_kib / 1024, 1), "bytes": os.path.getsize(out)}
            results.append(r)
            print(json.dumps(r), flush=True)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
