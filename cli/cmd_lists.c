/* cmd_lists.c — TEMPORARY stub of the 'lists' verb (replaced by its implementation). */
#include "cli.h"

int cmd_lists(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "xcheck lists: not implemented yet\n");
    return 1;
}
