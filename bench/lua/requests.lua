-- wrk script: replays the requests of a file (one per line: METHOD<TAB>PATH<TAB>BODY) in
-- turn, with the headers given after `--`, and reports one JSON line when done.
local requests = {}
local i = 0

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

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
