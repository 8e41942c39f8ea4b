-- wrk script: replays the requests of a file (one per line: METHOD<TAB>PATH<TAB>BODY) in
-- turn, with the headers given after `--`, counts the answers by status, and reports one
-- JSON line when done. bench/run.py and bench/load.py both drive wrk with it.
-- A body holding the mark {{n}} is a template: with WRK_TAG set, each request sends it with
-- the mark replaced by the tag and a count of its own, so that every request posts claims
-- never posted before (the file is replayed from its start in every run).
local requests = {}
local templates = {}
local tag = os.getenv("WRK_TAG")
local sent = 0
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
    if tag and body and body:find("{{n}}", 1, true) then
      templates[#requests + 1] = {method, path, h, body}
      requests[#requests + 1] = false
    else
      requests[#requests + 1] = wrk.format(method, path, h, body)
    end
  end
  file:close()
end

function request()
  i = i % #requests + 1
  local t = templates[i]
  if t then
    sent = sent + 1
    local body = t[4]:gsub("{{n}}", tag .. "." .. sent)
    return wrk.format(t[1], t[2], t[3], body)
  end
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
