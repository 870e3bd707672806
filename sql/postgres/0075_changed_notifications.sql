-- Every committed change to a table tells the API instances listening on je_changed, so that an instance that keeps
-- reads in memory (ReadCache) stops giving them: a write of another instance, or of psql, is seen as soon as the
-- notification is delivered. One statement-level trigger per table (a statement, not a row: a thousand-row import
-- notifies once), and PostgreSQL sends a transaction's identical notifications once, at commit; a transaction that
-- rolls back sends none. The payload is empty: nothing of what changed, least of all of an anonymous answer.
-- A table added by a later migration needs the same trigger (NotificationTests checks that every table has it).
CREATE FUNCTION je_notify_changed() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('je_changed', '');
    RETURN NULL;
END
$$;

DO
$$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND c.relname <> 'schema_migrations'
             ORDER BY c.relname
    LOOP
        EXECUTE format('CREATE TRIGGER je_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION je_notify_changed()', t.relname);
    END LOOP;
END
$$;
