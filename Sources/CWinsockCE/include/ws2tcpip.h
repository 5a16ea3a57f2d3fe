/*
 * ws2tcpip.h for Windows CE code built on Linux with WinsockCE: the TCP-level option names with Winsock's
 * values. Written for this project. getaddrinfo/freeaddrinfo are not provided yet (see MIGRATION.md).
 */
#ifndef WINSOCKCE_WS2TCPIP_H
#define WINSOCKCE_WS2TCPIP_H

#include <winsock2.h>

#undef TCP_NODELAY
#define TCP_NODELAY 0x0001

#endif /* WINSOCKCE_WS2TCPIP_H */
