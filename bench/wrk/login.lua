-- wrk script: logins of random seeded users (email from the token file,
-- the seed password). Environment: BENCH_TOKENS, BENCH_PASSWORD.

local emails = {}
local password = os.getenv("BENCH_PASSWORD")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    local email = line:match("^[^\t]+\t[^\t]+\t([^\t]+)\t")
    if email then emails[#emails + 1] = email end
  end
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  local body = string.format('{"email":"%s","password":"%s"}', emails[math.random(#emails)], password)
  return wrk.format("POST", "/api/v1/auth/login", { ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"errors":%d,"non_2xx":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
