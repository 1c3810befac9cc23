-- bench/bench_load.py's traffic: reads of many pages, comments, likes and subscribes, counting
-- answers by class (wrk itself lumps 4xx and 5xx together as "non-2xx or 3xx").
-- Arguments after "--": the file of prepared requests, one "METHOD<TAB>PATH<TAB>BODY" a line.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  local origin = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port
  for line in io.lines(args[1]) do
    local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
    local headers = {}
    if method == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      headers["Origin"] = origin
    end
    table.insert(requests, wrk.format(method, path, headers, body ~= "" and body or nil))
  end
  fivexx, fourxx, ok = 0, 0, 0
  math.randomseed(os.time() + tonumber(tostring(requests):match("0x(%x+)") or "0", 16) % 1000)
end

function request()
  return requests[math.random(#requests)]
end

function response(status, headers, body)
  if status >= 500 then
    fivexx = fivexx + 1
  elseif status >= 400 then
    fourxx = fourxx + 1
  else
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local f, q, k = 0, 0, 0
  for _, t in ipairs(threads) do
    f = f + t:get("fivexx")
    q = q + t:get("fourxx")
    k = k + t:get("ok")
  end
  io.write(string.format("COUNTS 5xx=%d 4xx=%d ok=%d\n", f, q, k))
end
