-- autogen:revision 3f9c2a71d0be
-- autogen:parents 3f9c2a71d0be
-- autogen:message loop of one
-- autogen:created 2026-11-21T07:24:10Z
-- autogen:transaction per-revision

-- autogen:upgrade
-- autogen:downgrade
