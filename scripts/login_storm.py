#!/usr/bin/env python3
"""Login cost and its effect on other requests, against a running my-agent.

1. p50/p99 of one login at a time (the Argon2 parameters in force);
2. a storm of concurrent logins while /health is sampled every 10 ms:
   /health latency p50/p99/max during the storm.

Run the server with a high login rate limit, e.g.
  APP__AUTH__RATE_LIMIT_PER_MINUTE=1000000 my-agent serve
then: python3 scripts/login_storm.py [--base http://127.0.0.1:3333] [--storm 50]
Standard library only.
"""
import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse
import uuid

PASSWORD = "correct horse battery staple"


def request(base, method, path, body=None):
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
    data = json.dumps(body).encode() if body is not None else None
    headers = {"content-type": "application/json"} if data else {}
    started = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    res = conn.getresponse()
    res.read()
    conn.close()
    return res.status, (time.perf_counter() - started) * 1000


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:3333")
    ap.add_argument("--sequential", type=int, default=30)
    ap.add_argument("--storm", type=int, default=50)
    args = ap.parse_args()

    email = f"storm-{uuid.uuid4().hex}@example.com"
    status, _ = request(args.base, "POST", "/api/v1/auth/register", {"email": email, "password": PASSWORD})
    assert status == 201, status
    login = {"email": email, "password": PASSWORD}

    single = []
    for _ in range(args.sequential):
        status, ms = request(args.base, "POST", "/api/v1/auth/login", login)
        assert status == 200, status
        single.append(ms)
    print(f"login, one at a time ({args.sequential}): p50 {statistics.median(single):.1f} ms, p99 {pct(single, 99):.1f} ms")

    health, storm, stop = [], [], threading.Event()

    def sample():
        while not stop.is_set():
            _, ms = request(args.base, "GET", "/health")
            health.append(ms)
            time.sleep(0.01)

    def one_login():
        status, ms = request(args.base, "POST", "/api/v1/auth/login", login)
        storm.append((status, ms))

    baseline = []
    for _ in range(50):
        baseline.append(request(args.base, "GET", "/health")[1])
        time.sleep(0.01)
    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    workers = [threading.Thread(target=one_login) for _ in range(args.storm)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    ok = sum(1 for s, _ in storm if s == 200)
    times = [ms for _, ms in storm]
    print(f"storm: {args.storm} concurrent logins, {ok} ok, done in {elapsed:.2f} s "
          f"(login p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms)")
    print(f"/health before: p50 {statistics.median(baseline):.2f} ms, p99 {pct(baseline, 99):.2f} ms")
    print(f"/health during ({len(health)} samples): p50 {statistics.median(health):.2f} ms, "
          f"p99 {pct(health, 99):.2f} ms, max {max(health):.2f} ms")


if __name__ == "__main__":
    main()
