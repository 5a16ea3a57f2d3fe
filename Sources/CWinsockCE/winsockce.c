/*
 * The parts of the CE headers' implementation that are plain C: per-thread storage (the last error,
 * gethostbyname's hostent, inet_ntoa's buffer), WSAStartup, byte-level helpers, time, and the
 * LoadLibrary("schannel.dll") table. The sockets and the SSL provider are in the Swift half (WinsockCE).
 */
#include "winsockce_swift.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* glibc's own names, which the CE headers map to WinsockCE_ symbols. */
#undef inet_addr
#undef gethostname
extern in_addr_t inet_addr(const char *cp);
extern int gethostname(char *name, size_t len);
/* glibc's EAI_AGAIN, before ws2tcpip.h gave the name Winsock's value. */
#define EAI_AGAIN_GLIBC (-3)

/* MARK: Last error, per thread */

static _Thread_local int lastError;
static _Thread_local char lastErrorText[512];

void WinsockCE_setLastError(int code, const char *detail) {
    lastError = code;
    snprintf(lastErrorText, sizeof lastErrorText, "%s", detail ? detail : "");
}

int WinsockCE_WSAGetLastError(void) { return lastError; }
void WinsockCE_WSASetLastError(int iError) { WinsockCE_setLastError(iError, NULL); }
DWORD WinsockCE_GetLastError(void) { return (DWORD)lastError; }
void WinsockCE_SetLastError(DWORD dwErrCode) { WinsockCE_setLastError((int)dwErrCode, NULL); }
const char *WinsockCE_GetLastErrorText(void) { return lastErrorText; }

/* MARK: Startup */

static atomic_int startupCount;

int WinsockCE_isStarted(void) { return atomic_load(&startupCount) > 0; }

/* Versions 1.1 to 2.2 are accepted, as CE's Winsock 2.2 did; wVersion is the requested version capped at 2.2. */
int WinsockCE_WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) {
    BYTE major = LOBYTE(wVersionRequested), minor = HIBYTE(wVersionRequested);
    if (lpWSAData == NULL) {
        WinsockCE_setLastError(WSAEFAULT, "WSAStartup: lpWSAData is NULL");
        return WSAEFAULT;
    }
    if (major < 1 || (major == 1 && minor < 1)) {
        WinsockCE_setLastError(WSAVERNOTSUPPORTED, "WSAStartup: Winsock versions below 1.1 are not supported");
        return WSAVERNOTSUPPORTED;
    }
    memset(lpWSAData, 0, sizeof *lpWSAData);
    lpWSAData->wVersion = (major > 2 || (major == 2 && minor > 2)) ? MAKEWORD(2, 2) : wVersionRequested;
    lpWSAData->wHighVersion = MAKEWORD(2, 2);
    snprintf(lpWSAData->szDescription, sizeof lpWSAData->szDescription, "WinsockCE over WinsockSSL (OpenSSL)");
    snprintf(lpWSAData->szSystemStatus, sizeof lpWSAData->szSystemStatus, "Running");
    lpWSAData->iMaxSockets = 0xffff;
    lpWSAData->iMaxUdpDg = 0;
    atomic_fetch_add(&startupCount, 1);
    return 0;
}

int WinsockCE_WSACleanup(void) {
    int count = atomic_load(&startupCount);
    while (count > 0 && !atomic_compare_exchange_weak(&startupCount, &count, count - 1)) {}
    if (count <= 0) {
        WinsockCE_setLastError(WSANOTINITIALISED, "WSACleanup without a successful WSAStartup");
        return SOCKET_ERROR;
    }
    return 0;
}

/* MARK: fd_set */

int WinsockCE___WSAFDIsSet(SOCKET fd, fd_set *set) {
    if (set == NULL) return 0;
    u_int count = set->fd_count < FD_SETSIZE ? set->fd_count : FD_SETSIZE;
    for (u_int i = 0; i < count; i++) {
        if (set->fd_array[i] == fd) return 1;
    }
    return 0;
}

/* MARK: Names and addresses */

/* Implemented in Swift: the IPv4 addresses of name (HostsTable first, then the system resolver), at most
 * capacity of them in network byte order; returns the count, or sets the last error and returns -1. */
extern int WinsockCE_resolveIPv4(const char *name, uint32_t *addresses, int capacity);

