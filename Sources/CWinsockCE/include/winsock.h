/*
 * winsock.h for Windows CE code built on Linux with WinsockCE: the Winsock names, values and layouts,
 * implemented over the WinsockSSL core. Written for this project.
 *
 * Winsock and the C library both define fd_set, FD_SET, select, socket, connect, send, recv, hostent and
 * more, with different types. Two rules keep them apart in either include order:
 *  1. This header first includes the glibc headers that declare those names (<sys/select.h>,
 *     <sys/socket.h>, <netinet/in.h>, <netdb.h>, <arpa/inet.h>, <unistd.h>, <sys/ioctl.h>). Their include
 *     guards make any later #include of them (for example <stdlib.h> -> <sys/types.h> -> <sys/select.h>)
 *     a no-op, and an earlier one has already happened: either way glibc's declarations are complete
 *     before ours begin.
 *  2. Every Winsock name is then a macro for a WinsockCE_-prefixed type or function, and glibc's macros
 *     that Winsock redefines (FD_SET..., SOL_SOCKET, SO_*, FIONBIO, AF_INET6...) are #undef'd first.
 *     So the program calls WinsockCE_connect, never libc's connect, and this library exports only
 *     WinsockCE_ symbols: OpenSSL, Foundation and the Swift runtime in the same process keep the real ones.
 * (Wine's winelib headers face the same clash; they refuse the late order and ask for winsock.h before
 * stdlib.h, or prefix everything with WS_ under USE_WS_PREFIX. Here the prefix is applied by the header,
 * so CE sources compile unchanged.)
 * A source that includes this header cannot also use the POSIX socket API by its plain names.
 */
#ifndef WINSOCKCE_WINSOCK_H
#define WINSOCKCE_WINSOCK_H
#define _WINSOCKAPI_

#include <windows.h>

#include <sys/types.h>
#include <sys/time.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Names glibc defined as macros with other values or meanings. */
#undef FD_SETSIZE
#undef FD_SET
#undef FD_CLR
#undef FD_ZERO
#undef FD_ISSET
#undef SOL_SOCKET
#undef SO_DEBUG
#undef SO_ACCEPTCONN
#undef SO_REUSEADDR
#undef SO_KEEPALIVE
#undef SO_DONTROUTE
#undef SO_BROADCAST
#undef SO_LINGER
#undef SO_OOBINLINE
#undef SO_SNDBUF
#undef SO_RCVBUF
#undef SO_SNDLOWAT
#undef SO_RCVLOWAT
#undef SO_SNDTIMEO
#undef SO_RCVTIMEO
#undef SO_ERROR
#undef SO_TYPE
#undef FIONBIO
#undef FIONREAD
#undef FIOASYNC
#undef SIOCATMARK
#undef AF_INET6
#undef PF_INET6
#undef MSG_OOB
#undef MSG_PEEK
#undef MSG_DONTROUTE
#undef h_addr
#undef s_addr
#undef s_net
#undef s_host
#undef s_lh
#undef s_impno
#undef s_imp
#undef INADDR_NONE
#undef SOMAXCONN
#undef IOC_VOID
#undef IOC_OUT
#undef IOC_IN
#undef IOC_INOUT
#undef IOCPARM_MASK
#undef TCP_NODELAY

/* Types, renamed so glibc's keep their names. */
#define fd_set WinsockCE_fd_set
#define in_addr WinsockCE_in_addr
#define sockaddr WinsockCE_sockaddr
#define sockaddr_in WinsockCE_sockaddr_in
#define hostent WinsockCE_hostent
#define linger WinsockCE_linger
#define u_char WinsockCE_u_char
#define u_short WinsockCE_u_short
#define u_int WinsockCE_u_int
#define u_long WinsockCE_u_long

typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
/* Windows' unsigned long is 32 bits. */
typedef uint32_t u_long;

/* A socket is an unsigned handle; 0 is never one. */
typedef UINT_PTR SOCKET;
#define INVALID_SOCKET ((SOCKET)(~0))
#define SOCKET_ERROR (-1)

#define FD_SETSIZE 64
typedef struct fd_set {
    u_int fd_count;
    SOCKET fd_array[FD_SETSIZE];
} fd_set;

