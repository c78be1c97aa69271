-- autogen:revision 087a00fb751e
-- autogen:parents none
-- autogen:message baseline
-- autogen:created 2026-11-21T07:24:10Z
-- autogen:transaction per-revision

-- autogen:upgrade

-- autogen:downgrade
