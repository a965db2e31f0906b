#!/usr/bin/env python3
"""Compare `wiredesk parse` with feedparser 6 on the feed corpus.

    python3 scripts/compare_feedparser.py [--bin target/release/wiredesk] [--only SUBSTR] [-v]

Standard library only (no venv): the feedparser side is the committed
fixtures/feed-corpus/expected/<name>.json, written by scripts/feedparser_expect.py.

For every corpus file it runs, one process per file,

    BIN parse [--content-type CT] [--url URL] FILE

with CT / URL from the file's sidecar <name>.meta.json when it has them (no flag otherwise), and
reads the one JSON object the command prints for the file:
    {"path", "format", "title", "entries": [{"id", "title", "link", "published", "authors", "summary"}]}
or  {"path", "error"}.
A crash, a timeout, a non-zero exit without JSON, or unparsable output counts as zero entries.

The rule (acceptance criterion of the feed-recovery issue). A file is *counted* when feedparser
found >= 1 entry in it. A counted file is OK when both hold:
  1. wiredesk found at least as many entries as feedparser, and
  2. the links agree as a multiset inclusion: every non-null feedparser entry link occurs among
     wiredesk's entry links at least as many times as it occurs among feedparser's. Links are
     compared after stripping surrounding whitespace and nothing else (both sides resolve relative
     links against the same URL). Entries feedparser has without a link (null) impose no link
     constraint, only the count in rule 1. Extra wiredesk entries or links are allowed; order is
     ignored. Multiset, not set, so a parser that silently drops repeated items fails
     rss2-duplicate-items (deduplication is a later pipeline stage, not the parser's job).

Output: one line per failing counted file (with the reason), per-family totals with -v, an
informational line for the files whose sidecar carries a "truth" (formats feedparser does not
read, such as JSON Feed, ninjs, NewsML-G2 and Google News sitemaps), and last, machine-readable:

    FEEDPARSER_FILES <counted files> OK <ok files>

Exit status: 0 when the comparison ran (whatever it found), 2 when it could not run at all
(binary missing, no expectations).
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fixtures", "feed-corpus")
FILES = os.path.join(CORPUS, "files")
EXPECTED = os.path.join(CORPUS, "expected")


def family(name):
    """'rss2-basic-003.xml' -> 'rss2-basic'; 'rss-version-2.01-001.xml' -> 'rss-version-2.01'."""
    m = re.match(r"^(.*)-\d{3}\.[A-Za-z0-9]+$", name)
    return m.group(1) if m else name


def load_json(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def first_json_object(text):
    """The first JSON object in the output (one per line is expected; be lenient)."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
                if isinstance(obj, dict):
                    return obj
            except ValueError:
                pass
    try:  # a pretty-printed object spanning several lines
        obj = json.loads(text)
        if isinstance(obj, dict):
            return obj
        if isinstance(obj, list) and obj and isinstance(obj[0], dict):
            return obj[0]
    except ValueError:
        pass
    return None


def run_wiredesk(binary, name, meta, timeout):
    cmd = [binary, "parse"]
    if meta.get("content_type"):
        cmd += ["--content-type", meta["content_type"]]
    if meta.get("url"):
        cmd += ["--url", meta["url"]]
    cmd.append(os.path.join(FILES, name))
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": "timeout after %ss" % timeout}, cmd
    except OSError as e:
        return {"error": "could not run: %s" % e}, cmd
    out = p.stdout.decode("utf-8", "replace")
    obj = first_json_object(out)
    if obj is None:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return {"error": "exit %d, no JSON on stdout%s" % (p.returncode, (": " + err[-1][:200]) if err else "")}, cmd
    return obj, cmd


def norm(link):
    return link.strip() if isinstance(link, str) else None


def wd_entries(obj):
    ents = obj.get("entries")
    return ents if isinstance(ents, list) else []


def wd_links(obj):
    return [norm(e.get("link")) for e in wd_entries(obj) if isinstance(e, dict) and norm(e.get("link"))]


def missing_links(want, have):
    """Links in the multiset `want` not covered by the multiset `have`."""
    need = collections.Counter(l for l in (norm(x) for x in want) if l)
    got = collections.Counter(have)
    return sorted((need - got).elements())


