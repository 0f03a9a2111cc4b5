#!/usr/bin/env python3
"""Soak test: mixed traffic from several users against a release build.

Starts `target/release/my-agent` (migrate, then serve on a free port with a
high login rate limit) against DATABASE_URL (default: a fresh database
`my_agent_soak` on postgres://postgres@127.0.0.1:5432, recreated with `psql`),
registers --users accounts and, from one thread per user, runs mixed traffic
for --minutes: create/list/update/delete transactions, reminders and events,
the monthly summary, the dashboard and token refresh. The server's RSS
(/proc/<pid>/status VmRSS) is sampled every --sample-secs.

Prints requests, errors (any unexpected status or failed request), p50/p99
latency per operation and overall, RSS at launch, after warm-up, at the end
and the maximum. Exits 1 when there was any error, when RSS at the end exceeds
RSS after warm-up by more than --rss-growth-mib, or when the server does not
stop with status 0 on SIGTERM.

  cargo build --release -p api && python3 scripts/soak.py --minutes 10
Standard library only.
"""
import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

PASSWORD = "correct horse battery staple"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
SOAK_DB = "my_agent_soak"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def pct(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def fresh_database():
    """Recreates my_agent_soak on the local server and returns its URL."""
    for sql in (
        f'DROP DATABASE IF EXISTS "{SOAK_DB}" WITH (FORCE)',
        f'CREATE DATABASE "{SOAK_DB}"',
    ):
        subprocess.run(["psql", ADMIN_URL, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       check=True, stderr=subprocess.DEVNULL)
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + SOAK_DB


class Client:
    """One keep-alive connection; reconnects after a failure."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def call(self, method, path, token=None, body=None):
        headers = {}
        data = None
        if token:
            headers["authorization"] = f"Bearer {token}"
        if body is not None:
            data = json.dumps(body).encode()
            headers["content-type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=data, headers=headers)
                res = self.conn.getresponse()
                raw = res.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: retry once on a new one.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            took = (time.perf_counter() - started) * 1000
            if res.getheader("connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            doc = None
            if raw and (res.getheader("content-type") or "").endswith("json"):
                doc = json.loads(raw)
            return res.status, doc, took, raw
        raise RuntimeError("unreachable")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {}
        self.errors = []
        self.requests = 0

    def record(self, op, took, error=None):
        with self.lock:
            self.requests += 1
            self.latency.setdefault(op, []).append(took)
            if error:
                self.errors.append(f"{op}: {error}")


class User:
    def __init__(self, port, stats):
        self.client = Client(port)
        self.stats = stats
        self.email = f"soak-{uuid.uuid4().hex}@example.com"
        self.access = None
        self.refresh = None
        self.ids = {"tx": [], "reminder": [], "event": []}
        self.n = 0

    def do(self, op, method, path, expect, body=None, auth=True):
        try:
            status, doc, took, raw = self.client.call(
                method, path, self.access if auth else None, body
            )
        except Exception as exc:  # noqa: BLE001 - any failure is an error of the run
            self.stats.record(op, 0.0, f"{method} {path}: {exc!r}")
            return None
        error = None
        if status != expect:
            error = f"{method} {path} -> {status}: {raw[:300]!r}"
        self.stats.record(op, took, error)
        return doc if error is None else None

    def register(self):
        doc = self.do(
            "register", "POST", "/api/v1/auth/register", 201,
            {"email": self.email, "password": PASSWORD}, auth=False,
        )
        if doc is None:
            raise SystemExit(f"registration failed: {self.stats.errors[-1:]}")
        self.access, self.refresh = doc["access_token"], doc["refresh_token"]

    def step(self, rng):
        self.n += 1
        n = self.n
        day = f"2026-11-{rng.randint(1, 28):02d}"
        ops = [
            ("tx.create", 4), ("tx.list", 3), ("tx.update", 2), ("tx.delete", 2),
            ("reminder.create", 2), ("reminder.list", 2), ("reminder.delete", 1),
            ("event.create", 2), ("event.list", 2), ("event.delete", 1),
            ("summary", 2), ("dashboard", 2), ("refresh", 1),
        ]
        op = rng.choices([o for o, _ in ops], [w for _, w in ops])[0]
        if op == "tx.create":
            doc = self.do(op, "POST", "/api/v1/finances/transactions", 201, {
                "kind": rng.choice(["expense", "income"]),
                "amount": f"{rng.randint(1, 500)}.{rng.randint(0, 99):02d}",
                "occurred_on": day, "category": rng.choice(["Food", "Rent", "Fun"]),
                "description": f"soak {n}",
            })
            if doc:
                self.ids["tx"].append(doc["id"])
        elif op == "tx.list":
            self.do(op, "GET", "/api/v1/finances/transactions?limit=50", 200)
        elif op == "tx.update" and self.ids["tx"]:
            self.do(op, "PATCH", f"/api/v1/finances/transactions/{rng.choice(self.ids['tx'])}", 200,
                    {"amount": f"{rng.randint(1, 500)}.00", "description": f"edited {n}"})
        elif op == "tx.delete" and self.ids["tx"]:
            tid = self.ids["tx"].pop(rng.randrange(len(self.ids["tx"])))
            self.do(op, "DELETE", f"/api/v1/finances/transactions/{tid}", 204)
        elif op == "reminder.create":
            doc = self.do(op, "POST", "/api/v1/reminders", 201, {
                "title": f"soak reminder {n}", "due_at": f"{day}T09:00:00Z",
                "priority": rng.choice(["low", "normal", "high"]),
            })
            if doc:
                self.ids["reminder"].append(doc["id"])
        elif op == "reminder.list":
            self.do(op, "GET", "/api/v1/reminders?limit=50", 200)
        elif op == "reminder.delete" and self.ids["reminder"]:
            rid = self.ids["reminder"].pop(rng.randrange(len(self.ids["reminder"])))
            self.do(op, "DELETE", f"/api/v1/reminders/{rid}", 204)
        elif op == "event.create":
            doc = self.do(op, "POST", "/api/v1/calendar/events", 201, {
                "title": f"soak event {n}", "starts_at": f"{day}T10:00:00Z",
                "ends_at": f"{day}T11:00:00Z",
            })
            if doc:
                self.ids["event"].append(doc["id"])
        elif op == "event.list":
            self.do(op, "GET",
                    "/api/v1/calendar/events?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z", 200)
        elif op == "event.delete" and self.ids["event"]:
            eid = self.ids["event"].pop(rng.randrange(len(self.ids["event"])))
            self.do(op, "DELETE", f"/api/v1/calendar/events/{eid}", 204)
        elif op == "summary":
            self.do(op, "GET", "/api/v1/finances/summary?month=2026-11", 200)
        elif op == "dashboard":
            self.do(op, "GET", "/api/v1/dashboard", 200)
        elif op == "refresh":
            doc = self.do(op, "POST", "/api/v1/auth/refresh", 200,
                          {"refresh_token": self.refresh}, auth=False)
            if doc:
                self.access, self.refresh = doc["access_token"], doc["refresh_token"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--users", type=int, default=8)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "my-agent"))
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    ap.add_argument("--sample-secs", type=float, default=5.0)
    ap.add_argument("--warmup-secs", type=float, default=30.0,
                    help="traffic before the reference RSS sample (capped at a quarter of the run)")
    ap.add_argument("--rss-growth-mib", type=float, default=64.0,
                    help="largest allowed RSS growth from after warm-up to the end")
    args = ap.parse_args()

    args.binary = os.path.abspath(args.binary)
    if not os.path.isfile(args.binary):
        raise SystemExit(f"{args.binary} not found: cargo build --release -p api first")
    url = args.database_url or fresh_database()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("APP__")}
    env.update({
        "DATABASE_URL": url, "PORT": str(port), "APP__SERVER__HOST": "127.0.0.1",
        "APP__AUTH__RATE_LIMIT_PER_MINUTE": "1000000", "APP__LOG__FORMAT": "json",
        "APP__LOG__FILTER": "warn",
    })
    env.pop("RUST_LOG", None)
    subprocess.run([args.binary, "migrate"], env=env, check=True, cwd=tempfile.gettempdir(),
                   stdout=subprocess.DEVNULL)
    log = tempfile.NamedTemporaryFile(prefix="my-agent-soak-", suffix=".log", delete=False)
    server = subprocess.Popen([args.binary, "serve"], env=env, stdout=log, stderr=log,
                              cwd=tempfile.gettempdir())
    try:
        return run(args, server, port, log.name)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def run(args, server, port, log_path):
    deadline = time.time() + 30
    while True:
        try:
            if Client(port).call("GET", "/health")[0] == 200:
                break
        except OSError:
            pass
        if server.poll() is not None or time.time() > deadline:
            raise SystemExit(f"server did not start; see {log_path}")
        time.sleep(0.1)
    rss_launch = rss_kib(server.pid)

    stats = Stats()
    users = [User(port, stats) for _ in range(args.users)]
    for user in users:
        user.register()

    duration = args.minutes * 60
    warmup = min(args.warmup_secs, duration / 4)
    stop = threading.Event()
    samples = []

    def sampler():
        while not stop.is_set():
            value = rss_kib(server.pid)
            if value is not None:
                samples.append((time.time(), value))
            stop.wait(args.sample_secs)

    def worker(user, seed):
        rng = random.Random(seed)
        while not stop.is_set():
            user.step(rng)

    started = time.time()
    threads = [threading.Thread(target=sampler, daemon=True)]
    threads += [threading.Thread(target=worker, args=(u, i), daemon=True) for i, u in enumerate(users)]
    for t in threads:
        t.start()
    time.sleep(warmup)
    rss_warm = rss_kib(server.pid)
    last_report = time.time()
    while time.time() - started < duration:
        time.sleep(1)
        if time.time() - last_report >= 60:
            last_report = time.time()
            print(f"  {int(time.time() - started)} s: {stats.requests} requests, "
                  f"{len(stats.errors)} errors, RSS {rss_kib(server.pid)} KiB", flush=True)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    elapsed = time.time() - started
    rss_end = rss_kib(server.pid)
    rss_max = max([v for _, v in samples] + [rss_end or 0])

    server.send_signal(signal.SIGTERM)
    try:
        exit_code = server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        exit_code = None

    all_latency = [v for values in stats.latency.values() for v in values]
    print(f"soak: {args.users} users, {elapsed:.0f} s, port {port}")
    print(f"requests: {stats.requests} ({stats.requests / elapsed:.1f}/s)")
    print(f"errors:   {len(stats.errors)}")
    for error in stats.errors[:10]:
        print(f"  {error}")
    print(f"latency:  p50 {pct(all_latency, 50):.1f} ms, p99 {pct(all_latency, 99):.1f} ms, "
          f"max {max(all_latency, default=0):.1f} ms")
    for op in sorted(stats.latency):
        values = stats.latency[op]
        print(f"  {op:<16} n={len(values):<7} p50 {pct(values, 50):7.1f} ms  p99 {pct(values, 99):7.1f} ms")
    growth_mib = ((rss_end or 0) - (rss_warm or 0)) / 1024
    print(f"RSS:      launch {rss_launch} KiB, after {warmup:.0f} s warm-up {rss_warm} KiB, "
          f"end {rss_end} KiB, max {rss_max} KiB (growth {growth_mib:+.1f} MiB, "
          f"bound {args.rss_growth_mib:.0f} MiB)")
    print(f"shutdown: exit status {exit_code} after SIGTERM")

    failed = False
    if stats.errors:
        print("FAIL: errors")
        failed = True
    if growth_mib > args.rss_growth_mib:
        print("FAIL: RSS grew beyond the bound")
        failed = True
    if exit_code != 0:
        print(f"FAIL: server exit status {exit_code}; log: {log_path}")
        failed = True
    if not failed:
        os.unlink(log_path)
        print("OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
