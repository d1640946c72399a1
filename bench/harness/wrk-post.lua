-- wrk script of bench/load: POSTs the body in the file $BENCH_BODY as $BENCH_CTYPE with the bearer key
-- $BENCH_KEY, and prints one RESULT line. It defines no response() hook on purpose: with one, wrk copies
-- every 1.4 MB body into Lua and becomes the bottleneck. wrk counts a request only when its answer is
-- complete; errors.status counts the answers with a status above 399 (bench/load checks first, with a few
-- calls of its own, that the status is 200 and the body whole).
local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("BENCH_CTYPE") or "application/json"
local key = os.getenv("BENCH_KEY")
if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT complete=%d status_errors=%d connect=%d read=%d write=%d timeout=%d duration_us=%d p50_us=%d p99_us=%d bytes=%d\n",
    summary.requests, e.status, e.connect, e.read, e.write, e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99), summary.bytes))
end
