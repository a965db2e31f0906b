#!/usr/bin/env python3
"""`wiredesk extract DIR` as a whole process, against parse-only and rs-trafilatura.

Usage:
    scripts/bench_extract_cli.py [--sets extraction,mix] [--runs 5] [--one-page-runs 10]

Three programs read the same folder of pages (gunzip, charset decoding included) in one run:
  extract     the release `wiredesk extract DIR` (JSON lines out)
  parse-only  `examples/parse_only` (html5ever parse and a walk of the text nodes, no extraction)
  rs-traf     `bench-compare/examples/trafilatura_extract` (rs-trafilatura 0.2 on each page)
They run in turn (extract, parse-only, rs-traf, extract, ...), each timed from outside (wall
clock; user + system CPU and peak RSS from the kernel, as `/usr/bin/time` reports them), and
the script prints each one's median wall and CPU (user + system) per page, its peak RSS, and the
ratios taken from those medians. It also times `wiredesk extract` on one page (start-up
included). Sets: `extraction` is ../shared/bench/extraction/html (88 pages); `mix` is every page
of ../shared/bench/*/html (symlinked into one temporary folder).

Build first (the script does not build):
    cargo build --release --bin wiredesk --example parse_only
    cargo build --release --manifest-path bench-compare/Cargo.toml --example trafilatura_extract
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.environ.get("WIREDESK_BENCH", "/work/shared/bench")
TARGET = os.environ.get("CARGO_TARGET_DIR", "target")


def timed(cmd):
    """(wall s, cpu s, peak KiB) of one run of `cmd`, its output thrown away: the kernel's own
    accounting of the child (wait4, as /usr/bin/time reads it), wall from a monotonic clock."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode})")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def pages_in(folder):
    return sorted(
        p for p in glob.glob(os.path.join(folder, "*"))
        if p.endswith((".html", ".htm", ".html.gz"))
    )


def mix_folder():
    """A temporary folder holding a symlink to every page of every shared set."""
    tmp = tempfile.mkdtemp(prefix="wiredesk-mix-")
    for folder in sorted(glob.glob(os.path.join(BENCH, "*", "html"))):
        name = os.path.basename(os.path.dirname(folder))
        for page in pages_in(folder):
            os.symlink(page, os.path.join(tmp, f"{name}-{os.path.basename(page)}"))
    return tmp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="extraction,mix")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--one-page-runs", type=int, default=10)
    ap.add_argument("--bin", default=os.path.join(TARGET, "release", "wiredesk"))
    ap.add_argument("--parse", default=os.path.join(TARGET, "release", "examples", "parse_only"))
    ap.add_argument("--traf", default=os.path.join(TARGET, "release", "examples", "trafilatura_extract"))
    args = ap.parse_args()

    for exe in (args.bin, args.parse, args.traf):
        if not os.access(exe, os.X_OK):
            sys.exit(f"missing {exe}: build it first (see the docstring)")

    for name in args.sets.split(","):
        folder = os.path.join(BENCH, name, "html") if name != "mix" else mix_folder()
        pages = pages_in(folder)
        n = len(pages)
        cmds = {
            "extract": [args.bin, "extract", folder],
            "parse-only": [args.parse, folder],
            "rs-traf": [args.traf, folder],
        }
        runs = {k: [] for k in cmds}
        for _ in range(args.runs):
            for k, cmd in cmds.items():
                runs[k].append(timed(cmd))
        print(f"{name}: {n} pages from {folder}, {args.runs} runs each (medians)")
        med = {}
        for k, rs in runs.items():
            wall = statistics.median(r[0] for r in rs)
            cpu = statistics.median(r[1] for r in rs)
            rss = statistics.median(r[2] for r in rs)
            med[k] = (wall, cpu)
            print(f"  {k:<11} wall {wall * 1000 / n:7.3f} ms/page  cpu {cpu * 1000 / n:7.3f} ms/page"
                  f"  peak {rss / 1024:7.1f} MiB  (whole: wall {wall:.2f} s, cpu {cpu:.2f} s)")
        e, p, t = med["extract"], med["parse-only"], med["rs-traf"]
        print(f"  extract / parse-only: wall {e[0] / p[0]:.2f}x  cpu {e[1] / p[1]:.2f}x")
        print(f"  rs-traf / extract:    wall {t[0] / e[0]:.2f}x  cpu {t[1] / e[1]:.2f}x")
        if name == "mix":
            shutil.rmtree(folder)

    one = pages_in(os.path.join(BENCH, "extraction", "html"))[0]
    rs = [timed([args.bin, "extract", one]) for _ in range(args.one_page_runs)]
    print(f"one page (the first of extraction): wall {statistics.median(r[0] for r in rs) * 1000:.1f} ms"
          f"  cpu {statistics.median(r[1] for r in rs) * 1000:.1f} ms"
          f"  peak {statistics.median(r[2] for r in rs) / 1024:.1f} MiB  ({args.one_page_runs} runs, median)")


if __name__ == "__main__":
    main()
