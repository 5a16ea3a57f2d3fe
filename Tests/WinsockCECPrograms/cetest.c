/*
 * cetest.c - the C interface from C, built with cc and pkg-config by the Makefile beside it.
 *
 *   cetest PORT     connects to a TLS server on 127.0.0.1:PORT that answers "GET /" with an HTTP
 *                   response (the Makefile starts `openssl s_server -www`), with the handshake inside
 *                   connect, a hook that cracks the certificate, a select loop and closesocket.
 *
 * Prints one line per check and exits 0 when every check passed.
 */
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <sslsock.h>
#include <schnlsp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int include_order_stdlib_first(void);
extern int include_order_winsock_first(void);
extern int unicode_mode(void);

static int g_failures = 0;
static int g_hookCalls = 0;
static char g_subject[512];

#define CHECK(condition, what) do { \
    if (condition) printf("ok   %s\n", what); \
    else { printf("FAIL %s (WSAGetLastError %d: %s)\n", what, WSAGetLastError(), WinsockCE_GetLastErrorText()); g_failures++; } \
} while (0)

/* Not declared CALLBACK and taking void* / BLOB*, as some CE programs wrote their hooks. */
static int Hook(DWORD dwType, void *pvArg, DWORD dwChainLen, BLOB *pCertChain, DWORD dwFlags)
{
    X509Certificate *pCert = NULL;
    (void)dwFlags;
    g_hookCalls++;
    if (dwType != SSL_CERT_X509 || dwChainLen != 1 || pvArg != (void *)&g_hookCalls)
        return SSL_ERR_BAD_TYPE;
    if (!SslCrackCertificate(pCertChain->pBlobData, pCertChain->cbSize, 0, &pCert))
        return SSL_ERR_BAD_DATA;
    _snprintf(g_subject, sizeof(g_subject), "%s", pCert->pszSubject);
    SslFreeCertificate(pCert);
    return SSL_ERR_OKAY;
}

int main(int argc, char **argv)
{
    WSADATA data;
    SOCKET s;
    SOCKADDR_IN address;
    DWORD value = SO_SEC_SSL, returned = 0;
    SSLVALIDATECERTHOOK hook;
    fd_set readable;
    struct timeval timeout;
    char response[4096];
    int total = 0, received;

    if (argc != 2) {
        printf("usage: cetest PORT\n");
        return 64;
    }
    CHECK(include_order_stdlib_first() == 0 && include_order_winsock_first() == 0, "fd_set macros in both include orders");
    CHECK(unicode_mode() == 0, "UNICODE: LoadLibrary, GetProcAddress and MessageBox with TEXT() strings");
    CHECK(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) == INVALID_SOCKET && WSAGetLastError() == WSANOTINITIALISED,
          "socket before WSAStartup is WSANOTINITIALISED");
    CHECK(WSAStartup(MAKEWORD(2, 2), &data) == 0 && data.wVersion == MAKEWORD(2, 2), "WSAStartup 2.2");

    {
        struct addrinfo hints, *result = NULL;
        memset(&hints, 0, sizeof(hints));
        hints.ai_family = AF_INET;
        hints.ai_socktype = SOCK_STREAM;
        CHECK(getaddrinfo("127.0.0.1", argv[1], &hints, &result) == 0 && result != NULL
              && ((SOCKADDR_IN *)result->ai_addr)->sin_port == htons((u_short)atoi(argv[1])), "getaddrinfo");
        freeaddrinfo(result);
    }

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET && s != 0, "socket");
    CHECK(send((SOCKET)0x7777, "x", 1, 0) == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "unknown handle is WSAENOTSOCK");
    CHECK(setsockopt(s, SOL_SOCKET, SO_SECURE, (char *)&value, sizeof(value)) == 0, "SO_SECURE");
    hook.HookFunc = (SSLVALIDATECERTFUNC)Hook;
    hook.pvArg = &g_hookCalls;
    CHECK(WSAIoctl(s, SO_SSL_SET_VALIDATE_CERT_HOOK, &hook, sizeof(hook), NULL, 0, &returned, NULL, NULL) == 0,
          "SO_SSL_SET_VALIDATE_CERT_HOOK");

    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_port = htons((u_short)atoi(argv[1]));
    address.sin_addr.s_addr = inet_addr("127.0.0.1");
    CHECK(connect(s, (struct sockaddr *)&address, sizeof(address)) == 0, "connect with the handshake inside");
    CHECK(g_hookCalls == 1, "the hook ran once, inside connect");
    CHECK(strstr(g_subject, "CN=localhost") != NULL, "SslCrackCertificate gave the subject");
    printf("     subject: %s\n", g_subject);

    CHECK(send(s, "GET / HTTP/1.0\r\n\r\n", 18, 0) == 18, "send over TLS");
    for (;;) {
        FD_ZERO(&readable);
        FD_SET(s, &readable);
        timeout.tv_sec = 10;
        timeout.tv_usec = 0;
        if (select(0, &readable, NULL, NULL, &timeout) != 1 || !FD_ISSET(s, &readable)) break;
        received = recv(s, response + total, (int)sizeof(response) - 1 - total, 0);
        if (received <= 0) break;
        total += received;
        if (total >= (int)sizeof(response) - 1) break;
    }
    response[total] = 0;
    CHECK(strncmp(response, "HTTP/1.0 200 ok", 15) == 0, "select and recv read the server's answer");
    CHECK(closesocket(s) == 0, "closesocket");
    CHECK(closesocket(s) == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "a closed handle is WSAENOTSOCK");
    CHECK(WSACleanup() == 0, "WSACleanup");

    printf("%s: %d failure(s)\n", g_failures == 0 ? "passed" : "FAILED", g_failures);
    return g_failures == 0 ? 0 : 1;
}
