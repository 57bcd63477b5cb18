/* placeholder main; replaced by the CLI */
#include <stdio.h>
#include "xcheck.h"
int main(void) { printf("%s\n", xc_strerror(XC_OK)); return 0; }
