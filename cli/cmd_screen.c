/* cmd_screen.c — TEMPORARY stub of the 'screen' verb (replaced by its implementation). */
#include "cli.h"

int cmd_screen(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "xcheck screen: not implemented yet\n");
    return 1;
}
