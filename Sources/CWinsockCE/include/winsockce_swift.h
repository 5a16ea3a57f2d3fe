/*
 * What the Swift half of WinsockCE sees of the C half: the CE headers (for the structure layouts) and the
 * C functions it calls. Not for programs; they include the CE headers themselves.
 */
#ifndef WINSOCKCE_SWIFT_H
#define WINSOCKCE_SWIFT_H

#include "winsock2.h"
#include "ws2tcpip.h"
#include "sslsock.h"
#include "schnlsp.h"

/* Sets this thread's last error (WSAGetLastError and GetLastError) and the text WinsockCE_GetLastErrorText returns. */
void WinsockCE_setLastError(int code, const char *detail);
/* Nonzero between a successful WSAStartup and the matching WSACleanup. */
int WinsockCE_isStarted(void);

#endif
