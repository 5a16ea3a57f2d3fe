/*
 * winsock2.h for Windows CE code built on Linux with WinsockCE. Everything CE programs use from it is
 * in winsock.h (WSAIoctl included); this header adds the Winsock 2 version constant. Written for this project.
 */
#ifndef WINSOCKCE_WINSOCK2_H
#define WINSOCKCE_WINSOCK2_H
#define _WINSOCK2API_

#include <winsock.h>

#ifndef WINSOCK_VERSION
#define WINSOCK_VERSION MAKEWORD(2, 2)
#endif

#endif /* WINSOCKCE_WINSOCK2_H */
