-- wrk script for deploy/bench/run. Configured from the environment:
--   BENCH_MODE      create | get | noop
--   BENCH_TOKEN     bearer token (admin for create, member for get)
--   BENCH_ORG       org of the service accounts
--   BENCH_PREFIX    service-account name prefix; names are <prefix>00000 .. (create)
--   BENCH_ACCOUNTS  how many service accounts to spread creates over (create)
--   BENCH_KEYS_FILE lines of "<org> <service-account> <key-id>" to read (get)
-- done() prints one line "BENCH_RESULT {json}" with throughput, p50/p90/p99/p99.9 and errors.

local mode = os.getenv("BENCH_MODE") or "noop"
local token = os.getenv("BENCH_TOKEN") or ""
local org = os.getenv("BENCH_ORG") or "bench"
local prefix = os.getenv("BENCH_PREFIX") or "bench-sa-"
local accounts = tonumber(os.getenv("BENCH_ACCOUNTS") or "64")
local keys_file = os.getenv("BENCH_KEYS_FILE")

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

local headers = {}
local paths = {}
local create_body = '{"description":"bench"}'

function init(args)
  math.randomseed(os.time() * 131 + (tid or 1) * 7919)
  headers["Authorization"] = "Bearer " .. token
  if mode == "create" then
    headers["Content-Type"] = "application/json"
  elseif mode == "get" then
    for line in io.lines(keys_file) do
      local o, sa, id = line:match("^(%S+)%s+(%S+)%s+(%S+)$")
      if id then
        paths[#paths + 1] = "/api/v2/service-accounts/" .. o .. "/" .. sa .. "/api-keys/" .. id
      end
    end
    if #paths == 0 then
      error("no keys in " .. tostring(keys_file))
    end
  end
end

function request()
  if mode == "create" then
    local path = string.format("/api/v2/service-accounts/%s/%s%05d/api-keys", org, prefix, math.random(0, accounts - 1))
    return wrk.format("POST", path, headers, create_body)
  elseif mode == "get" then
    return wrk.format("GET", paths[math.random(1, #paths)], headers)
  else
    return wrk.format("GET", "/api/v2/_noop", headers)
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"mode":"%s","requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
    '"mean_ms":%.3f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f,' ..
    '"errors_status":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d}\n',
    mode, summary.requests, seconds, summary.requests / seconds,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
