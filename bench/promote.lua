-- wrk script for bench/promote.sh: every request promotes a NEW digest (so none is an "unchanged"
-- no-op) to one of the five runtime templates. Digests are distinct across wrk threads and runs.
-- thread_id is a global: wrk's thread:set() in setup() writes the thread's globals, which a local would shadow
-- (it did: every thread then sent the same digests, and half the promotes were unchanged no-ops)
local counter = 0
thread_id = 0
local templates = {"claude-code", "platform-agent", "hermes", "codex", "openclaw"}
local run = os.getenv("BENCH_RUN") or "0"
local override = os.getenv("BENCH_OVERRIDE") == "1"
local token = override and os.getenv("BENCH_ADMIN_TOKEN") or os.getenv("BENCH_PROMOTE_TOKEN")
local extra = override and ',"override":{"reason":"bench: every gate evaluated, then overridden"}' or ""
-- BENCH_REGIONS=1 (GATES=pass): every promote goes to a region of its own, r<thread>-<counter>, where
-- bench/stage.lua has already pinned the digest in staging and approved it for prod.
local regions = os.getenv("BENCH_REGIONS") == "1"
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end

function request()
  counter = counter + 1
  local template = templates[(counter % #templates) + 1]
  local digest = string.format("sha256:%016x%016x%032x", tonumber(run), thread_id, counter)
  return wrk.format("POST", "/api/v1/environments/prod/pins/" .. template .. "/promote",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
    '{"image_digest":"' .. digest .. '","git_sha":"19f3175","notes":"bench"' .. extra
      .. (regions and (',"region":"r' .. thread_id .. '-' .. counter .. '"') or '') .. '}')
end