int WinsockCE___WSAFDIsSet(SOCKET fd, fd_set *set);
#define __WSAFDIsSet WinsockCE___WSAFDIsSet

#define FD_CLR(fd, set) do { \
    u_int __winsockce_i; \
    for (__winsockce_i = 0; __winsockce_i < ((fd_set *)(set))->fd_count; __winsockce_i++) { \
        if (((fd_set *)(set))->fd_array[__winsockce_i] == (SOCKET)(fd)) { \
            while (__winsockce_i < ((fd_set *)(set))->fd_count - 1) { \
                ((fd_set *)(set))->fd_array[__winsockce_i] = ((fd_set *)(set))->fd_array[__winsockce_i + 1]; \
                __winsockce_i++; \
            } \
            ((fd_set *)(set))->fd_count--; \
            break; \
        } \
    } \
} while (0)

#define FD_SET(fd, set) do { \
    u_int __winsockce_i; \
    for (__winsockce_i = 0; __winsockce_i < ((fd_set *)(set))->fd_count; __winsockce_i++) { \
        if (((fd_set *)(set))->fd_array[__winsockce_i] == (SOCKET)(fd)) break; \
    } \
    if (__winsockce_i == ((fd_set *)(set))->fd_count && ((fd_set *)(set))->fd_count < FD_SETSIZE) { \
        ((fd_set *)(set))->fd_array[__winsockce_i] = (SOCKET)(fd); \
        ((fd_set *)(set))->fd_count++; \
    } \
} while (0)

#define FD_ZERO(set) (((fd_set *)(set))->fd_count = 0)
#define FD_ISSET(fd, set) __WSAFDIsSet((SOCKET)(fd), (fd_set *)(set))

/* struct timeval is glibc's: the same member names; its members are wider than CE's longs. */

struct in_addr {
    union {
        struct { u_char s_b1, s_b2, s_b3, s_b4; } S_un_b;
        struct { u_short s_w1, s_w2; } S_un_w;
        u_long S_addr;
    } S_un;
};
#define s_addr S_un.S_addr
#define s_host S_un.S_un_b.s_b2
#define s_net S_un.S_un_b.s_b1
#define s_imp S_un.S_un_w.s_w2
#define s_impno S_un.S_un_b.s_b4
#define s_lh S_un.S_un_b.s_b3

struct sockaddr {
    u_short sa_family;
    char sa_data[14];
};

struct sockaddr_in {
    short sin_family;
    u_short sin_port;
    struct in_addr sin_addr;
    char sin_zero[8];
};

typedef struct sockaddr SOCKADDR, *PSOCKADDR, *LPSOCKADDR;
typedef struct sockaddr_in SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;
typedef struct in_addr IN_ADDR, *PIN_ADDR, *LPIN_ADDR;

struct hostent {
    char *h_name;
    char **h_aliases;
    short h_addrtype;
    short h_length;
    char **h_addr_list;
};
#define h_addr h_addr_list[0]
typedef struct hostent HOSTENT, *PHOSTENT, *LPHOSTENT;

struct linger {
    u_short l_onoff;
    u_short l_linger;
};
typedef struct linger LINGER;
typedef struct timeval TIMEVAL;

#define WSADESCRIPTION_LEN 256
#define WSASYS_STATUS_LEN 128
typedef struct WSAData {
    WORD wVersion;
    WORD wHighVersion;
    char szDescription[WSADESCRIPTION_LEN + 1];
    char szSystemStatus[WSASYS_STATUS_LEN + 1];
    unsigned short iMaxSockets;
    unsigned short iMaxUdpDg;
    char *lpVendorInfo;
} WSADATA, *LPWSADATA;

