/* cmd_match.c — TEMPORARY stub of the 'match' verb (replaced by its implementation). */
#include "cli.h"

int cmd_match(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "xcheck match: not implemented yet\n");
    return 1;
}
