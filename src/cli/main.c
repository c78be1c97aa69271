/* main.c - command dispatch (filled in by the CLI work). */
#include "autogen/catalog.h"
#include <stdio.h>
int
main(void)
{
    printf("autogen %s\n", AG_VERSION);
    return 0;
}
