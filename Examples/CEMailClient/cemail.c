/*
 * cemail.c - a small Windows CE style SMTP client that upgrades its connection with STARTTLS through the
 * CE secure-socket provider. Written for WinsockSSL as an example of native CE code that compiles
 * unchanged on Linux with the WinsockCE headers:
 *
 *     cc cemail.c $(pkg-config --cflags --libs winsockce) -o cemail
 *
 * usage: cemail [HOST [PORT]] [--ehlo NAME] [--quit]
 *   HOST defaults to smtp.live.com, PORT to 587. With --quit the client ends the session over TLS with
 *   QUIT and waits for the 221 reply.
 *   --ehlo NAME greets the server with "EHLO NAME", as real CE mail clients did (most with the device's
 *   name from gethostname, some with a name the user configured). Without it the client sends a bare
 *   "EHLO", exactly as the 2009 blog transcript shows, which the blog's server accepted; RFC 5321 requires
 *   the name and servers such as Postfix refuse a bare EHLO with "501 Syntax: EHLO hostname". We take the
 *   name from the command line rather than gethostname, so that a run says what it sends and does not
 *   depend on the machine's name.
 *
 * What it does, in the order CE programs did it: WSAStartup, gethostbyname, socket, SO_SECURE, a
 * certificate hook that cracks the server certificate with schannel's SslCrackCertificate (loaded with
 * LoadLibrary) and checks its CN and dates, SSL_FLAG_DEFER_HANDSHAKE, connect, EHLO and STARTTLS in plain
 * text read through a select loop, SO_SSL_PERFORM_HANDSHAKE with no name, then send/recv over TLS, and
 * closesocket.
 */
#include <windows.h>
#include <winsock.h>
#include <sslsock.h>
#include <schnlsp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLY_TIMEOUT_SECONDS 10

static char g_buffer[4096];
static int g_buffered = 0;

/* The certificate hook: accepts only a certificate whose issuer is trusted, whose CN is the host the
 * program meant to reach (pvArg), and which is valid today. */
static int CALLBACK ValidateCert(DWORD dwType, LPVOID pvArg, DWORD dwChainLen, LPBLOB pCertChain, DWORD dwFlags)
{
    const char *host = (const char *)pvArg;
    SSL_CRACK_CERTIFICATE_FN pfnCrack;
    SSL_FREE_CERTIFICATE_FN pfnFree;
    HMODULE hSchannel;
    X509Certificate *pCert = NULL;
    SYSTEMTIME stNow;
    FILETIME ftNow;
    char *cn;
    int result = SSL_ERR_OKAY;

    if (dwType != SSL_CERT_X509 || dwChainLen != 1 || pCertChain == NULL)
        return SSL_ERR_BAD_TYPE;
    if (dwFlags & SSL_CERT_FLAG_ISSUER_UNKNOWN) {
        printf("hook: the issuer is not trusted\n");
        return SSL_ERR_CERT_UNKNOWN;
    }

    hSchannel = LoadLibrary(TEXT("schannel.dll"));
    if (hSchannel == NULL)
        return SSL_ERR_FAILED;
    pfnCrack = (SSL_CRACK_CERTIFICATE_FN)GetProcAddress(hSchannel, SSL_CRACK_CERTIFICATE_NAME);
    pfnFree = (SSL_FREE_CERTIFICATE_FN)GetProcAddress(hSchannel, SSL_FREE_CERTIFICATE_NAME);
    if (pfnCrack == NULL || pfnFree == NULL || !pfnCrack(pCertChain->pBlobData, pCertChain->cbSize, FALSE, &pCert)) {
        FreeLibrary(hSchannel);
        return SSL_ERR_BAD_DATA;
    }

    printf("hook: subject \"%s\"\n", pCert->pszSubject);
    printf("hook: issuer \"%s\"\n", pCert->pszIssuer);

    /* The CN is the last attribute of the subject; compare it without regard to case. */
    _strlwr(pCert->pszSubject);
    cn = strstr(pCert->pszSubject, "cn=");
    if (cn == NULL || _stricmp(cn + 3, host) != 0) {
        printf("hook: the certificate is not for %s\n", host);
        result = SSL_ERR_CERT_UNKNOWN;
    }

    GetSystemTime(&stNow);
    SystemTimeToFileTime(&stNow, &ftNow);
    if (CompareFileTime(&ftNow, &pCert->ValidFrom) < 0 || CompareFileTime(&ftNow, &pCert->ValidUntil) > 0) {
        printf("hook: the certificate is not valid today\n");
        result = SSL_ERR_CERT_EXPIRED;
    }

    pfnFree(pCert);
    FreeLibrary(hSchannel);
    return result;
}

/* Sends a command line and shows it. */
static BOOL SendLine(SOCKET s, const char *line)
{
    char text[512];
    int length = _snprintf(text, sizeof(text), "%s\r\n", line);
    printf("C: %s\n", line);
    if (send(s, text, length, 0) == SOCKET_ERROR) {
        printf("send failed: %d\n", WSAGetLastError());
        return FALSE;
    }
    return TRUE;
}

