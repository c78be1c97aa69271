/*
 * plan.c - the plan container and the names of op types and hazards.
 *
 * A plan owns an arena (notes, hazard reasons, per-op arrays) and the op
 * array; the objects the ops point at belong to the two catalogs.
 */
#include "autogen/plan.h"

#include <stdlib.h>
#include <string.h>

static const char *const hazard_names[] = {
#define X(id, name, desc) name,
    AG_HAZARDS(X)
#undef X
};
static const char *const hazard_descs[] = {
#define X(id, name, desc) desc,
    AG_HAZARDS(X)
#undef X
};
static const char *const op_names[] = {
#define X(id, name) name,
    AG_OPS(X)
#undef X
};
_Static_assert(sizeof op_names / sizeof op_names[0] == AG_OP_COUNT,
               "one name per op type");

const char *
ag_hazard_name(int idx)
{
    return idx >= 0 && idx < AG_NHAZARDS ? hazard_names[idx] : "unknown";
}

const char *
ag_hazard_desc(int idx)
{
    return idx >= 0 && idx < AG_NHAZARDS ? hazard_descs[idx] : "";
}

uint32_t
ag_hazard_parse(const char *name)
{
    for (int i = 0; i < AG_NHAZARDS; i++)
        if (strcmp(name, hazard_names[i]) == 0)
            return 1u << i;
    return 0;
}

const char *
ag_op_name(ag_op_type type)
{
    return (unsigned)type < AG_OP_COUNT ? op_names[type] : "unknown";
}

void
ag_plan_init(ag_plan *plan, const ag_catalog *from, const ag_catalog *to)
{
    memset(plan, 0, sizeof *plan);
    ag_arena_init(&plan->arena);
    plan->from = from;
    plan->to = to;
}

void
ag_plan_free(ag_plan *plan)
{
    free(plan->ops);
    ag_arena_destroy(&plan->arena);
    memset(plan, 0, sizeof *plan);
}

size_t
ag_plan_count(const ag_plan *plan)
{
    return plan->nops;
}

uint32_t
ag_plan_hazards(const ag_plan *plan)
{
    uint32_t h = 0;
    for (size_t i = 0; i < plan->nops; i++)
        h |= plan->ops[i].hazards;
    return h;
}
