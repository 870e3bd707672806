-- Shared by the load benchmark's wrk scripts: one machine-readable line for the harness (LoadBenchmark.cs).
-- wrk counts a status >= 400 as an error; scripts that check more (load-enrolments.lua: anything but 201) add
-- their own count through the threads they keep.
threads = {}

function setup(thread)
   table.insert(threads, thread)
end

local function thread_sum(name)
   local total = 0
   for _, thread in ipairs(threads) do
      total = total + (tonumber(thread:get(name)) or 0)
   end
   return total
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "JE-LOAD requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d unexpected=%d exhausted=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
      e.status, e.connect, e.read, e.write, e.timeout, thread_sum("unexpected"), thread_sum("exhausted")))
end
