-- autogen:revision 9a936fe407cf
-- autogen:parents 7ae700891f83
-- autogen:message happy by default
-- autogen:created 2026-11-21T07:29:00Z
-- autogen:transaction none
-- autogen:downgrade-transaction per-revision
-- autogen:hazards deletes-data

-- autogen:upgrade

ALTER TYPE public.mood ADD VALUE 'happy' AFTER 'meh';

ALTER TABLE public.person ALTER COLUMN m SET DEFAULT 'happy'::public.mood;

-- autogen:downgrade

ALTER TABLE public.person ALTER COLUMN m DROP DEFAULT;
