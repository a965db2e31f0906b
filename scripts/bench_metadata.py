#!/usr/bin/env python3
"""Metadata benchmark: runs `wiredesk extract` on the metadata dev set and scores it.

Usage: scripts/bench_metadata.py [--bench DIR] [--bin PATH] [--errors N] [--out DIR]
Writes {id: {title, authors, date_published, body}} and runs the shared scorer.
date_published is the extracted published_at as written (RFC 3339 with the page's offset).
"""
import argparse
import json
import os
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--bench", default="/work/shared/bench/metadata")
ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "wiredesk"))
ap.add_argument("--errors", type=int, default=5)
ap.add_argument("--out", default="/tmp/bench_metadata")
a = ap.parse_args()

os.makedirs(a.out, exist_ok=True)
truth_path = os.path.join(a.bench, "truth.json")
truth = json.load(open(truth_path, encoding="utf8"))
manifest = os.path.join(a.out, "manifest.jsonl")
paths = {}
with open(manifest, "w", encoding="utf8") as f:
    for pid, rec in sorted(truth.items()):
        path = os.path.join(a.bench, "html", pid + ".html.gz")
        paths[path] = pid
        url = rec.get("url") or None
        f.write(json.dumps({"path": path, "url": url}) + "\n")
res = subprocess.run([a.bin, "extract", "--manifest", manifest], capture_output=True, text=True)
pred = {}
full = {}
for line in res.stdout.splitlines():
    obj = json.loads(line)
    pid = paths.get(obj["path"])
    if pid is None:
        continue
    full[pid] = obj
    pub = obj.get("published_at")
    pred[pid] = {
        "title": obj.get("headline"),
        "authors": obj.get("authors") or [],
        "date_published": pub,
        "body": obj.get("body_text") or "",
    }
if res.returncode not in (0, 1):
    sys.stderr.write(res.stderr)
json.dump(full, open(os.path.join(a.out, "full.json"), "w", encoding="utf8"), ensure_ascii=False, indent=1)
pred_path = os.path.join(a.out, "pred.json")
json.dump(pred, open(pred_path, "w", encoding="utf8"), ensure_ascii=False)
sys.exit(subprocess.call([sys.executable, "/work/shared/bench/score_metadata.py", truth_path, pred_path,
                          "--errors", str(a.errors), "--per-page", os.path.join(a.out, "per_page.json")]))