/* Values with Winsock's numbers (the ones equal to Linux's are defined by glibc already). */
#define SOL_SOCKET 0xffff
#define SO_DEBUG 0x0001
#define SO_ACCEPTCONN 0x0002
#define SO_REUSEADDR 0x0004
#define SO_KEEPALIVE 0x0008
#define SO_DONTROUTE 0x0010
#define SO_BROADCAST 0x0020
#define SO_USELOOPBACK 0x0040
#define SO_LINGER 0x0080
#define SO_OOBINLINE 0x0100
#define SO_DONTLINGER ((int)(~SO_LINGER))
#define SO_SNDBUF 0x1001
#define SO_RCVBUF 0x1002
#define SO_SNDLOWAT 0x1003
#define SO_RCVLOWAT 0x1004
#define SO_SNDTIMEO 0x1005
#define SO_RCVTIMEO 0x1006
#define SO_ERROR 0x1007
#define SO_TYPE 0x1008
#define SO_SECURE 0x2001
#define SO_SEC_NONE 0x2002
#define SO_SEC_SSL 0x2004
#define AF_INET6 23
#define PF_INET6 AF_INET6
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define SD_RECEIVE 0
#define SD_SEND 1
#define SD_BOTH 2
#define INADDR_NONE 0xffffffffu
#define SOMAXCONN 5
#define TCP_NODELAY 0x0001

#define IOCPARM_MASK 0x7f
#define IOC_VOID 0x20000000u
#define IOC_OUT 0x40000000u
#define IOC_IN 0x80000000u
#define IOC_INOUT (IOC_IN | IOC_OUT)
#define _IO_WINSOCKCE(x, y) (IOC_VOID | ((x) << 8) | (y))
#define _IOR_WINSOCKCE(x, y, t) (IOC_OUT | (((u_int)sizeof(t) & IOCPARM_MASK) << 16) | ((x) << 8) | (y))
#define _IOW_WINSOCKCE(x, y, t) (IOC_IN | (((u_int)sizeof(t) & IOCPARM_MASK) << 16) | ((x) << 8) | (y))
#define FIONREAD 0x4004667Fu
#define FIONBIO 0x8004667Eu
#define FIOASYNC 0x8004667Du
#define SIOCATMARK 0x40047307u

/* Error numbers: WSAGetLastError() after a call returned SOCKET_ERROR, INVALID_SOCKET or NULL. */
#define WSABASEERR 10000
#define WSAEINTR 10004
#define WSAEBADF 10009
#define WSAEACCES 10013
#define WSAEFAULT 10014
#define WSAEINVAL 10022
#define WSAEMFILE 10024
#define WSAEWOULDBLOCK 10035
#define WSAEINPROGRESS 10036
#define WSAEALREADY 10037
#define WSAENOTSOCK 10038
#define WSAEDESTADDRREQ 10039
#define WSAEMSGSIZE 10040
#define WSAEPROTOTYPE 10041
#define WSAENOPROTOOPT 10042
#define WSAEPROTONOSUPPORT 10043
#define WSAESOCKTNOSUPPORT 10044
#define WSAEOPNOTSUPP 10045
#define WSAEPFNOSUPPORT 10046
#define WSAEAFNOSUPPORT 10047
#define WSAEADDRINUSE 10048
#define WSAEADDRNOTAVAIL 10049
#define WSAENETDOWN 10050
#define WSAENETUNREACH 10051
#define WSAENETRESET 10052
#define WSAECONNABORTED 10053
#define WSAECONNRESET 10054
#define WSAENOBUFS 10055
#define WSAEISCONN 10056
#define WSAENOTCONN 10057
#define WSAESHUTDOWN 10058
#define WSAETOOMANYREFS 10059
#define WSAETIMEDOUT 10060
#define WSAECONNREFUSED 10061
#define WSAELOOP 10062
#define WSAENAMETOOLONG 10063
#define WSAEHOSTDOWN 10064
#define WSAEHOSTUNREACH 10065
#define WSAENOTEMPTY 10066
#define WSAEPROCLIM 10067
#define WSAEUSERS 10068
#define WSAEDQUOT 10069
#define WSAESTALE 10070
#define WSAEREMOTE 10071
#define WSASYSNOTREADY 10091
#define WSAVERNOTSUPPORTED 10092
#define WSANOTINITIALISED 10093
#define WSAEDISCON 10101
#define WSAHOST_NOT_FOUND 11001
#define WSATRY_AGAIN 11002
#define WSANO_RECOVERY 11003
#define WSANO_DATA 11004
#define WSANO_ADDRESS WSANO_DATA

