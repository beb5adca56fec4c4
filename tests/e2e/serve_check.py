#!/usr/bin/env python3
"""Talks to `avoin serve` for tests/e2e/t0022-serve.sh.

  serve_check.py port LOG             the port the server printed in LOG (waits for it)
  serve_check.py wait PORT BUILDS     until /_avoin/status says BUILDS builds are done; prints it
  serve_check.py compare PORT DIR      the served site is DIR's: the same paths, and each
                                      file's bytes (HTML without the preview's snippet), asked
                                      for as a browser asks (taking gzip, br and zstd) and sent
                                      as written; prints how many files memory holds packed
  serve_check.py get PORT PATH        prints the status and the body (snippet kept)
  serve_check.py events PORT SINCE    waits (10 s at most) for a reload event; prints "reload"
  serve_check.py raw PORT REQUEST     sends REQUEST (Python escapes such as \\r\\n; {LONG:N}
                                      for N letters) as it is;
                                      prints the status code and whether /etc/passwd leaked
"""
import http.client
import json
import os
import re
import socket
import sys
import time

SNIPPET = re.compile(rb"<!-- avoin serve -->.*?<!-- /avoin serve -->", re.S)


def conn(port):
    return http.client.HTTPConnection("127.0.0.1", int(port), timeout=20)


def get(port, path, c=None):
    c = c or conn(port)
    c.request("GET", path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    r = c.getresponse()
    body = r.read()
    if r.getheader("Content-Encoding"):
        raise SystemExit(f"{path}: sent with Content-Encoding {r.getheader('Content-Encoding')}")
    return r.status, body, c


def status(port):
    s, body, _ = get(port, "/_avoin/status")
    return json.loads(body)


def cmd_port(log):
    for _ in range(600):
        try:
            m = re.search(r"serving http://[^:]+:(\d+)/", open(log, encoding="utf-8").read())
        except OSError:
            m = None
        if m:
            print(m.group(1))
            return 0
        time.sleep(0.05)
    print("no 'serving' line in " + log, file=sys.stderr)
    return 1


def cmd_wait(port, builds):
    last = None
    for _ in range(1200):
        try:
            last = status(port)
            if last["builds"] >= int(builds):
                print(json.dumps(last))
                return 0
        except OSError:
            pass
        time.sleep(0.05)
    print(f"still {last} after 60 s, expected {builds} builds", file=sys.stderr)
    return 1


def cmd_compare(port, folder):
    s, listing, c = get(port, "/_avoin/files")
    served = {}
    for line in listing.decode().splitlines():
        path, size = line.rsplit(" ", 1)
        served[path] = int(size)
    want = {}
    for root, _, files in os.walk(folder):
        for f in files:
            full = os.path.join(root, f)
            want[os.path.relpath(full, folder)] = full
    bad = []
    for p in sorted(set(want) - set(served)):
        bad.append(f"not served: {p}")
    for p in sorted(set(served) - set(want)):
        bad.append(f"served but not built: {p}")
    for p in sorted(set(want) & set(served)):
        st, body, c = get(port, "/" + "/".join(p.split(os.sep)), c)
        if p.endswith(".html"):
            if body.count(b"<!-- avoin serve -->") != 1:
                bad.append(f"{p}: the snippet {body.count(b'<!-- avoin serve -->')} times")
            body = SNIPPET.sub(b"", body)
        data = open(want[p], "rb").read()
        if st != 200 or body != data:
            bad.append(f"{p}: status {st}, {len(body)} bytes served, {len(data)} built")
    for b in bad[:20]:
        print(b)
    st = status(port)
    print(f"{len(want)} files built, {len(served)} served, {len(bad)} differences; "
          f"{st['packed']} packed in memory, "
          f"{'with' if st['dictionary'] else 'without'} a dictionary of the site's")
    return 1 if bad or not want else 0


def cmd_get(port, path):
    st, body, _ = get(port, path)
    sys.stdout.write(f"{st}\n")
    sys.stdout.flush()
    sys.stdout.buffer.write(body)
    return 0


def cmd_events(port, since):
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
    s.sendall(f"GET /_avoin/events?since={since} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    got = b""
    end = time.time() + 10
    while time.time() < end:
        try:
            chunk = s.recv(4096)
        except socket.timeout:
            break
        if not chunk:
            break
        got += chunk
        if b"event: reload" in got:
            print("reload")
            return 0
    print(f"no reload event: {got[:300]!r}")
    return 1


def cmd_raw(port, request):
    req = request.encode().decode("unicode_escape")
    req = re.sub(r"\{LONG:(\d+)\}", lambda m: "a" * int(m.group(1)), req).encode("latin-1")
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
    s.sendall(req)
    got = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
            if b"\r\n\r\n" in got and len(got) > 65536:
                break
    except (socket.timeout, ConnectionResetError):
        pass
    m = re.match(rb"HTTP/1\.[01] (\d{3})", got)
    leaked = b"root:" in got
    print(f"{m.group(1).decode() if m else 'none'} {'LEAKED' if leaked else 'clean'}")
    return 0


if __name__ == "__main__":
    cmds = {"port": cmd_port, "wait": cmd_wait, "compare": cmd_compare, "get": cmd_get,
            "events": cmd_events, "raw": cmd_raw}
    sys.exit(cmds[sys.argv[1]](*sys.argv[2:]))
