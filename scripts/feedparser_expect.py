#!/usr/bin/env python3
"""Record what Python's feedparser 6 makes of every file in the feed corpus.

    python3 scripts/feedparser_expect.py            # all files
    python3 scripts/feedparser_expect.py NAME...    # only these (file names under files/)

Creates the dev-only venv .venv-feedparser/ at the repository root on first use
(`python3 -m venv` + `pip install 'feedparser==6.*'`) and re-runs itself inside it. Nothing in the
build or CI needs it: the output, fixtures/feed-corpus/expected/<name>.json, is committed, and a
Rust test compares `wiredesk parse` against it.

Each file is parsed from its bytes, with the sidecar's content_type passed as the HTTP
`Content-Type` response header and its url as `Content-Location` (feedparser's base for relative
links), exactly as if it had been fetched.

expected/<name>.json:
  feedparser_version  e.g. "6.0.14"
  bozo                feedparser's "this was not well-formed" flag
  bozo_exception      the exception class name when bozo, else null (class only: messages vary
                      with the expat build)
  version             feedparser's format guess ("rss20", "atom10", "" ...)
  encoding            the encoding feedparser settled on
  entries             number of entries
  links, ids, titles  per entry: entry.link / entry.id / entry.title, or null when absent
  published           per entry: the raw published (or updated) text, or null
  published_utc       per entry: feedparser's parsed date as ISO 8601 UTC, or null
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fixtures", "feed-corpus")
FILES = os.path.join(CORPUS, "files")
EXPECTED = os.path.join(CORPUS, "expected")
VENV = os.path.join(ROOT, ".venv-feedparser")
VENV_PY = os.path.join(VENV, "bin", "python")


def ensure_venv():
    """Re-exec under the venv's python (creating the venv first when missing)."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(VENV_PY):
        print("creating %s" % VENV, file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([VENV_PY, "-m", "pip", "install", "-q", "feedparser==6.*"])
    os.execv(VENV_PY, [VENV_PY, os.path.abspath(__file__)] + sys.argv[1:])


def corpus_files():
    return sorted(f for f in os.listdir(FILES) if not f.endswith(".meta.json"))


def load_meta(name):
    p = os.path.join(FILES, name + ".meta.json")
    if os.path.exists(p):
        with open(p, encoding="utf-8") as f:
            return json.load(f)
    return {}


def utc(st):
    if not st:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", st)


def expect(feedparser, name):
    meta = load_meta(name)
    with open(os.path.join(FILES, name), "rb") as f:
        data = f.read()
    headers = {}
    if meta.get("content_type"):
        headers["content-type"] = meta["content_type"]
    if meta.get("url"):
        headers["content-location"] = meta["url"]
    d = feedparser.parse(data, response_headers=headers)
    entries = d.get("entries", [])
    exc = d.get("bozo_exception")
    return {
        "feedparser_version": feedparser.__version__,
        "bozo": bool(d.get("bozo")),
        "bozo_exception": type(exc).__name__ if exc is not None else None,
        "version": d.get("version", ""),
        "encoding": d.get("encoding"),
        "entries": len(entries),
        "links": [e.get("link") for e in entries],
        "ids": [e.get("id") for e in entries],
        "titles": [e.get("title") for e in entries],
        "published": [e.get("published", e.get("updated")) for e in entries],
        "published_utc": [utc(e.get("published_parsed") or e.get("updated_parsed")) for e in entries],
    }


def main():
    ensure_venv()
    import feedparser

    os.makedirs(EXPECTED, exist_ok=True)
    names = sys.argv[1:] or corpus_files()
    if not sys.argv[1:]:
        # drop expectations for files the generator no longer writes
        keep = {n + ".json" for n in names}
        for f in os.listdir(EXPECTED):
            if f not in keep:
                os.remove(os.path.join(EXPECTED, f))
    with_entries = 0
    for name in names:
        e = expect(feedparser, name)
        with_entries += e["entries"] > 0
        with open(os.path.join(EXPECTED, name + ".json"), "w", encoding="utf-8") as f:
            f.write(json.dumps(e, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    print("feedparser %s: %d files, %d with >= 1 entry -> %s"
          % (feedparser.__version__, len(names), with_entries, os.path.relpath(EXPECTED, ROOT)))


if __name__ == "__main__":
    main()
