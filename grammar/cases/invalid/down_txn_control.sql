-- autogen:revision 9a936fe407cf
-- autogen:parents none
-- autogen:message upgrade without, downgrade with a transaction
-- autogen:created 2026-11-21T07:29:00Z
-- autogen:transaction none
-- autogen:downgrade-transaction per-revision

-- autogen:upgrade
BEGIN;
COMMIT;
-- autogen:downgrade
COMMIT;
