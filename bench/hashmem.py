#!/usr/bin/env python3
"""RSS of `my-agent serve` across a registration + login storm.

Usage: hashmem.py BINARY [--clients 16] [--users 64] [--logins 256]

Fresh database my_agent_hashmem, migrate, serve (soak.py's env), then
  phase A: --users registrations from --clients concurrent connections
  phase B: --logins logins (correct password, wrong password, unknown email
           in turn) from --clients concurrent connections
  idle 15 s (tokio's blocking threads time out after 10 s)
VmRSS and Threads from /proc/<pid>/status after each phase, plus the number
of glibc arena heaps (64 MiB-aligned anonymous reservations) and the resident
KiB in them, from /proc/<pid>/smaps. Standard library only.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DB = "my_agent_hashmem"
PASSWORD = "correct horse battery staple"


def status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM", "Threads"):
                out[k] = int(v.split()[0])
    return out


def arenas(pid):
    """glibc non-main arena heaps: 64 MiB-aligned mappings (rw part + PROT_NONE tail)."""
    maps = []
    cur = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                cur = {"lo": lo, "hi": hi, "perm": parts[1], "path": parts[5] if len(parts) > 5 else "", "rss": 0}
                maps.append(cur)
            elif parts[0] == "Rss:" and cur is not None:
                cur["rss"] = int(parts[1])
    heap = 64 << 20
    count, rss = 0, 0
    for m in maps:
        if m["path"] == "" and m["lo"] % heap == 0 and m["perm"].startswith("rw"):
            # the heap is this rw mapping plus the following ---p reservation
            count += 1
            rss += m["rss"]
    big = sorted((m["rss"] for m in maps if m["path"] == ""), reverse=True)[:6]
    return count, rss, big


def client(port):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=120)


def post(conn, path, body):
    conn.request("POST", path, body=json.dumps(body), headers={"content-type": "application/json"})
    res = conn.getresponse()
    res.read()
    return res.status


def storm(port, items, clients, fn):
    items = list(items)
    lock = threading.Lock()
    errors = []
    started = time.time()

    def worker():
        conn = client(port)
        while True:
            with lock:
                if not items:
                    return
                item = items.pop()
            try:
                err = fn(conn, item)
            except Exception as exc:  # noqa: BLE001
                conn.close()
                conn = client(port)
                err = repr(exc)
            if err:
                with lock:
                    errors.append(err)

    ts = [threading.Thread(target=worker) for _ in range(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return time.time() - started, errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--users", type=int, default=64)
    ap.add_argument("--logins", type=int, default=256)
    ap.add_argument("--idle", type=float, default=15)
    args = ap.parse_args()

    for sql in (f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)', f'CREATE DATABASE "{DB}"'):
        subprocess.run(["psql", ADMIN, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                       stderr=subprocess.DEVNULL)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("APP__")}
    env.update({"DATABASE_URL": ADMIN.rsplit("/", 1)[0] + "/" + DB, "PORT": str(port),
                "APP__SERVER__HOST": "127.0.0.1", "APP__AUTH__RATE_LIMIT_PER_MINUTE": "1000000",
                "APP__LOG__FORMAT": "json", "APP__LOG__FILTER": "warn"})
    env.pop("RUST_LOG", None)
    subprocess.run([args.binary, "migrate"], env=env, check=True, cwd=tempfile.gettempdir(),
                   stdout=subprocess.DEVNULL)
    log = tempfile.NamedTemporaryFile(prefix="hashmem-", suffix=".log", delete=False)
    server = subprocess.Popen([args.binary, "serve"], env=env, stdout=log, stderr=log,
                              cwd=tempfile.gettempdir())
    try:
        deadline = time.time() + 30
        while True:
            try:
                c = client(port)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.time() > deadline:
                raise SystemExit(f"server did not start; see {log.name}")
            time.sleep(0.1)

        def report(label, extra=""):
            st = status(server.pid)
            n, rss, big = arenas(server.pid)
            print(f"{label:<22} VmRSS {st['VmRSS'] / 1024:6.1f} MiB  VmHWM {st['VmHWM'] / 1024:6.1f} MiB  "
                  f"threads {st['Threads']:3d}  arena heaps {n:2d} ({rss / 1024:6.1f} MiB resident)  "
                  f"largest anon maps (MiB) {[round(b / 1024, 1) for b in big]} {extra}", flush=True)

        report("launch")
        emails = [f"hm-{uuid.uuid4().hex}@example.com" for _ in range(args.users)]

        def register(conn, email):
            st = post(conn, "/api/v1/auth/register", {"email": email, "password": PASSWORD})
            return None if st == 201 else f"register {st}"

        took, errs = storm(port, emails, args.clients, register)
        report(f"after {args.users} registers", f"{took:.1f} s, {len(errs)} errors")

        def login(conn, i):
            kind = i % 3
            if kind == 0:
                st = post(conn, "/api/v1/auth/login", {"email": emails[i % len(emails)], "password": PASSWORD})
                return None if st == 200 else f"login {st}"
            if kind == 1:
                body = {"email": emails[i % len(emails)], "password": "wrong password entirely"}
            else:
                body = {"email": f"nobody-{i}@example.com", "password": PASSWORD}
            st = post(conn, "/api/v1/auth/login", body)
            return None if st == 401 else f"bad login {st}"

        took, errs2 = storm(port, range(args.logins), args.clients, login)
        report(f"after {args.logins} logins", f"{took:.1f} s, {len(errs2)} errors")
        for e in (errs + errs2)[:5]:
            print("  error:", e)
        time.sleep(args.idle)
        report(f"after {args.idle:.0f} s idle")
        server.send_signal(signal.SIGTERM)
        t0 = time.time()
        code = server.wait(timeout=60)
        print(f"SIGTERM -> exit {code} in {time.time() - t0:.2f} s")
        return 1 if errs or errs2 or code != 0 else 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
