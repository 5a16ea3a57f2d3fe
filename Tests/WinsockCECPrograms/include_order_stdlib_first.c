/* Compile-only check: glibc's <stdlib.h> (which brings in <sys/select.h> and its fd_set) before the CE
 * headers, in the spellings CE code uses. Built by the Makefile with -Werror. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <Windows.h>
#include <WinSock2.h>
#include <Ws2tcpip.h>
#include <SslSock.h>
#include <Schnlsp.h>

typedef char check_fd_setsize[FD_SETSIZE == 64 ? 1 : -1];
typedef char check_fd_set_layout[sizeof(fd_set) == sizeof(u_int) + 4 * (sizeof(SOCKET) == 8) + 64 * sizeof(SOCKET) ? 1 : -1];
typedef char check_dword[sizeof(DWORD) == 4 && sizeof(LONG) == 4 && sizeof(u_long) == 4 ? 1 : -1];
typedef char check_wchar[sizeof(WCHAR) == 2 ? 1 : -1];
typedef char check_sol_socket[SOL_SOCKET == 0xffff ? 1 : -1];
typedef char check_fionbio[FIONBIO == 0x8004667Eu ? 1 : -1];
typedef char check_sd_both[SD_BOTH == 2 ? 1 : -1];
typedef char check_invalid_socket[INVALID_SOCKET == (SOCKET)~(SOCKET)0 ? 1 : -1];
typedef char check_hook_code[SO_SSL_SET_VALIDATE_CERT_HOOK == 0x90730008u ? 1 : -1];
typedef char check_handshake_code[SO_SSL_PERFORM_HANDSHAKE == 0x1073000Du ? 1 : -1];
typedef char check_sockaddr_in[sizeof(SOCKADDR_IN) == 16 ? 1 : -1];
typedef char check_connection_info[sizeof(SSLCONNECTIONINFO) == 28 ? 1 : -1];
typedef char check_hook_struct[sizeof(SSLVALIDATECERTHOOK) == 2 * sizeof(void *) ? 1 : -1];

int include_order_stdlib_first(void)
{
    fd_set set;
    struct in_addr address;
    FD_ZERO(&set);
    FD_SET((SOCKET)0x104, &set);
    address.S_un.S_addr = inet_addr("127.0.0.1");
    return FD_ISSET((SOCKET)0x104, &set) && address.s_addr == htonl(0x7f000001) ? 0 : 1;
}
