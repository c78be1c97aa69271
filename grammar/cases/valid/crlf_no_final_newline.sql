-- autogen:revision aaaaaaaaaaaa
-- autogen:parents none
-- autogen:message crlf file
-- autogen:created 2026-11-21T07:24:10Z
-- autogen:transaction per-revision

-- autogen:upgrade
CREATE TABLE t (id int);
-- autogen:downgrade
DROP TABLE t;