def judge(exp, obj):
    """(ok, reason) for a file feedparser found >= 1 entry in."""
    n_fp, ents = exp["entries"], wd_entries(obj)
    if "error" in obj and not ents:
        return False, "wiredesk error: %s" % str(obj["error"])[:200]
    reasons = []
    if len(ents) < n_fp:
        reasons.append("entries %d < feedparser %d" % (len(ents), n_fp))
    miss = missing_links(exp["links"], wd_links(obj))
    if miss:
        reasons.append("%d feedparser link(s) missing, e.g. %s" % (len(miss), miss[0]))
    return not reasons, "; ".join(reasons)


def judge_truth(truth, obj):
    """Informational: does wiredesk find what the generator put in (for files feedparser can't read)?"""
    want = truth.get("links")
    if want is None and truth.get("items"):
        want = [it.get("link") for it in truth["items"]]
    n = truth.get("entries", len(want or []))
    ents = wd_entries(obj)
    if len(ents) < n:
        return False
    if want and truth.get("format") not in ("ninjs", "newsml-g2"):
        # wire items carry their link as a rendition / remoteContent; don't require it
        return not missing_links(want, wd_links(obj))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "wiredesk"),
                    help="wiredesk binary (default: target/release/wiredesk)")
    ap.add_argument("--only", action="append", default=[], help="only files whose name contains this (repeatable)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per file")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true", help="per-family totals and passing files too")
    ap.add_argument("--report", help="write a JSON report (per file: counted, ok, reason) here")
    args = ap.parse_args()

    binary = args.bin if os.path.isabs(args.bin) else os.path.join(os.getcwd(), args.bin)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print("error: wiredesk binary not found or not executable: %s (build it with cargo build --release, or pass --bin)"
              % binary, file=sys.stderr)
        print("FEEDPARSER_FILES 0 OK 0")
        return 2
    if not os.path.isdir(EXPECTED):
        print("error: no expectations in %s; run scripts/feedparser_expect.py" % EXPECTED, file=sys.stderr)
        print("FEEDPARSER_FILES 0 OK 0")
        return 2

    names = sorted(f for f in os.listdir(FILES) if not f.endswith(".meta.json"))
    if args.only:
        names = [n for n in names if any(s in n for s in args.only)]

    def work(name):
        exp = load_json(os.path.join(EXPECTED, name + ".json"))
        meta = load_json(os.path.join(FILES, name + ".meta.json"), {})
        obj, cmd = run_wiredesk(binary, name, meta, args.timeout)
        return name, exp, meta, obj

    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(work, names))

    counted = ok = 0
    truth_n = truth_ok = 0
    no_expect = []
    fam = collections.defaultdict(lambda: [0, 0])
    report = []
    failures = []
    for name, exp, meta, obj in results:
        if exp is None:
            no_expect.append(name)
            continue
        row = {"file": name, "feedparser_entries": exp["entries"], "wiredesk_entries": len(wd_entries(obj)),
               "wiredesk_error": obj.get("error")}
        if exp["entries"] >= 1:
            counted += 1
            good, reason = judge(exp, obj)
            ok += good
            f = fam[family(name)]
            f[0] += 1
            f[1] += good
            row.update(counted=True, ok=good, reason=reason)
            if not good:
                failures.append((name, reason))
            elif args.verbose:
                print("ok    %s" % name)
        else:
            row.update(counted=False)
            if meta.get("truth") and meta["truth"].get("entries"):
                truth_n += 1
                t = judge_truth(meta["truth"], obj)
                truth_ok += t
                row["truth_ok"] = t
        report.append(row)

    for name, reason in failures:
        print("FAIL  %s: %s" % (name, reason))
    if no_expect:
        print("note: %d file(s) without expected/*.json (run scripts/feedparser_expect.py): %s"
              % (len(no_expect), ", ".join(no_expect[:5])), file=sys.stderr)
    if args.verbose:
        print("\nper family (counted files: ok/total)")
        for k in sorted(fam):
            print("  %-45s %3d/%-3d" % (k, fam[k][1], fam[k][0]))
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    print("files %d; feedparser finds >= 1 entry in %d; wiredesk matches it in %d; failing %d"
          % (len(results), counted, ok, counted - ok))
    print("TRUTH_FILES %d OK %d   (feedparser finds nothing; generator's own truth: JSON Feed, ninjs, NewsML-G2, sitemaps)"
          % (truth_n, truth_ok))
    print("FEEDPARSER_FILES %d OK %d" % (counted, ok))
    return 0


if __name__ == "__main__":
    sys.exit(main())
