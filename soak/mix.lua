-- The soak's request mix (soak/run.sh), at a fixed rate: every connection waits `pace_ms`
-- between requests. Of every 20 requests: 8 GET a brand, 4 list sites, 3 list faults,
-- 2 POST a fault, 1 lists SLA reports, 1 GETs a stored report's PDF, 1 requests an SLA run.
-- Any non-2xx answer is counted and printed at the end (the soak requires none).
local token = os.getenv("SOAK_TOKEN")
local brand = os.getenv("SOAK_BRAND")
local sites = {}  -- where the load's faults go: not the reported site (soak/run.sh)
for id in string.gmatch(os.getenv("SOAK_SITES"), "[^,]+") do table.insert(sites, id) end
local schedule = os.getenv("SOAK_SCHEDULE")
local report = os.getenv("SOAK_REPORT")
local pace_ms = tonumber(os.getenv("SOAK_PACE_MS") or "50")
local mix = {"brand", "brand", "brand", "brand", "brand", "brand", "brand", "brand",
             "sites", "sites", "sites", "sites", "faults", "faults", "faults",
             "fault", "fault", "reports", "pdf", "run"}
local n = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)  -- keys must differ between threads, not only within one
end

function init(args)
  bad = 0
  last_bad = ""
  seq = math.random(1, 1000000000)
end

function delay()
  return pace_ms
end

function request()
  n = n + 1
  seq = seq + 1
  local kind = mix[(n % #mix) + 1]
  local headers = {["Authorization"] = "Bearer " .. token}
  if kind == "brand" then
    return wrk.format("GET", "/v1/brands/" .. brand, headers)
  elseif kind == "sites" then
    return wrk.format("GET", "/sites?limit=20", headers)
  elseif kind == "faults" then
    return wrk.format("GET", "/faults?limit=20", headers)
  elseif kind == "fault" then
    headers["Content-Type"] = "application/json"
    local day = 1 + seq % 27
    local body = string.format(
      '{"resource_id":"%s","type":"site","severity":"LOW","created_at":"2026-10-%02dT0%d:00:00Z",' ..
      '"resolved_at":"2026-10-%02dT0%d:30:00Z"}', sites[(seq % #sites) + 1], day, seq % 9, day,
      seq % 9)
    return wrk.format("POST", "/faults", headers, body)
  elseif kind == "reports" then
    return wrk.format("GET", "/reports/sla/reports?limit=10", headers)
  elseif kind == "pdf" then
    return wrk.format("GET", "/reports/sla/reports/" .. report .. "/pdf", headers)
  else
    headers["Content-Type"] = "application/json"
    headers["Idempotency-Key"] = "soak-" .. thread_id .. "-" .. seq
    return wrk.format("POST", "/reports/sla/schedules/" .. schedule .. "/run", headers,
                      '{"from_date":"2026-10-01","to_date":"2026-10-31"}')
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    last_bad = status .. " " .. string.sub(body or "", 1, 300)
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do
    bad_total = bad_total + t:get("bad")
    if t:get("last_bad") ~= "" then io.write("SOAK last non-2xx: " .. t:get("last_bad") .. "\n") end
  end
  local e = summary.errors
  io.write(string.format("SOAK requests=%d non2xx=%d socket_errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, bad_total, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
