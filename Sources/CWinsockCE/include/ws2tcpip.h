/*
 * ws2tcpip.h for Windows CE code built on Linux with WinsockCE: the TCP-level option names with Winsock's
 * values, and getaddrinfo/freeaddrinfo with Windows' addrinfo layout (ai_canonname before ai_addr).
 * Written for this project.
 */
#ifndef WINSOCKCE_WS2TCPIP_H
#define WINSOCKCE_WS2TCPIP_H

#include <winsock2.h>

#ifdef __cplusplus
extern "C" {
#endif

#undef TCP_NODELAY
#define TCP_NODELAY 0x0001

#define addrinfo WinsockCE_addrinfo
#define getaddrinfo WinsockCE_getaddrinfo
#define freeaddrinfo WinsockCE_freeaddrinfo

struct addrinfo {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    size_t ai_addrlen;
    char *ai_canonname;
    struct sockaddr *ai_addr;
    struct addrinfo *ai_next;
};
typedef struct addrinfo ADDRINFOA, *PADDRINFOA;

/* getaddrinfo's results are Winsock error numbers. */
#undef EAI_AGAIN
#undef EAI_BADFLAGS
#undef EAI_FAIL
#undef EAI_FAMILY
#undef EAI_MEMORY
#undef EAI_NONAME
#undef EAI_SERVICE
#undef EAI_SOCKTYPE
#undef EAI_NODATA
#define EAI_AGAIN WSATRY_AGAIN
#define EAI_BADFLAGS WSAEINVAL
#define EAI_FAIL WSANO_RECOVERY
#define EAI_FAMILY WSAEAFNOSUPPORT
#define EAI_MEMORY 8
#define EAI_NONAME WSAHOST_NOT_FOUND
#define EAI_SERVICE 10109
#define EAI_SOCKTYPE WSAESOCKTNOSUPPORT
#define EAI_NODATA EAI_NONAME

/* IPv4 stream addresses only (AF_UNSPEC or AF_INET; AF_INET6 fails with EAI_FAMILY). The host name goes
 * through the same resolver as gethostbyname (HostsTable first); the service is a port number or a
 * /etc/services name. Returns 0, or an EAI_* (Winsock) number, also left in WSAGetLastError. */
int WinsockCE_getaddrinfo(const char *pNodeName, const char *pServiceName, const struct addrinfo *pHints, struct addrinfo **ppResult);
void WinsockCE_freeaddrinfo(struct addrinfo *pAddrInfo);

#ifdef __cplusplus
}
#endif

#endif /* WINSOCKCE_WS2TCPIP_H */
