#!/usr/bin/env python3
"""Server time of the desk's wire page on a large store: GET /?limit=1000 (1,000 rows of HTML)
on a store of --stories stories, p50/p99 over --requests requests, as the server logs it (the
per-request log line's `ms`: token check, store read, rendering, ETag) and as a client on
loopback sees it. Also the same page searched (a word in a fifth of the store's stories) and
filtered by credit, the default page (100 rows), one story page and /feeds.

Builds the store like scripts/bench_serve.py (`wiredesk demo`, then copies of its stories with
an appearance each), logs in with a token through the desk's cookie, and serves it with the
release binary, one request at a time over a kept-alive connection. Exits 1 when the wire
page's server p99 is above --target-ms (100).

    python3 scripts/bench_desk.py --bin target/release/wiredesk --stories 100000
"""
import argparse, http.client, json, os, queue, shutil, socket, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(__file__))
from bench_export import grow  # noqa: E402
from bench_serve import free_port, pct  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/wiredesk")
    ap.add_argument("--stories", type=int, default=100000)
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--target-ms", type=float, default=100.0)
    ap.add_argument("--out")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="wiredesk-desk-")
    db = os.path.join(tmp, "w.db")
    subprocess.run([a.bin, "--db", db, "demo"], check=True, capture_output=True)
    grow(db, a.stories)
    out = subprocess.run([a.bin, "--db", db, "tokens", "create", "bench"], check=True,
                         capture_output=True, text=True).stdout
    token = out.split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [a.bin, "--db", db, "--log-format", "json", "serve", "--listen", f"127.0.0.1:{port}"],
        stderr=subprocess.PIPE, text=True)
    logged = queue.Queue()

    def read_log():
        for line in server.stderr:
            try:
                v = json.loads(line)
            except ValueError:
                continue
            f = v.get("fields", v)
            if f.get("message") == "API request.":
                logged.put((f["path"], int(f["status"]), float(f["ms"])))

    threading.Thread(target=read_log, daemon=True).start()
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"Cookie": f"wiredesk_token={token}"}

        def get(path):
            t = time.perf_counter()
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            body = r.read()
            client_ms = (time.perf_counter() - t) * 1000
            if r.status != 200:
                sys.exit(f"{path}: {r.status} {body[:300]!r}")
            logged_path, status, server_ms = logged.get(timeout=10)
            assert status == 200, (logged_path, status)
            return client_ms, server_ms, body

        _, _, body = get("/?limit=1000")
        rows = body.count(b'<td class="headline">')
        assert rows == 1000, f"the wire page listed {rows} rows"
        results = {"stories": a.stories, "html_bytes_wire_1000": len(body)}
        for name, path, n in [
            ("wire_1000", "/?limit=1000", a.requests),
            ("wire_default_100", "/", a.requests),
            ("wire_search_1000", "/?q=Japan&limit=1000", a.requests),
            ("wire_credit_1000", "/?credit=CNN+Newsource&limit=1000", a.requests),
            ("story", "/stories/1", a.requests),
            ("feeds", "/feeds", min(a.requests, 50)),
        ]:
            for _ in range(5):  # warm-up
                get(path)
            client, srv = [], []
            for _ in range(n):
                c, s, _ = get(path)
                client.append(c)
                srv.append(s)
            results[name] = {
                "server_p50_ms": round(pct(srv, 50), 1), "server_p99_ms": round(pct(srv, 99), 1),
                "client_p50_ms": round(pct(client, 50), 1), "client_p99_ms": round(pct(client, 99), 1),
                "n": n,
            }
            print(name, json.dumps(results[name]), flush=True)
        if a.out:
            with open(a.out, "w") as f:
                json.dump(results, f, indent=1)
        p99 = results["wire_1000"]["server_p99_ms"]
        if p99 > a.target_ms:
            sys.exit(f"FAIL: / with 1,000 rows: server p99 {p99} ms > {a.target_ms} ms")
        print(f"ok: / with 1,000 rows: server p99 {p99} ms <= {a.target_ms} ms")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