enum { hostAddressCapacity = 16 };

struct HostEntryStorage {
    struct hostent entry;
    char name[256];
    char *aliases[1];
    uint32_t addresses[hostAddressCapacity];
    char *addressList[hostAddressCapacity + 1];
};

static _Thread_local struct HostEntryStorage hostStorage;

/* One hostent per thread, overwritten by the next call on the same thread, as Winsock documents. */
struct hostent *WinsockCE_gethostbyname(const char *name) {
    if (!WinsockCE_isStarted()) {
        WinsockCE_setLastError(WSANOTINITIALISED, "gethostbyname before WSAStartup");
        return NULL;
    }
    if (name == NULL) {
        WinsockCE_setLastError(WSAEFAULT, "gethostbyname: name is NULL");
        return NULL;
    }
    struct HostEntryStorage *storage = &hostStorage;
    int count = WinsockCE_resolveIPv4(name, storage->addresses, hostAddressCapacity);
    if (count <= 0) return NULL;
    snprintf(storage->name, sizeof storage->name, "%s", name);
    storage->aliases[0] = NULL;
    for (int i = 0; i < count; i++) storage->addressList[i] = (char *)&storage->addresses[i];
    storage->addressList[count] = NULL;
    storage->entry.h_name = storage->name;
    storage->entry.h_aliases = storage->aliases;
    storage->entry.h_addrtype = AF_INET;
    storage->entry.h_length = 4;
    storage->entry.h_addr_list = storage->addressList;
    return &storage->entry;
}

/* The system resolver's name for an IPv4 address (no HostsTable: it maps names to addresses only), in the
 * same per-thread hostent as gethostbyname. */
struct hostent *WinsockCE_gethostbyaddr(const char *addr, int len, int type) {
    if (!WinsockCE_isStarted()) {
        WinsockCE_setLastError(WSANOTINITIALISED, "gethostbyaddr before WSAStartup");
        return NULL;
    }
    if (addr == NULL || len < 4) {
        WinsockCE_setLastError(WSAEFAULT, "gethostbyaddr: addr is NULL or shorter than 4 bytes");
        return NULL;
    }
    if (type != AF_INET) {
        WinsockCE_setLastError(WSAEAFNOSUPPORT, "gethostbyaddr: only AF_INET addresses are supported");
        return NULL;
    }
    /* glibc's sockaddr_in, written byte by byte: the CE headers have renamed the C library's type. */
    struct sockaddr_storage query;
    memset(&query, 0, sizeof query);
    query.ss_family = AF_INET;
    memcpy((char *)&query + 4, addr, 4);
    struct HostEntryStorage *storage = &hostStorage;
    int status = getnameinfo((void *)&query, 16, storage->name, sizeof storage->name, NULL, 0, NI_NAMEREQD);
    if (status != 0) {
        WinsockCE_setLastError(status == EAI_AGAIN_GLIBC ? WSATRY_AGAIN : WSAHOST_NOT_FOUND, "gethostbyaddr: the address has no name");
        return NULL;
    }
    memcpy(&storage->addresses[0], addr, 4);
    storage->aliases[0] = NULL;
    storage->addressList[0] = (char *)&storage->addresses[0];
    storage->addressList[1] = NULL;
    storage->entry.h_name = storage->name;
    storage->entry.h_aliases = storage->aliases;
    storage->entry.h_addrtype = AF_INET;
    storage->entry.h_length = 4;
    storage->entry.h_addr_list = storage->addressList;
    return &storage->entry;
}

/* Dotted IPv4 text (the forms inet_aton takes) to a network-order address; INADDR_NONE for anything else. */
unsigned long WinsockCE_inet_addr(const char *cp) {
    if (cp == NULL) {
        WinsockCE_setLastError(WSAEFAULT, "inet_addr: cp is NULL");
        return INADDR_NONE;
    }
    return (unsigned long)(uint32_t)inet_addr(cp);
}

static _Thread_local char dottedText[16];