/* Functions: each Winsock name is a macro for its WinsockCE_ symbol. */
#define WSAStartup WinsockCE_WSAStartup
#define WSACleanup WinsockCE_WSACleanup
#define WSAGetLastError WinsockCE_WSAGetLastError
#define WSASetLastError WinsockCE_WSASetLastError
#define socket WinsockCE_socket
#define closesocket WinsockCE_closesocket
#define connect WinsockCE_connect
#define bind WinsockCE_bind
#define listen WinsockCE_listen
#define accept WinsockCE_accept
#define send WinsockCE_send
#define recv WinsockCE_recv
#define shutdown WinsockCE_shutdown
#define select WinsockCE_select
#define setsockopt WinsockCE_setsockopt
#define getsockopt WinsockCE_getsockopt
#define ioctlsocket WinsockCE_ioctlsocket
#define getsockname WinsockCE_getsockname
#define getpeername WinsockCE_getpeername
#define gethostbyname WinsockCE_gethostbyname
#define gethostbyaddr WinsockCE_gethostbyaddr
#define gethostname WinsockCE_gethostname
#define inet_addr WinsockCE_inet_addr
#define inet_ntoa WinsockCE_inet_ntoa
#define WSAIoctl WinsockCE_WSAIoctl

/* Project extension: the words that go with this thread's last error, such as
 * "SO_SSL_PERFORM_HANDSHAKE: the certificate hook returned SSL_ERR_CERT_UNKNOWN (10)"; "" when none. */
const char *WinsockCE_GetLastErrorText(void);

int WinsockCE_WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData);
int WinsockCE_WSACleanup(void);
int WinsockCE_WSAGetLastError(void);
void WinsockCE_WSASetLastError(int iError);
SOCKET WinsockCE_socket(int af, int type, int protocol);
int WinsockCE_closesocket(SOCKET s);
int WinsockCE_connect(SOCKET s, const struct sockaddr *name, int namelen);
int WinsockCE_bind(SOCKET s, const struct sockaddr *name, int namelen);
int WinsockCE_listen(SOCKET s, int backlog);
SOCKET WinsockCE_accept(SOCKET s, struct sockaddr *addr, int *addrlen);
int WinsockCE_send(SOCKET s, const char *buf, int len, int flags);
int WinsockCE_recv(SOCKET s, char *buf, int len, int flags);
int WinsockCE_shutdown(SOCKET s, int how);
int WinsockCE_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timeval *timeout);
int WinsockCE_setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen);
int WinsockCE_getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen);
int WinsockCE_ioctlsocket(SOCKET s, long cmd, u_long *argp);
int WinsockCE_getsockname(SOCKET s, struct sockaddr *name, int *namelen);
int WinsockCE_getpeername(SOCKET s, struct sockaddr *name, int *namelen);
struct hostent *WinsockCE_gethostbyname(const char *name);
struct hostent *WinsockCE_gethostbyaddr(const char *addr, int len, int type);
int WinsockCE_gethostname(char *name, int namelen);
unsigned long WinsockCE_inet_addr(const char *cp);
char *WinsockCE_inet_ntoa(struct in_addr in);

typedef struct _WSAOVERLAPPED *LPWSAOVERLAPPED;
typedef void (CALLBACK *LPWSAOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwError, DWORD cbTransferred, LPWSAOVERLAPPED lpOverlapped, DWORD dwFlags);
int WinsockCE_WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer, LPVOID lpvOutBuffer,
                       DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

/* Byte order: functions in Winsock, inline here. */
#undef htons
#undef htonl
#undef ntohs
#undef ntohl
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline u_short WinsockCE_htons(u_short value) { return (u_short)((value << 8) | (value >> 8)); }
static inline u_long WinsockCE_htonl(u_long value) { return __builtin_bswap32(value); }
#else
static inline u_short WinsockCE_htons(u_short value) { return value; }
static inline u_long WinsockCE_htonl(u_long value) { return value; }
#endif
#define htons WinsockCE_htons
#define ntohs WinsockCE_htons
#define htonl WinsockCE_htonl
#define ntohl WinsockCE_htonl

#ifdef __cplusplus
}
#endif

#endif /* WINSOCKCE_WINSOCK_H */
