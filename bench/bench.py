#!/usr/bin/env python3
"""my-agent load benchmark (issue 9). Python 3 standard library only.

    bench.py run     seed a fresh database, drive every endpoint with wrk, run
                     pgbench on the same SQL (bench/sql), print one table
    bench.py scale   the list endpoint at 10^4, 10^6, 10^7 rows; page 1 vs
                     page 1,000 of a 100,000-row user
    bench.py login   p50 of one login; list p99 alone and with 8 clients logging in

Needs a release build (`make bench` builds it), PostgreSQL on BENCH_PG
(default postgres://postgres@127.0.0.1:5432, a superuser: it creates the
database), pgbench, and wrk (installed with apt-get when missing and root).
Settings (environment): BENCH_USERS (1000), BENCH_TX (1000), BENCH_DURATION
(10 s), BENCH_WARMUP (3 s), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
BENCH_PORT (3399), BENCH_DB (my_agent_bench), BENCH_REUSE=1 (keep a seeded
database), MY_AGENT_BIN, and any APP__* setting for the server.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "my_agent_bench")
USERS = int(os.environ.get("BENCH_USERS", "1000"))
TX = int(os.environ.get("BENCH_TX", "1000"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "3399"))
BASE = f"http://127.0.0.1:{PORT}"
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BIN = os.environ.get("MY_AGENT_BIN", os.path.join(TARGET, "release", "my-agent"))
SEED_PASSWORD = "seeded password, not a secret"


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def db_url(name=DB):
    return f"{PG}/{name}"


def psql(sql, name="postgres"):
    subprocess.run(["psql", "-qX", "-v", "ON_ERROR_STOP=1", db_url(name), "-c", sql],
                   check=True, stdout=subprocess.DEVNULL)


def need_tools():
    if not shutil.which("wrk"):
        if os.geteuid() != 0:
            sys.exit("wrk is missing: apt-get install wrk")
        log("installing wrk")
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, stdout=subprocess.DEVNULL)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update"], check=True, stdout=subprocess.DEVNULL)
            subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
    for tool in ("pgbench", "psql"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (PostgreSQL client tools)")
    if not os.access(BIN, os.X_OK):
        sys.exit(f"{BIN} not found: cargo build --release -p api --bin my-agent")


def app_env(name=DB, **extra):
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": db_url(name),
        "APP__ENVIRONMENT": "development",
        "APP__SERVER__PORT": str(PORT),
        # The login benchmark logs in far more often than the default 10/min allows.
        "APP__AUTH__RATE_LIMIT_PER_MINUTE": env.get("APP__AUTH__RATE_LIMIT_PER_MINUTE", "100000000"),
        "APP__LOG__FORMAT": env.get("APP__LOG__FORMAT", "json"),
    })
    env.update(extra)
    return env


def my_agent(*args, name=DB):
    subprocess.run([BIN, *args], check=True, env=app_env(name),
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def fresh_db(name):
    log(f"creating database {name}")
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    my_agent("migrate", name=name)


def seed(name, users, tx, first=1, out=None):
    out = out or os.path.join(OUT, f"tokens-{name}-{first}.tsv")
    started = time.monotonic()
    my_agent("seed", "--users", str(users), "--transactions-per-user", str(tx),
             "--first-user", str(first), "--out", out, name=name)
    seeded = time.monotonic() - started
    psql("VACUUM ANALYZE", name)
    log(f"seeded {users} users x {tx} transactions in {seeded:.1f} s (+ VACUUM ANALYZE)")
    return out, seeded


def db_is_seeded(name):
    r = subprocess.run(["psql", "-qAtX", db_url(name), "-c", "SELECT count(*) FROM auth.credentials"],
                       capture_output=True, text=True)
    return r.returncode == 0 and r.stdout.strip() not in ("", "0")


class Server:
    """The release binary serving the bench database."""

    def __init__(self, name=DB, **env):
        self.log_path = os.path.join(OUT, "server.log")
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([BIN, "serve"], env=app_env(name, **env),
                                     stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{BASE}/ready", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        self.stop()
        sys.exit(f"the server did not become ready; see {self.log_path}")

    def rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def wrk(path, tokens, method="GET", duration=DURATION, connections=CONNECTIONS, script="endpoint.lua",
        background=False):
    env = dict(os.environ, BENCH_TOKENS=tokens, BENCH_PATH=path, BENCH_METHOD=method,
               BENCH_PASSWORD=SEED_PASSWORD)
    cmd = ["wrk", "-t", str(min(THREADS, connections)), "-c", str(connections), "-d", f"{duration}s",
           "--timeout", "10s", "-s", os.path.join(HERE, "wrk", script), BASE + path]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if background:
        return proc
    return wrk_result(proc)


def wrk_result(proc):
    out, _ = proc.communicate()
    for line in out.splitlines():
        if line.startswith("BENCH_JSON "):
            r = json.loads(line[len("BENCH_JSON "):])
            r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
            return r
    raise RuntimeError(f"wrk failed:\n{out}")


def pgbench(sql_file, variables, name=DB, duration=DURATION):
    cmd = ["pgbench", "-n", "-M", "prepared", "-c", str(CONNECTIONS), "-j", str(THREADS),
           "-T", str(duration), "-f", os.path.join(HERE, "sql", sql_file)]
    for k, v in variables.items():
        cmd += ["-D", f"{k}={v}"]
    r = subprocess.run(cmd + [db_url(name)], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("tps = "):
            return float(line.split()[2])
    raise RuntimeError(f"pgbench {sql_file} failed:\n{r.stdout}\n{r.stderr}")


def periods():
    today = datetime.now(timezone.utc).date()
    month_from = today.replace(day=1)
    month_to = (month_from + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    monday = today - timedelta(days=today.weekday())
    week_from = f"{monday.isoformat()}T00:00:00Z"
    week_to = f"{(monday + timedelta(days=7)).isoformat()}T00:00:00Z"
    return month_from, month_to, week_from, week_to


def endpoints():
    month_from, month_to, week_from, week_to = periods()
    month = month_from.strftime("%Y-%m")
    return [
        ("transactions list (50)", "GET", "/api/v1/finances/transactions?limit=50", "list.sql"),
        ("create transaction", "POST", "/api/v1/finances/transactions", "create.sql"),
        ("month summary", "GET", f"/api/v1/finances/summary?month={month}", "summary.sql"),
        ("reminders list", "GET", "/api/v1/reminders", "reminders.sql"),
        ("calendar week", "GET", f"/api/v1/calendar/events?from={week_from}&to={week_to}", "calendar.sql"),
        ("dashboard", "GET", "/api/v1/dashboard", "dashboard.sql"),
    ], {"month_from": month_from.isoformat(), "month_to": month_to.isoformat(),
        "week_from": week_from, "week_to": week_to}


def ms(us):
    return f"{us / 1000:.2f}"


def prepare_main_db():
    tokens = os.path.join(OUT, f"tokens-{DB}-1.tsv")
    if os.environ.get("BENCH_REUSE") == "1" and db_is_seeded(DB) and os.path.exists(tokens):
        log(f"reusing the seeded database {DB}")
        return tokens, None
    fresh_db(DB)
    return seed(DB, USERS, TX)


def cmd_run():
    tokens, seeded = prepare_main_db()
    eps, variables = endpoints()
    variables["nusers"] = USERS
    server = Server()
    try:
        time.sleep(1)
        rss_idle = server.rss_mib()
        rows = []
        for label, method, path, sql in eps:
            log(f"{label}: warm-up {WARMUP} s, then {DURATION} s at {CONNECTIONS} connections")
            wrk(path, tokens, method, duration=WARMUP)
            api = wrk(path, tokens, method)
            rows.append((label, api, sql))
        rss_end = server.rss_mib()
    finally:
        server.stop()
    results = []
    for label, api, sql in rows:
        log(f"pgbench {sql}")
        tps = pgbench(sql, variables)
        results.append({"endpoint": label, "rps": api["rps"], "p50_ms": api["p50_us"] / 1000,
                        "p99_ms": api["p99_us"] / 1000, "errors": api["errors"] + api["non_2xx"],
                        "pgbench_tps": tps, "ratio": api["rps"] / tps})
    header = f"{'endpoint':<24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'pgbench TPS':>13}{'API/pgbench':>13}"
    print()
    print(f"my-agent bench: {USERS} users x {TX} transactions, wrk -c{CONNECTIONS} -t{THREADS} -d{DURATION}s, "
          f"pgbench -M prepared -c{CONNECTIONS} -T{DURATION}")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['endpoint']:<24}{r['rps']:>9.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['errors']:>8}"
              f"{r['pgbench_tps']:>13.0f}{r['ratio'] * 100:>12.0f}%")
    print(f"RSS idle {rss_idle:.1f} MiB, at the end {rss_end:.1f} MiB"
          + (f"; seed {seeded:.1f} s" if seeded else ""))
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump({"when": datetime.now(timezone.utc).isoformat(), "users": USERS, "tx": TX,
                   "rss_idle_mib": rss_idle, "rss_end_mib": rss_end, "seed_s": seeded,
                   "endpoints": results}, f, indent=2)


def get_json(path, token):
    req = urllib.request.Request(BASE + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def cursor_of_page(token, page, limit=50):
    cursor = None
    for _ in range(page - 1):
        path = f"/api/v1/finances/transactions?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        cursor = get_json(path, token)["next_cursor"]
    return cursor


def concat(files, target):
    with open(target, "w") as out:
        for name in files:
            with open(name) as f:
                out.write(f.read())
    return target


def cmd_scale():
    name = DB + "_scale"
    fresh_db(name)
    path = "/api/v1/finances/transactions?limit=50"
    steps = [(10, 1), (990, 11), (9000, 1001)]  # users added, first user: 10^4, 10^6, 10^7 rows
    files, rows, table = [], 0, []
    for users, first in steps:
        f, secs = seed(name, users, 1000, first)
        files.append(f)
        rows += users * 1000
        tokens = concat(files, os.path.join(OUT, f"tokens-{name}-all.tsv"))
        server = Server(name)
        try:
            wrk(path, tokens, duration=WARMUP)
            r = wrk(path, tokens)
        finally:
            server.stop()
        table.append((f"{rows:,} rows ({first + users - 1} users)", r, secs))
    big, secs = seed(name, 1, 100_000, 100_001)
    token = open(big).read().split("\t")[-1].strip()
    server = Server(name)
    try:
        cursor = cursor_of_page(token, 1000)
        for label, p in (("page 1 of a 100,000-row user", path),
                         ("page 1,000 of a 100,000-row user", f"{path}&cursor={cursor}")):
            wrk(p, big, duration=WARMUP)
            table.append((label, wrk(p, big), None))
    finally:
        server.stop()
    print()
    print(f"list endpoint scaling, wrk -c{CONNECTIONS} -d{DURATION}s")
    print(f"{'data set':<36}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'seed s':>9}")
    for label, r, secs in table:
        print(f"{label:<36}{r['rps']:>9.0f}{ms(r['p50_us']):>9}{ms(r['p99_us']):>9}"
              f"{r['errors'] + r['non_2xx']:>8}{(f'{secs:.1f}' if secs else '-'):>9}")


def cmd_login():
    tokens, _ = prepare_main_db() if not (db_is_seeded(DB) and os.path.exists(
        os.path.join(OUT, f"tokens-{DB}-1.tsv"))) else (os.path.join(OUT, f"tokens-{DB}-1.tsv"), None)
    path = "/api/v1/finances/transactions?limit=50"
    server = Server()
    try:
        email = open(tokens).readline().split("\t")[2]
        body = json.dumps({"email": email, "password": SEED_PASSWORD}).encode()
        times = []
        for _ in range(21):
            req = urllib.request.Request(BASE + "/api/v1/auth/login", data=body,
                                         headers={"Content-Type": "application/json"})
            t = time.monotonic()
            with urllib.request.urlopen(req, timeout=10) as r:
                r.read()
            times.append(time.monotonic() - t)
        login_p50 = statistics.median(times[1:]) * 1000
        wrk(path, tokens, duration=WARMUP)
        alone = wrk(path, tokens)
        logins = wrk("/api/v1/auth/login", tokens, "POST", duration=DURATION + 2, connections=8,
                     script="login.lua", background=True)
        time.sleep(1)
        loaded = wrk(path, tokens)
        login = wrk_result(logins)
    finally:
        server.stop()
    print()
    print(f"login: p50 of one login {login_p50:.1f} ms (Argon2id at the configured cost)")
    print(f"list p99 alone {ms(alone['p99_us'])} ms ({alone['rps']:.0f} req/s); with 8 clients logging in "
          f"{ms(loaded['p99_us'])} ms ({loaded['rps']:.0f} req/s): x{loaded['p99_us'] / alone['p99_us']:.2f}; "
          f"logins {login['rps']:.1f}/s, p50 {ms(login['p50_us'])} ms, errors {login['errors'] + login['non_2xx']}")


def main():
    os.makedirs(OUT, exist_ok=True)
    need_tools()
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    {"run": cmd_run, "scale": cmd_scale, "login": cmd_login}.get(command, lambda: sys.exit(__doc__))()


if __name__ == "__main__":
    main()
