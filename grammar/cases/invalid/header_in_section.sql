-- autogen:revision 3f9c2a71d0be
-- autogen:parents none
-- autogen:message stray header
-- autogen:created 2026-11-21T07:24:10Z
-- autogen:transaction per-revision

-- autogen:upgrade
CREATE TABLE t (id int);
-- autogen:downgrade
-- autogen:hazards deletes-data
DROP TABLE t;
