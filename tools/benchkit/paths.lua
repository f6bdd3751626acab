-- wrk script: GETs the paths of $PATHS (one a line) round robin, for as long as wrk runs
-- (-d), and writes a JSON summary to $SUMMARY. It defines no response(): with one, wrk hands
-- every answer's headers and body to Lua, on the cores the log under test runs on. Failures
-- are wrk's own count of answers with a status of 400 or more; the bench finds the first
-- failing path itself to show what it answered.
dofile(os.getenv("BENCHKIT") .. "/common.lua")

function init(args)
    paths, next_path = {}, id
    for line in io.lines(os.getenv("PATHS")) do
        table.insert(paths, wrk.format("GET", line))
    end
end

function request()
    next_path = next_path % #paths + 1
    return paths[next_path]
end

function done(summary, latency, requests)
    write_summary(summary, latency, summary.requests - summary.errors.status, summary.errors.status, "")
end
