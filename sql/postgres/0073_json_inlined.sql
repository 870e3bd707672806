-- je_json(), which every JSON-writing read on PostgreSQL calls once per value, declared STABLE instead of IMMUTABLE
-- (issue 27, the load benchmark). Its body calls to_json(), which is STABLE (dates and times follow the session's
-- settings); PostgreSQL does not inline an IMMUTABLE SQL function whose body is less than immutable, so each value
-- was a function call of its own: GET /api/projects/{id}/phases ran in 0.36 ms instead of 0.03 ms. STABLE is also what
-- the function truly is. Nothing depends on it being IMMUTABLE: no index, constraint or generated column uses it.
CREATE OR REPLACE FUNCTION je_json(value anyelement) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT COALESCE(to_json(value)::text, 'null') $$;
