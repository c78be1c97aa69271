-- autogen:revision 7ae700891f83
-- autogen:parents 087a00fb751e
-- autogen:message add phone field
-- autogen:created 2026-11-21T07:24:30Z
-- autogen:transaction per-revision

-- autogen:upgrade

ALTER TABLE public.users ADD COLUMN phone character varying(20);

-- autogen:downgrade

ALTER TABLE public.users DROP COLUMN phone;
