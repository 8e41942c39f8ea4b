-- wrk script: replays the requests of a file (one per line: METHOD<TAB>PATH<TAB>BODY) in
-- turn, with the headers given after `--`, counts the answers by status, and reports one
-- JSON line when done. bench/run.py and bench/load.py both drive wrk with it.
local requests = {}
local i = 0
statuses = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local headers = {}
  for n = 2, #args do
    local name, value = args[n]:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  local file = assert(io.open(args[1]))
  for line in file:lines() do
    local method, path, body = line:match("^(%S+)\t([^\t]+)\t?(.*)$")
    local h = {}
    for k, v in pairs(headers) do h[k] = v end
    if body == "" then
      body = nil
    else
      h["Content-Type"] = "application/json"
    end
    requests[#requests + 1] = wrk.format(method, path, h, body)
  end
  file:close()
end

function request()
  i = i % #requests + 1
  return requests[i]
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, _)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for k, v in pairs(s) do counts[k] = (counts[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(counts) do parts[#parts + 1] = string.format('"%s": %d', k, v) end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "max_us": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, table.concat(parts, ", ")))
end