/* Reads one line (without CRLF) into line, waiting with select for at most REPLY_TIMEOUT_SECONDS. */
static BOOL ReadLine(SOCKET s, char *line, int size)
{
    for (;;) {
        char *end = NULL;
        int i;
        for (i = 0; i + 1 < g_buffered; i++) {
            if (g_buffer[i] == '\r' && g_buffer[i + 1] == '\n') { end = g_buffer + i; break; }
        }
        if (end != NULL) {
            int length = (int)(end - g_buffer);
            if (length >= size) length = size - 1;
            memcpy(line, g_buffer, length);
            line[length] = 0;
            g_buffered -= (int)(end - g_buffer) + 2;
            memmove(g_buffer, end + 2, g_buffered);
            printf("S: %s\n", line);
            return TRUE;
        }
        {
            fd_set readable;
            struct timeval timeout;
            int received;
            FD_ZERO(&readable);
            FD_SET(s, &readable);
            timeout.tv_sec = REPLY_TIMEOUT_SECONDS;
            timeout.tv_usec = 0;
            if (select(0, &readable, NULL, NULL, &timeout) <= 0 || !FD_ISSET(s, &readable)) {
                printf("no reply within %d seconds\n", REPLY_TIMEOUT_SECONDS);
                return FALSE;
            }
            received = recv(s, g_buffer + g_buffered, (int)sizeof(g_buffer) - g_buffered, 0);
            if (received == SOCKET_ERROR) {
                printf("recv failed: %d\n", WSAGetLastError());
                return FALSE;
            }
            if (received == 0) {
                printf("the server closed the connection\n");
                return FALSE;
            }
            g_buffered += received;
        }
    }
}

/* Reads an SMTP reply (the last line of a multi-line one) and checks its code. */
static BOOL ReadReply(SOCKET s, const char *code)
{
    char line[512];
    do {
        if (!ReadLine(s, line, sizeof(line)))
            return FALSE;
    } while (strlen(line) > 3 && line[3] == '-');
    return strncmp(line, code, 3) == 0;
}

int main(int argc, char **argv)
{
    const char *host = "smtp.live.com";
    unsigned short port = 587;
    const char *ehloName = NULL;
    char ehlo[300];
    BOOL quit = FALSE;
    WSADATA wsaData;
    struct hostent *entry;
    SOCKADDR_IN address;
    SOCKET s;
    DWORD dwValue, dwFlags, cbReturned;
    SSLVALIDATECERTHOOK hook;
    SSLCONNECTIONINFO info;
    int i, positional = 0, status = 1;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quit") == 0) quit = TRUE;
        else if (strcmp(argv[i], "--ehlo") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == 0 || strlen(argv[i + 1]) > 255 || strpbrk(argv[i + 1], " \r\n") != NULL) {
                printf("--ehlo needs a host name (up to 255 characters, no spaces)\n");
                return 2;
            }
            ehloName = argv[++i];
        }
        else if (positional++ == 0) host = argv[i];
        else port = (unsigned short)atoi(argv[i]);
    }
    if (ehloName != NULL) _snprintf(ehlo, sizeof(ehlo), "EHLO %s", ehloName);
    else strcpy(ehlo, "EHLO");

    if (WSAStartup(MAKEWORD(1, 1), &wsaData) != 0 || wsaData.wVersion != MAKEWORD(1, 1)) {
        printf("WSAStartup failed\n");
        return 1;
    }

    entry = gethostbyname(host);
    if (entry == NULL) {
        printf("cannot resolve %s: %d\n", host, WSAGetLastError());
        WSACleanup();
        return 1;
    }
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    memcpy(&address.sin_addr.S_un.S_addr, entry->h_addr_list[0], entry->h_length);
    printf("connecting to %s (%s) port %u\n", host, inet_ntoa(address.sin_addr), port);

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) {
        printf("socket failed: %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }

    dwValue = SO_SEC_SSL;
    hook.HookFunc = ValidateCert;
    hook.pvArg = (LPVOID)host;
    if (setsockopt(s, SOL_SOCKET, SO_SECURE, (const char *)&dwValue, sizeof(dwValue)) == SOCKET_ERROR
        || WSAIoctl(s, SO_SSL_SET_VALIDATE_CERT_HOOK, &hook, sizeof(hook), NULL, 0, NULL, NULL, NULL) == SOCKET_ERROR
        || WSAIoctl(s, SO_SSL_GET_FLAGS, NULL, 0, &dwFlags, sizeof(dwFlags), &cbReturned, NULL, NULL) == SOCKET_ERROR) {
        printf("secure socket set-up failed: %d\n", WSAGetLastError());
        goto done;
    }
    dwFlags |= SSL_FLAG_DEFER_HANDSHAKE;
    if (WSAIoctl(s, SO_SSL_SET_FLAGS, &dwFlags, sizeof(dwFlags), NULL, 0, NULL, NULL, NULL) == SOCKET_ERROR) {
        printf("SO_SSL_SET_FLAGS failed: %d\n", WSAGetLastError());
        goto done;
    }

    if (connect(s, (SOCKADDR *)&address, sizeof(address)) == SOCKET_ERROR) {
        printf("connect failed: %d\n", WSAGetLastError());
        goto done;
    }

    if (!ReadReply(s, "220") || !SendLine(s, ehlo) || !ReadReply(s, "250")
        || !SendLine(s, "STARTTLS") || !ReadReply(s, "220")) {
        printf("the server did not offer STARTTLS\n");
        goto done;
    }

    if (WSAIoctl(s, SO_SSL_PERFORM_HANDSHAKE, NULL, 0, NULL, 0, NULL, NULL, NULL) == SOCKET_ERROR) {
        printf("handshake failed: %d\n", WSAGetLastError());
        goto done;
    }
    if (WSAIoctl(s, SO_SSL_GET_CONNECTION_INFO, NULL, 0, &info, sizeof(info), &cbReturned, NULL, NULL) == 0) {
        printf("secure: protocol 0x%lx, cipher 0x%lx (%lu bits)\n", (unsigned long)info.dwProtocol,
               (unsigned long)info.aiCipher, (unsigned long)info.dwCipherStrength);
    }
    printf("success\n");
    status = 0;

    if (quit && (!SendLine(s, "QUIT") || !ReadReply(s, "221"))) {
        printf("QUIT was not answered\n");
        status = 1;
    }

done:
    closesocket(s);
    WSACleanup();
    return status;
}