char *WinsockCE_inet_ntoa(struct in_addr in) {
    const u_char *bytes = (const u_char *)&in.S_un.S_addr;
    snprintf(dottedText, sizeof dottedText, "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
    return dottedText;
}

int WinsockCE_gethostname(char *name, int namelen) {
    if (name == NULL || namelen <= 0) {
        WinsockCE_setLastError(WSAEFAULT, "gethostname: no buffer");
        return SOCKET_ERROR;
    }
    char buffer[256];
    if (gethostname(buffer, sizeof buffer) != 0) {
        WinsockCE_setLastError(WSAENETDOWN, "gethostname: the system has no host name");
        return SOCKET_ERROR;
    }
    buffer[sizeof buffer - 1] = 0;
    if (strlen(buffer) + 1 > (size_t)namelen) {
        WinsockCE_setLastError(WSAEFAULT, "gethostname: the buffer is too small for the host name");
        return SOCKET_ERROR;
    }
    memcpy(name, buffer, strlen(buffer) + 1);
    return 0;
}

/* MARK: getaddrinfo */

static int addressInfoFailure(int code, const char *detail) {
    WinsockCE_setLastError(code, detail);
    return code;
}

int WinsockCE_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **result) {
    if (result == NULL) return addressInfoFailure(WSAEFAULT, "getaddrinfo: ppResult is NULL");
    *result = NULL;
    if (!WinsockCE_isStarted()) return addressInfoFailure(WSANOTINITIALISED, "getaddrinfo before WSAStartup");
    if (node == NULL && service == NULL) return addressInfoFailure(EAI_NONAME, "getaddrinfo: neither a node nor a service");
    int flags = hints ? hints->ai_flags : 0;
    int family = hints ? hints->ai_family : 0;
    int socktype = hints ? hints->ai_socktype : 0;
    int protocol = hints ? hints->ai_protocol : 0;
    if (family != 0 && family != AF_INET) return addressInfoFailure(EAI_FAMILY, "getaddrinfo: only AF_UNSPEC and AF_INET are supported");
    if ((socktype != 0 && socktype != SOCK_STREAM) || (protocol != 0 && protocol != IPPROTO_TCP))
        return addressInfoFailure(EAI_SOCKTYPE, "getaddrinfo: only TCP stream sockets are supported");

    u_short port = 0;
    if (service != NULL) {
        char *end = NULL;
        long number = strtol(service, &end, 10);
        if (*service != 0 && end != NULL && *end == 0 && number >= 0 && number <= 65535) {
            port = WinsockCE_htons((u_short)number);
        } else {
            struct servent *entry = getservbyname(service, "tcp");
            if (entry == NULL) return addressInfoFailure(EAI_SERVICE, "getaddrinfo: the service is not a port number or a known TCP service");
            port = (u_short)entry->s_port; /* already in network byte order */
        }
    }

    uint32_t addresses[hostAddressCapacity];
    int count;
    if (node == NULL) {
        addresses[0] = (flags & AI_PASSIVE) ? 0 : WinsockCE_htonl(0x7f000001u);
        count = 1;
    } else if (flags & AI_NUMERICHOST) {
        in_addr_t parsed = inet_addr(node);
        if (parsed == (in_addr_t)-1 && strcmp(node, "255.255.255.255") != 0)
            return addressInfoFailure(EAI_NONAME, "getaddrinfo: AI_NUMERICHOST with a name that is not an address");
        addresses[0] = parsed;
        count = 1;
    } else {
        count = WinsockCE_resolveIPv4(node, addresses, hostAddressCapacity);
        if (count <= 0) return WinsockCE_WSAGetLastError();
    }

    struct addrinfo *head = NULL, **tail = &head;
    for (int i = 0; i < count; i++) {
        size_t nameLength = (i == 0 && (flags & AI_CANONNAME) && node) ? strlen(node) + 1 : 0;
        struct addrinfo *entry = calloc(1, sizeof(struct addrinfo) + sizeof(struct sockaddr_in) + nameLength);
        if (entry == NULL) {
            WinsockCE_freeaddrinfo(head);
            return addressInfoFailure(EAI_MEMORY, "getaddrinfo: out of memory");
        }
        struct sockaddr_in *address = (struct sockaddr_in *)(entry + 1);
        address->sin_family = AF_INET;
        address->sin_port = port;
        address->sin_addr.S_un.S_addr = addresses[i];
        entry->ai_family = AF_INET;
        entry->ai_socktype = SOCK_STREAM;
        entry->ai_protocol = IPPROTO_TCP;
        entry->ai_addrlen = sizeof(struct sockaddr_in);
        entry->ai_addr = (struct sockaddr *)address;
        if (nameLength) {
            entry->ai_canonname = (char *)(address + 1);
            memcpy(entry->ai_canonname, node, nameLength);
        }
        *tail = entry;
        tail = &entry->ai_next;
    }
    *result = head;
    return 0;
}

