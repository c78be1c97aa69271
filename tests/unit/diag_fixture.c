/* diag_fixture.c - see diag_fixture.h. */
#include "diag_fixture.h"

#include <stdio.h>

const char *
diag_text(const ag_diag *d)
{
    static char out[4096];
    ag_buf b;
    ag_buf_init(&b);
    ag_diag_render(d, &b);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    ag_buf_free(&b);
    return out;
}
