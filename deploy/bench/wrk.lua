-- wrk script for deploy/bench/run. Configured from the environment:
--   BENCH_MODE      create | get | noop | keyget | verify | create_seq | gateway | authz
--                   (gateway: GET /orders/<n> to a gateway in front of an upstream, with a key in X-API-Key;
--                    authz: GET /api/v2/authz/orders/<n> to keyledger's check endpoint itself, the same way)
--   BENCH_TOKEN     bearer token (admin for create, member for get)
--   BENCH_ORG       org of the service accounts
--   BENCH_PREFIX    service-account name prefix; names are <prefix>00000 .. (create)
--   BENCH_ACCOUNTS  how many service accounts to spread creates over (create)
--   BENCH_KEYS_FILE lines of "<org> <service-account> <key-id>" to read (get, keyget)
--   BENCH_KEY_VALUES_FILE API key values, one a line (keyget: the Authorization; verify: the body)
--   BENCH_SEQ_FIRST / BENCH_SEQ_COUNT  (create_seq) accounts <prefix><first> .. <prefix><first+count-1>, each
--                   given exactly one create, split between the threads (BENCH_THREADS = wrk -t). A thread that
--                   has sent its share sends the no-op (200, one a second per connection) until its creates are
--                   answered, then stops. wrk itself
--                   always runs for -d, so the rate is timed here: created (201) over the time from the first
--                   create sent to the last 201 (CLOCK_MONOTONIC through LuaJIT's ffi); "exhausted":false means -d
--                   ended before the accounts did (the rate is still valid, over fewer accounts)
-- done() prints one line "BENCH_RESULT {json}" with throughput, p50/p90/p99/p99.9 and errors.

local mode = os.getenv("BENCH_MODE") or "noop"
local token = os.getenv("BENCH_TOKEN") or ""
local org = os.getenv("BENCH_ORG") or "bench"
local prefix = os.getenv("BENCH_PREFIX") or "bench-sa-"
local accounts = tonumber(os.getenv("BENCH_ACCOUNTS") or "64")
local keys_file = os.getenv("BENCH_KEYS_FILE")
local values_file = os.getenv("BENCH_KEY_VALUES_FILE")
local seq_first = tonumber(os.getenv("BENCH_SEQ_FIRST") or "0")
local seq_count = tonumber(os.getenv("BENCH_SEQ_COUNT") or "0")

local thread_count = 0
local threads = {}
function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  threads[#threads + 1] = thread
end

local headers = {}
local paths = {}
local values = {}
local key_headers = {}
local verify_bodies = {}
local create_body = '{"description":"bench"}'
-- globals (not local) so done() can read them with thread:get
seq_next, seq_step, seq_sent, seq_exhausted, seq_answered, seq_ok, seq_t_first, seq_t_last = 0, 1, 0, 0, 0, 0, 0, 0

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock_id, bench_timespec *tp);
]]
local timespec = ffi.new("bench_timespec")
local function now_s() -- CLOCK_MONOTONIC
  ffi.C.clock_gettime(1, timespec)
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) / 1e9
end

local function read_paths()
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

local function read_values()
  for line in io.lines(values_file) do
    if #line > 0 then
      values[#values + 1] = line
    end
  end
  if #values == 0 then
    error("no key values in " .. tostring(values_file))
  end
end

function init(args)
  math.randomseed(os.time() * 131 + (tid or 1) * 7919)
  headers["Authorization"] = "Bearer " .. token
  if mode == "create" or mode == "create_seq" or mode == "verify" then
    headers["Content-Type"] = "application/json"
  end
  if mode == "create_seq" then
    -- thread t of n takes accounts first + t - 1, first + t - 1 + n, ...: disjoint, together exactly seq_count
    seq_next = tid - 1
    seq_step = tonumber(os.getenv("BENCH_THREADS") or "1")
  elseif mode == "keyget" then
    read_paths()
    read_values()
    for i = 1, #values do
      key_headers[i] = { ["Authorization"] = "Bearer " .. values[i] }
    end
  elseif mode == "verify" then
    read_values()
    for i = 1, #values do
      verify_bodies[i] = '{"key":"' .. values[i] .. '"}'
    end
  elseif mode == "gateway" or mode == "authz" then
    read_values()
    for i = 1, #values do
      key_headers[i] = { ["X-API-Key"] = values[i] }
    end
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
  if mode == "create_seq" then
    if seq_next >= seq_count then
      seq_exhausted = 1
      return wrk.format("GET", "/api/v2/_noop", headers)
    end
    if seq_t_first == 0 then
      seq_t_first = now_s()
    end
    local path = string.format("/api/v2/service-accounts/%s/%s%05d/api-keys", org, prefix, seq_first + seq_next)
    seq_next = seq_next + seq_step
    seq_sent = seq_sent + 1
    return wrk.format("POST", path, headers, create_body)
  elseif mode == "keyget" then
    return wrk.format("GET", paths[math.random(1, #paths)], key_headers[math.random(1, #key_headers)])
  elseif mode == "verify" then
    return wrk.format("POST", "/api/v2/api-keys/verify", headers, verify_bodies[math.random(1, #verify_bodies)])
  elseif mode == "gateway" then
    return wrk.format("GET", "/orders/" .. math.random(1, 100000), key_headers[math.random(1, #key_headers)])
  elseif mode == "authz" then
    return wrk.format("GET", "/api/v2/authz/orders/" .. math.random(1, 100000), key_headers[math.random(1, #key_headers)])
  elseif mode == "create" then
    local path = string.format("/api/v2/service-accounts/%s/%s%05d/api-keys", org, prefix, math.random(0, accounts - 1))
    return wrk.format("POST", path, headers, create_body)
  elseif mode == "get" then
    return wrk.format("GET", paths[math.random(1, #paths)], headers)
  else
    return wrk.format("GET", "/api/v2/_noop", headers)
  end
end

if mode == "create_seq" then
  -- once a thread's share is sent, its connections wait a second between no-ops: the no-ops must not flood the
  -- latency histogram while the last creates are answered
  function delay()
    return seq_exhausted == 1 and 1000 or 0
  end

  function response(status, headers, body)
    if status ~= 200 then -- a create's answer (the no-op answers 200)
      seq_answered = seq_answered + 1
      if status == 201 then
        seq_ok = seq_ok + 1
        seq_t_last = now_s()
      end
    end
    if seq_exhausted == 1 and seq_answered >= seq_sent then
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local sent, exhausted, ok, first, last = 0, 0, 0, nil, nil
  for _, t in ipairs(threads) do
    sent = sent + (tonumber(t:get("seq_sent")) or 0)
    exhausted = math.max(exhausted, tonumber(t:get("seq_exhausted")) or 0)
    ok = ok + (tonumber(t:get("seq_ok")) or 0)
    local f, l = tonumber(t:get("seq_t_first")) or 0, tonumber(t:get("seq_t_last")) or 0
    if f > 0 and (first == nil or f < first) then first = f end
    if l > 0 and (last == nil or l > last) then last = l end
  end
  local count, rate = summary.requests, summary.requests / seconds
  if mode == "create_seq" then
    seconds = (first and last and last > first) and (last - first) or seconds
    count, rate = ok, ok / seconds
  end
  io.write(string.format(
    'BENCH_RESULT {"mode":"%s","creates_sent":%d,"exhausted":%s,"requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
    '"mean_ms":%.3f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f,' ..
    '"errors_status":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d}\n',
    mode, sent, exhausted == 1 and "true" or "false", count, seconds, rate,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
