-- autogen:revision 3f9c2a71d0be
-- autogen:parents none
-- autogen:message blank inside header
-- autogen:created 2026-11-21T07:24:10Z

-- just a comment
-- autogen:transaction per-revision
