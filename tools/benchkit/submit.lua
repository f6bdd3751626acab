-- wrk script: POSTs every body of $BODIES (one JSON object a line) once, then ends the run.
-- Thread k of $THREADS sends lines k, k+THREADS, ... ; $DELAY_MS (optional) is each
-- connection's pause between requests, for a paced run. Writes a JSON summary to $SUMMARY.
-- wrk itself runs for its whole -d duration, so once every answer is in, the thread sends
-- wrk (pid $WRK_PID) the SIGINT that ends it early, as Ctrl-C would; run one thread only.
dofile(os.getenv("BENCHKIT") .. "/common.lua")

function init(args)
    local path = os.getenv("SUBMIT_PATH") or "/ct/v1/add-chain"
    local total = tonumber(os.getenv("THREADS") or "1")
    requests, sent, ok, failed, first_error = {}, 0, 0, 0, ""
    local n = 0
    for line in io.lines(os.getenv("BODIES")) do
        if n % total == id then
            table.insert(requests, wrk.format("POST", path, {["Content-Type"] = "application/json"}, line))
        end
        n = n + 1
    end
    pause = tonumber(os.getenv("DELAY_MS") or "0")
    idle = wrk.format("GET", "/ct/v1/get-sth")
end

function request()
    -- wrk calls request() once before the run to check what it returns; that call sends nothing.
    if not checked then
        checked = true
        return requests[1]
    end
    sent = sent + 1
    if sent <= #requests then return requests[sent] end
    -- Every body is out: the connection asks for the tree head until the last answers are in.
    return idle
end

if tonumber(os.getenv("DELAY_MS") or "0") > 0 then
    function delay() return pause end
end

function response(status, headers, body)
    if ok + failed >= #requests or (status == 200 and string.find(body, '"tree_size"', 1, true)) then return end
    count(status, body)
    if ok + failed == #requests then
        -- Not os.execute: system() ignores SIGINT while its child runs. The signal may reach this
        -- thread rather than wrk's main one, which then sleeps on; a second one, once this thread
        -- has stopped, can only reach the main thread.
        local pid = os.getenv("WRK_PID")
        io.popen("(kill -INT " .. pid .. "; sleep 0.5; kill -INT " .. pid .. ") >/dev/null 2>&1 &"):close()
    end
end
