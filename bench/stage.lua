-- wrk script for GATES=pass bench/promote.sh: prepares, for every promote that bench/promote.lua will make
-- with the same BENCH_RUN and thread, what prod's policy asks for, so that promote passes every gate:
-- request 2i-1 pins digest i in staging (its own region), request 2i approves it for prod (another identity
-- than the promoter). After BENCH_STAGE requests per thread it only reads /livez.
-- thread_id is a global: wrk's thread:set() in setup() writes the thread's globals, which a local would shadow
-- (it did: every thread then sent the same digests, and half the promotes were unchanged no-ops)
local counter = 0
thread_id = 0
local templates = {"claude-code", "platform-agent", "hermes", "codex", "openclaw"}
local run = os.getenv("BENCH_RUN") or "0"
local limit = tonumber(os.getenv("BENCH_STAGE") or "4000")
local ci = os.getenv("BENCH_PROMOTE_TOKEN")
local approver = os.getenv("BENCH_APPROVE_TOKEN") or "none"
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end

function request()
  counter = counter + 1
  local i = math.floor((counter + 1) / 2)
  if i > limit then
    return wrk.format("GET", "/livez")
  end
  local template = templates[(i % #templates) + 1]
  local digest = string.format("sha256:%016x%016x%032x", tonumber(run), thread_id, i)
  local region = "r" .. thread_id .. "-" .. i
  if counter % 2 == 1 then
    return wrk.format("POST", "/api/v1/environments/staging/pins/" .. template .. "/promote",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. ci},
      '{"image_digest":"' .. digest .. '","git_sha":"19f3175","notes":"bench stage","region":"' .. region .. '"}')
  end
  return wrk.format("POST", "/api/v1/environments/prod/approvals",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. approver},
    '{"template":"' .. template .. '","digest":"' .. digest .. '","region":"' .. region .. '"}')
end
