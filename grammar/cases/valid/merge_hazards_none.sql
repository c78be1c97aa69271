-- autogen:message merge heads
-- autogen:revision 1a2b3c4d5e6f
-- autogen:created 2026-11-21T08:00:00Z
-- autogen:parents 3f9c2a71d0be, 7ae700891f83
-- autogen:transaction none
-- autogen:hazards index-build, deletes-data
-- Header keys may come in any order; comments may follow the header.

-- autogen:upgrade
-- hazard: index-build: builds an index on an existing table
CREATE INDEX CONCURRENTLY users_email_idx ON public.users (email);
DO $$ BEGIN PERFORM 1; END $$;  -- a semicolon inside dollar quotes
SELECT 'it''s; fine' AS "semi;colon";
-- autogen:downgrade
DROP INDEX CONCURRENTLY public.users_email_idx;
