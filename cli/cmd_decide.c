/* cmd_decide.c — TEMPORARY stub of the 'decide' verb (replaced by its implementation). */
#include "cli.h"

int cmd_decide(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "xcheck decide: not implemented yet\n");
    return 1;
}
