-- wrk script: GETs the paths of $PATHS (one a line) round robin, for as long as wrk runs
-- (-d). Counts answers that are not 200 and writes a JSON summary to $SUMMARY.
dofile(os.getenv("BENCHKIT") .. "/common.lua")

function init(args)
    paths, next_path, ok, failed, first_error = {}, id, 0, 0, ""
    for line in io.lines(os.getenv("PATHS")) do
        table.insert(paths, wrk.format("GET", line))
    end
end

function request()
    next_path = next_path % #paths + 1
    return paths[next_path]
end

function response(status, headers, body)
    count(status, body)
end
