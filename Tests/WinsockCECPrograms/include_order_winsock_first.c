/* Compile-only check: the CE headers first, then the C library's, as most CE files are written. */
#include <winsock.h>
#include <sslsock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/select.h>
#include <time.h>

int include_order_winsock_first(void)
{
    fd_set set;
    FD_ZERO(&set);
    FD_SET((SOCKET)0x108, &set);
    FD_CLR((SOCKET)0x108, &set);
    return set.fd_count == 0 ? 0 : 1;
}
