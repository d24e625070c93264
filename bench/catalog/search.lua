-- wrk script: GET /v1/clinics with a rotating set of filter combinations (what the website sends),
-- plus the countries table. Prints one RESULT line for bench/catalog/run to parse.
local paths = {
  "/v1/clinics",
  "/v1/clinics?condition=stroke",
  "/v1/clinics?condition=stroke&country=JP",
  "/v1/clinics?condition=stroke&country=JP&cellSource=AUTOLOGOUS",
  "/v1/clinics?condition=stroke&country=JP&cellSource=ALLOGENEIC&route=INTRAVENOUS",
  "/v1/clinics?condition=stroke&maxPriceUsd=15000",
  "/v1/clinics?country=MX&maxPriceUsd=20000",
  "/v1/clinics?language=en&interpreter=true",
  "/v1/clinics?condition=crohns&route=INTRAVENOUS",
  "/v1/clinics?condition=stroke&country=TR&language=ru",
  "/v1/clinics?condition=spinal-cord-injury&route=INTRATHECAL&pageSize=50",
  "/v1/clinics?condition=stroke&country=US&interpreter=true&pageSize=10",
  "/v1/countries",
}
local i = 0

function init(args)
  i = math.random(#paths)
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d " ..
                         "socket_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
