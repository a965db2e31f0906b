#!/usr/bin/env python3
"""Article-body benchmark: runs `wiredesk extract` on the extraction dev set and scores it.

Usage: scripts/bench_extraction.py [--bench DIR] [--bin PATH] [--worst N] [--out DIR]
Builds a manifest from ground-truth.json (path + url per id), runs the release binary,
writes {id: {"articleBody": body_text}} and runs the shared scorer on it.
"""
import argparse
import json
import os
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--bench", default="/work/shared/bench/extraction")
ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "wiredesk"))
ap.add_argument("--worst", type=int, default=15)
ap.add_argument("--out", default="/tmp/bench_extraction")
a = ap.parse_args()

os.makedirs(a.out, exist_ok=True)
truth_path = os.path.join(a.bench, "ground-truth.json")
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
    pred[pid] = {"articleBody": obj.get("body_text") or ""}
if res.returncode not in (0, 1):
    sys.stderr.write(res.stderr)
json.dump(full, open(os.path.join(a.out, "full.json"), "w", encoding="utf8"), ensure_ascii=False, indent=1)
pred_path = os.path.join(a.out, "pred.json")
json.dump(pred, open(pred_path, "w", encoding="utf8"), ensure_ascii=False)
sys.exit(subprocess.call([sys.executable, "/work/shared/bench/score_extraction.py", "--truth", truth_path,
                          "--pred", pred_path, "--worst", str(a.worst)]))
