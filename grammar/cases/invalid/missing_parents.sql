-- autogen:revision 3f9c2a71d0be
-- autogen:message no parents line
-- autogen:created 2026-11-21T07:24:10Z
-- autogen:transaction per-revision

-- autogen:upgrade
-- autogen:downgrade
