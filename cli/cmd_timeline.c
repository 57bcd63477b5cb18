/* cmd_timeline.c — TEMPORARY stub of the 'timeline' verb (replaced by its implementation). */
#include "cli.h"

int cmd_timeline(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "xcheck timeline: not implemented yet\n");
    return 1;
}
