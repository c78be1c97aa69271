/*
 * literals.h - server-canonical text of constant defaults in the models
 * (see src/introspect/literals.c for why).
 */
#ifndef AUTOGEN_LITERALS_H
#define AUTOGEN_LITERALS_H

#include <libpq-fe.h>

#include "autogen/catalog.h"

/* Rewrite the canon of every bare string-constant default of a built-in,
 * non-string column in `models` to the server's text for that value.
 * Adds the queries sent to *nqueries.  AG_EINVAL names a default that is
 * not a valid value of its column's type. */
int ag_introspect_canon_literals(PGconn *conn, ag_catalog *models,
                                 int *nqueries, ag_error *err);

#endif
