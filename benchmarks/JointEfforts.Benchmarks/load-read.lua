-- GET of the URL given to wrk (token from -H); only the report. See LoadBenchmark.cs.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "load-report.lua")
