-- Shared by Vigil's wrk scripts (loaded with dofile from $BENCHKIT): numbers the threads,
-- and writes one JSON summary to $SUMMARY from wrk's own latency histogram and from each
-- thread's `ok`, `failed` and `first_error` globals, or from wrk's own counts.
local threads = {}
local counter = 0

function setup(thread)
    thread:set("id", counter)
    table.insert(threads, thread)
    counter = counter + 1
end

-- Counts one answer in the calling thread's globals.
function count(status, body)
    if status == 200 then
        ok = ok + 1
    else
        failed = failed + 1
        if first_error == "" then first_error = status .. " " .. string.sub(body, 1, 200) end
    end
end

-- Writes the JSON summary to $SUMMARY.
function write_summary(summary, latency, ok_total, failed_total, err)
    local f = assert(io.open(os.getenv("SUMMARY"), "w"))
    f:write(string.format(
        '{"duration_us":%d,"responses":%d,"ok":%d,"failed":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,'
        .. '"socket_errors":%d,"first_error":"%s"}\n',
        summary.duration, summary.requests, ok_total, failed_total, latency:percentile(50), latency:percentile(99),
        latency.max, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        (string.gsub(err, '[^%w %-%.:,{}%[%]_/=+]', "_"))))
    f:close()
end

-- The summary of a script that counts its answers with `count`.
function done(summary, latency, requests)
    local ok_total, failed_total, err = 0, 0, ""
    for _, thread in ipairs(threads) do
        ok_total = ok_total + thread:get("ok")
        failed_total = failed_total + thread:get("failed")
        if err == "" then err = thread:get("first_error") end
    end
    write_summary(summary, latency, ok_total, failed_total, err)
end