void WinsockCE_freeaddrinfo(struct addrinfo *list) {
    while (list != NULL) {
        struct addrinfo *next = list->ai_next;
        free(list);
        list = next;
    }
}

/* MARK: Time */

/* 100-ns intervals between 1601-01-01 and 1970-01-01. */
static const int64_t fileTimeUnixEpoch = 116444736000000000LL;

static int64_t daysFromCivil(int64_t year, unsigned month, unsigned day) {
    year -= month <= 2;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const unsigned yearOfEra = (unsigned)(year - era * 400);
    const unsigned dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + (int64_t)dayOfEra - 719468;
}

static const unsigned char daysInMonth[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static int isLeapYear(unsigned year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

BOOL WinsockCE_SystemTimeToFileTime(const SYSTEMTIME *st, LPFILETIME ft) {
    if (st == NULL || ft == NULL) {
        WinsockCE_setLastError(ERROR_INVALID_PARAMETER, "SystemTimeToFileTime: NULL argument");
        return FALSE;
    }
    if (st->wYear < 1601 || st->wYear > 30827 || st->wMonth < 1 || st->wMonth > 12 || st->wDay < 1
        || st->wDay > daysInMonth[st->wMonth - 1] + (st->wMonth == 2 && isLeapYear(st->wYear))
        || st->wHour > 23 || st->wMinute > 59 || st->wSecond > 59 || st->wMilliseconds > 999) {
        WinsockCE_setLastError(ERROR_INVALID_PARAMETER, "SystemTimeToFileTime: the SYSTEMTIME is not a valid date and time");
        return FALSE;
    }
    int64_t seconds = daysFromCivil(st->wYear, st->wMonth, st->wDay) * 86400 + st->wHour * 3600 + st->wMinute * 60 + st->wSecond;
    uint64_t ticks = (uint64_t)(seconds * 10000000LL + st->wMilliseconds * 10000LL + fileTimeUnixEpoch);
    ft->dwLowDateTime = (DWORD)ticks;
    ft->dwHighDateTime = (DWORD)(ticks >> 32);
    return TRUE;
}

BOOL WinsockCE_FileTimeToSystemTime(const FILETIME *ft, LPSYSTEMTIME st) {
    if (st == NULL || ft == NULL) {
        WinsockCE_setLastError(ERROR_INVALID_PARAMETER, "FileTimeToSystemTime: NULL argument");
        return FALSE;
    }
    uint64_t ticks = ((uint64_t)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
    if (ticks >= 0x8000000000000000ULL) {
        WinsockCE_setLastError(ERROR_INVALID_PARAMETER, "FileTimeToSystemTime: the FILETIME is out of range");
        return FALSE;
    }
    int64_t sinceUnix = (int64_t)ticks - fileTimeUnixEpoch;
    int64_t seconds = sinceUnix >= 0 ? sinceUnix / 10000000 : -((-sinceUnix + 9999999) / 10000000);
    int64_t remainder = sinceUnix - seconds * 10000000;
    int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    int64_t secondOfDay = seconds - days * 86400;
    /* Civil date from days since 1970 (the inverse of daysFromCivil). */
    int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned dayOfEra = (unsigned)(z - era * 146097);
    const unsigned yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const unsigned mp = (5 * dayOfYear + 2) / 153;
    const unsigned day = dayOfYear - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    st->wYear = (WORD)(yearOfEra + era * 400 + (month <= 2));
    st->wMonth = (WORD)month;
    st->wDay = (WORD)day;
    st->wDayOfWeek = (WORD)(((days % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
    st->wHour = (WORD)(secondOfDay / 3600);
    st->wMinute = (WORD)(secondOfDay / 60 % 60);
    st->wSecond = (WORD)(secondOfDay % 60);
    st->wMilliseconds = (WORD)(remainder / 10000);
    return TRUE;
}

void WinsockCE_GetSystemTime(LPSYSTEMTIME st) {
    if (st == NULL) return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t ticks = (uint64_t)((int64_t)now.tv_sec * 10000000LL + now.tv_nsec / 100 + fileTimeUnixEpoch);
    FILETIME ft = {(DWORD)ticks, (DWORD)(ticks >> 32)};
    WinsockCE_FileTimeToSystemTime(&ft, st);
}

LONG WinsockCE_CompareFileTime(const FILETIME *a, const FILETIME *b) {
    if (a == NULL || b == NULL) return 0;
    uint64_t left = ((uint64_t)a->dwHighDateTime << 32) | a->dwLowDateTime;
    uint64_t right = ((uint64_t)b->dwHighDateTime << 32) | b->dwLowDateTime;
    return left < right ? -1 : left > right ? 1 : 0;
}

DWORD WinsockCE_GetTickCount(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (DWORD)((uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u);
}

void WinsockCE_Sleep(DWORD dwMilliseconds) {
    struct timespec wait = {(time_t)(dwMilliseconds / 1000), (long)(dwMilliseconds % 1000) * 1000000L};
    while (nanosleep(&wait, &wait) != 0 && errno == EINTR) {}
}

/* MARK: LoadLibrary("schannel.dll") */

/* The one module this library can "load": its address is the HMODULE. */
static const char schannelModule[] = "schannel.dll";

static int isSchannel(const char *path) {
    if (path == NULL) return 0;
    const char *base = path;
    for (const char *cursor = path; *cursor; cursor++) {
        if (*cursor == '\\' || *cursor == '/') base = cursor + 1;
    }
    return strcasecmp(base, "schannel.dll") == 0 || strcasecmp(base, "schannel") == 0;
}

/* UTF-16 to ASCII for the names these functions compare; non-ASCII becomes '?', which matches nothing. */
static void narrow(LPCWSTR wide, char *buffer, size_t capacity) {
    size_t i = 0;
    for (; wide && wide[i] && i + 1 < capacity; i++) buffer[i] = wide[i] < 0x80 ? (char)wide[i] : '?';
    buffer[i] = 0;
}

HMODULE WinsockCE_LoadLibraryA(LPCSTR lpLibFileName) {
    if (isSchannel(lpLibFileName)) return (HMODULE)schannelModule;
    WinsockCE_setLastError(ERROR_MOD_NOT_FOUND, "LoadLibrary: only schannel.dll is provided on Linux");
    return NULL;
}

HMODULE WinsockCE_LoadLibraryW(LPCWSTR lpLibFileName) {
    char name[MAX_PATH];
    narrow(lpLibFileName, name, sizeof name);
    return WinsockCE_LoadLibraryA(lpLibFileName ? name : NULL);
}

FARPROC WinsockCE_GetProcAddressA(HMODULE hModule, LPCSTR lpProcName) {
    if (hModule != (HMODULE)schannelModule) {
        WinsockCE_setLastError(ERROR_INVALID_HANDLE, "GetProcAddress: the module is not one LoadLibrary returned");
        return NULL;
    }
    if (lpProcName != NULL && (uintptr_t)lpProcName > 0xffff) {
        if (strcmp(lpProcName, "SslCrackCertificate") == 0) return (FARPROC)WinsockCE_SslCrackCertificate;
        if (strcmp(lpProcName, "SslFreeCertificate") == 0) return (FARPROC)WinsockCE_SslFreeCertificate;
    }
    WinsockCE_setLastError(ERROR_PROC_NOT_FOUND, "GetProcAddress: schannel.dll here exports only SslCrackCertificate and SslFreeCertificate");
    return NULL;
}

FARPROC WinsockCE_GetProcAddressW(HMODULE hModule, LPCWSTR lpProcName) {
    char name[128];
    narrow(lpProcName, name, sizeof name);
    return WinsockCE_GetProcAddressA(hModule, lpProcName ? name : NULL);
}

BOOL WinsockCE_FreeLibrary(HMODULE hLibModule) {
    if (hLibModule != (HMODULE)schannelModule) {
        WinsockCE_setLastError(ERROR_INVALID_HANDLE, "FreeLibrary: the module is not one LoadLibrary returned");
        return FALSE;
    }
    return TRUE;
}
