-- wrk script: POST /v1/inquiries with a unique email per request (no repeat-inquiry merging), so
-- every request opens a case and writes its outbox rows, as a real submission does.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tonumber(wrk.thread:get("thread_id")) or 0
  math.randomseed(os.time() + thread_id)
end

function request()
  counter = counter + 1
  local email = string.format("bench-%d-%d-%d-%d@example.com", os.time(), thread_id, counter,
                              math.random(1, 1000000000))
  local body = string.format(
    '{"fullName":"Bench Patient","email":"%s","condition":"stroke","mrsScore":3,' ..
    '"monthsSinceEvent":14,"destinationCountry":"JP","cellSource":"AUTOLOGOUS",' ..
    '"budgetUsdMax":40000,"message":"benchmark inquiry","contactConsent":true,' ..
    '"privacyPolicyVersion":"2026-01","utmSource":"bench"}', email)
  return wrk.format("POST", "/v1/inquiries", {["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f " ..
                         "non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
