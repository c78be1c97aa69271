/*
 * diag_fixture.h - the loader unit suites' view of their diagnostics.
 */
#ifndef AUTOGEN_TEST_DIAG_FIXTURE_H
#define AUTOGEN_TEST_DIAG_FIXTURE_H

#include "autogen/base.h"

/* The diagnostics rendered as the CLI prints them, in a static buffer
 * (overwritten by the next call; "" when there are none). */
const char *diag_text(const ag_diag *d);

#endif
