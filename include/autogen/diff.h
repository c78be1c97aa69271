/*
 * diff.h - compare two catalogs and produce a migration plan.
 *
 * `from` is the current state (usually the live database), `to` the desired
 * one (usually the models).  The downgrade of a migration is the same call
 * with the arguments swapped, so every rule here is symmetric.  The result
 * is a list of typed ops (plan.h) in dependency order; nothing here writes
 * SQL, touches a database or prints.
 */
#ifndef AUTOGEN_DIFF_H
#define AUTOGEN_DIFF_H

#include "autogen/plan.h"

/*
 * Diff two sealed catalogs into *plan (initialised here; free it with
 * ag_plan_free, also after a failure).  The plan borrows from both
 * catalogs.  Returns 0, AG_EINVAL for an unsealed catalog, or AG_ECYCLE
 * (message naming every op of the cycle) when no order satisfies the
 * dependencies.
 */
int ag_diff(const ag_catalog *from, const ag_catalog *to, ag_plan *plan,
            ag_error *err);

#endif
