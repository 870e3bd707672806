-- je_scrub_anonymous() (0071) locks every table it will lock before it changes anything: the six anonymous tables and
-- their foreign-key partners, all at once or none. 0071's version locked the partners only when it dropped the foreign
-- keys, while holding the six, and deadlocked there (40P01); the API worked around it by taking those locks itself before
-- calling the function (Database.PostgresScrubSql). The function now does it, so every caller is safe and the API calls
-- it alone. Everything else is 0071's function unchanged.
CREATE OR REPLACE FUNCTION je_scrub_anonymous() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS
$$
DECLARE
    scrubbed constant text[] := ARRAY['evaluation_codes', 'evaluation_code_uses', 'evaluation_responses', 'evaluation_answers',
                                      'idempotency_keys', 'report_course_evaluations'];   -- in the order they are refilled
    tables regclass[] := ARRAY(SELECT t::regclass FROM unnest(scrubbed) t);
    locked text;
    ddl record;
    redo text[] := '{}';
    t text;
    rewritten bigint := 0;
    n bigint;
    attempt integer;
BEGIN
    -- The API's write lock first (WriteQueue.PostgresWriteLockKey, "JEWRITE"; taken again at once when the caller holds it):
    -- no API writer is inside, and none can start. Then every table this function locks: the six, and the tables their
    -- foreign keys join them to (courses, the forms, ...), whose constraints are dropped and made again below, which takes
    -- ACCESS EXCLUSIVE on those too. All or none: a lock not free at once is not waited for while others are held (a
    -- reader of courses that then reads evaluation_responses, or a course inserted outside the write lock whose trigger
    -- writes report_course_evaluations, deadlocked with 0071's version, which locked the partners only later: 40P01); the
    -- attempt is undone and made again a little later, for up to about 8 s, after which the caller is told (55P03).
    PERFORM pg_advisory_xact_lock(20905389621597253);
    SELECT string_agg(DISTINCT r::text, ', ') INTO locked FROM (
        SELECT unnest(tables) AS r
        UNION SELECT conrelid FROM pg_constraint WHERE contype = 'f' AND (conrelid = ANY (tables) OR confrelid = ANY (tables))
        UNION SELECT confrelid FROM pg_constraint WHERE contype = 'f' AND (conrelid = ANY (tables) OR confrelid = ANY (tables))) x;
    FOR attempt IN 1..100 LOOP
        BEGIN
            EXECUTE 'LOCK TABLE ' || locked || ' IN ACCESS EXCLUSIVE MODE NOWAIT';
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            IF attempt = 100 THEN
                RAISE;
            END IF;
            PERFORM pg_sleep(0.05 + random() * 0.05);
        END;
    END LOOP;

    -- Foreign keys from or to these tables, and their indexes that back no constraint, are made again after the refill:
    -- one validating join and one sorted build each, instead of a check and an index insert per row (2.5 times faster).
    FOR ddl IN
        SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname) AS undo,
               format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) AS again
        FROM pg_constraint WHERE contype = 'f' AND (conrelid = ANY (tables) OR confrelid = ANY (tables))
        UNION ALL
        SELECT format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid)
        FROM pg_index i WHERE indrelid = ANY (tables) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    LOOP
        EXECUTE ddl.undo;
        redo := redo || ddl.again;
    END LOOP;

    FOREACH t IN ARRAY scrubbed LOOP
        EXECUTE format('CREATE TEMP TABLE %I ON COMMIT DROP AS SELECT * FROM %I', 'je_scrub_' || t, t);
        EXECUTE format('ALTER TABLE %I DISABLE TRIGGER USER', t);
    END LOOP;
    EXECUTE 'TRUNCATE ' || array_to_string(scrubbed, ', ');
    FOREACH t IN ARRAY scrubbed LOOP
        EXECUTE format('INSERT INTO %I SELECT * FROM %I ORDER BY random()', t, 'je_scrub_' || t);
        GET DIAGNOSTICS n = ROW_COUNT;
        rewritten := rewritten + n;
        EXECUTE format('ALTER TABLE %I ENABLE TRIGGER USER', t);
        EXECUTE format('DROP TABLE %I', 'je_scrub_' || t);
    END LOOP;

    -- Indexes first (the foreign keys' validation uses them), then the foreign keys.
    FOREACH t IN ARRAY (SELECT array_agg(r ORDER BY r LIKE 'ALTER%') FROM unnest(redo) r) LOOP
        EXECUTE t;
    END LOOP;
    RETURN rewritten;
END;
$$;
