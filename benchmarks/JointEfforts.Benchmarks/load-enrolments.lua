-- POST /api/courses/{id}/enrolments { participantId } with a counter, so no (course, participant) pair repeats:
-- pair i is course i mod #courses and participant floor(i / #courses), i counted from the offset the harness gives
-- (the warm-up and the measured run use disjoint ranges). Any answer but 201 counts as unexpected.
-- wrk -t1 -c16 -d10s -s load-enrolments.lua -H "Authorization: Bearer ..." http://host:port -- <offset> <courses file> <participants file>
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "load-report.lua")

local courses, participants = {}, {}
local next_pair = 0
unexpected, exhausted = 0, 0

local function read_ids(path)
   local ids = {}
   for line in io.lines(path) do
      if line ~= "" then
         table.insert(ids, line)
      end
   end
   return ids
end

function init(args)
   next_pair = tonumber(args[1])
   courses = read_ids(args[2])
   participants = read_ids(args[3])
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   local i = next_pair
   next_pair = next_pair + 1
   local participant = participants[math.floor(i / #courses) + 1]
   if participant == nil then
      -- Out of pairs: the harness sized the participants too small. Repeat the last one (409s) and say so.
      exhausted = 1
      participant = participants[#participants]
   end
   local course = courses[(i % #courses) + 1]
   return wrk.format(nil, "/api/courses/" .. course .. "/enrolments", nil, '{"participantId":' .. participant .. '}')
end

function response(status, headers, body)
   if status ~= 201 then
      unexpected = unexpected + 1
   end
end
