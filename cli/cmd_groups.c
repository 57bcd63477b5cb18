/* cmd_groups.c — TEMPORARY stub of the 'groups' verb (replaced by its implementation). */
#include "cli.h"

int cmd_groups(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "xcheck groups: not implemented yet\n");
    return 1;
}
