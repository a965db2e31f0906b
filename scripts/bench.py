#!/usr/bin/env python3
"""Quality benchmark over every shared set, split into a fit half and a check half.

Usage:
    scripts/bench.py [--sets extraction,metadata,multilingual,dates] [--bin PATH] [--out DIR]
                     [--halves fit,check,all] [--errors N]

Each page goes to the fit half or the check half by a hash of its URL (the first byte of
SHA-1 of the URL, even = fit). Design changes on fit only; report both. One `wiredesk extract`
run per set covers the whole set, then the shared scorer runs on each half's subset of truth
and predictions. The last line of each scorer run is printed with its set and half, so the
output ends with a table of machine-readable lines:

    extraction fit   F1 ... P ... R ...
    metadata check   TITLE ... AUTHORS_F1 ... DATE ... BODY_F1 ...
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys

BENCH = os.environ.get("WIREDESK_BENCH", "/work/shared/bench")
SETS = {
    # name: (truth file, scorer, kind)
    "extraction": ("ground-truth.json", "score_extraction.py", "body"),
    "metadata": ("truth.json", "score_metadata.py", "meta"),
    "multilingual": ("truth.json", "score_metadata.py", "meta"),
    "dates": ("truth.json", "score_metadata.py", "meta"),
}


def half_of(url):
    """"fit" or "check" by the first byte of SHA-1 of the URL: stable and independent of ids."""
    return "fit" if hashlib.sha1((url or "").encode("utf8")).digest()[0] % 2 == 0 else "check"


def run_extract(binary, bench_dir, truth, out):
    manifest = os.path.join(out, "manifest.jsonl")
    paths = {}
    with open(manifest, "w", encoding="utf8") as f:
        for pid, rec in sorted(truth.items()):
            path = os.path.join(bench_dir, "html", pid + ".html.gz")
            paths[path] = pid
            f.write(json.dumps({"path": path, "url": rec.get("url") or None}) + "\n")
    res = subprocess.run([binary, "extract", "--manifest", manifest], capture_output=True, text=True)
    if res.returncode not in (0, 1):
        sys.stderr.write(res.stderr)
    full = {}
    for line in res.stdout.splitlines():
        obj = json.loads(line)
        pid = paths.get(obj.get("path"))
        if pid is not None:
            full[pid] = obj
    json.dump(full, open(os.path.join(out, "full.json"), "w", encoding="utf8"), ensure_ascii=False, indent=1)
    return full


def prediction(kind, obj):
    if kind == "body":
        return {"articleBody": obj.get("body_text") or ""}
    return {
        "title": obj.get("headline"),
        "authors": obj.get("authors") or [],
        "date_published": obj.get("published_at"),
        "body": obj.get("body_text") or "",
    }


def score(name, half, truth, pred, out, errors):
    scorer_name = SETS[name][1]
    sub = os.path.join(out, half)
    os.makedirs(sub, exist_ok=True)
    tp, pp = os.path.join(sub, "truth.json"), os.path.join(sub, "pred.json")
    json.dump(truth, open(tp, "w", encoding="utf8"), ensure_ascii=False)
    json.dump(pred, open(pp, "w", encoding="utf8"), ensure_ascii=False)
    scorer = os.path.join(BENCH, scorer_name)
    if scorer_name == "score_extraction.py":
        cmd = [sys.executable, scorer, "--truth", tp, "--pred", pp, "--worst", str(errors)]
    else:
        cmd = [sys.executable, scorer, tp, pp, "--errors", str(errors),
               "--per-page", os.path.join(sub, "per_page.json")]
    res = subprocess.run(cmd, capture_output=True, text=True)
    with open(os.path.join(sub, "score.txt"), "w", encoding="utf8") as f:
        f.write(res.stdout + res.stderr)
    lines = [l for l in res.stdout.splitlines() if l.strip()]
    return lines[-1] if lines else "scorer failed: " + res.stderr.strip()[-300:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--halves", default="fit,check,all")
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "wiredesk"))
    ap.add_argument("--out", default="/tmp/wiredesk-bench")
    ap.add_argument("--errors", type=int, default=0)
    a = ap.parse_args()
    rows = []
    for name in a.sets.split(","):
        truth_file, _, kind = SETS[name]
        bench_dir = os.path.join(BENCH, name)
        truth = json.load(open(os.path.join(bench_dir, truth_file), encoding="utf8"))
        out = os.path.join(a.out, name)
        os.makedirs(out, exist_ok=True)
        full = run_extract(a.bin, bench_dir, truth, out)
        for half in a.halves.split(","):
            ids = [pid for pid, rec in truth.items() if half == "all" or half_of(rec.get("url")) == half]
            t = {pid: truth[pid] for pid in ids}
            p = {pid: prediction(kind, full[pid]) for pid in ids if pid in full}
            line = score(name, half, t, p, out, a.errors)
            rows.append(f"{name:<12} {half:<5} {line}")
            print(rows[-1], flush=True)


if __name__ == "__main__":
    main()
