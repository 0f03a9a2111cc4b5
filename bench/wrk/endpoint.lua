-- wrk script: every request as a random seeded user (a random line of the
-- token file `my-agent seed --out` wrote). Environment:
--   BENCH_TOKENS  the token file (number, user id, email, token; tab-separated)
--   BENCH_PATH    the request path (with its query)
--   BENCH_METHOD  GET (default) or POST: POST sends a new expense as JSON
-- At the end it prints one line `BENCH_JSON {...}` with the figures.

local tokens = {}
local path = os.getenv("BENCH_PATH") or "/api/v1/finances/transactions?limit=50"
local method = os.getenv("BENCH_METHOD") or "GET"
local categories = { "Groceries", "Transport", "Restaurants", "Health", "Shopping" }
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    local token = line:match("([^\t]+)$")
    if token then tokens[#tokens + 1] = token end
  end
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  local headers = { ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)] }
  local body = nil
  if method == "POST" then
    headers["Content-Type"] = "application/json"
    body = string.format(
      '{"kind":"expense","amount":"%d.%02d","occurred_on":"%s","category":"%s","description":"wrk"}',
      math.random(1, 200), math.random(0, 99),
      os.date("!%Y-%m-%d", os.time() - 86400 * math.random(0, 27)),
      categories[math.random(#categories)])
  end
  return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"errors":%d,"non_2xx":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
