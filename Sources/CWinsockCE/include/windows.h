/*
 * windows.h for Windows CE code built on Linux with WinsockCE.
 *
 * The Win32 base types with their Windows widths (DWORD and LONG are 32 bits, as on CE), the calling-
 * convention words (empty here), TCHAR, FILETIME/SYSTEMTIME, the last-error functions, and the few Win32
 * and CRT calls that CE secure-socket programs make around their sockets. Written for this project.
 *
 * TCHAR: CE built programs with UNICODE and a 16-bit WCHAR. Linux's wchar_t is 32 bits, so WCHAR here is
 * a 16-bit unsigned integer (UTF-16, as on CE) and never wchar_t. Without UNICODE, TCHAR is char and
 * TEXT("x") is "x" (the usual way to build CE sources here: the socket and SSL APIs are narrow anyway).
 * With UNICODE defined before this header, TCHAR is WCHAR and TEXT("x") is the C11/C++11 literal u"x";
 * L"x" literals are 32-bit and are not WCHAR strings on Linux.
 */
#ifndef WINSOCKCE_WINDOWS_H
#define WINSOCKCE_WINDOWS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include <stdarg.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Calling conventions and pointer qualifiers: one convention on Linux. */
#define WINAPI
#define CALLBACK
#define APIENTRY
#define PASCAL
#define FAR
#define NEAR
#define WINBASEAPI
#define WSAAPI
#ifndef __stdcall
#define __stdcall
#endif
#ifndef __cdecl
#define __cdecl
#endif
#ifndef CONST
#define CONST const
#endif
#ifndef VOID
#define VOID void
#endif
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif

/* Base types with Windows widths. */
typedef uint8_t BYTE, UCHAR, *PBYTE, *LPBYTE, *PUCHAR;
typedef uint16_t WORD, USHORT, *PWORD, *LPWORD;
typedef int16_t SHORT;
typedef uint32_t DWORD, ULONG, *PDWORD, *LPDWORD, *PULONG;
typedef int32_t LONG, *PLONG, *LPLONG;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG, DWORD64;
typedef int INT, BOOL, *PBOOL, *LPBOOL;
typedef unsigned int UINT;
typedef uint8_t BOOLEAN;
typedef char CHAR, *PSTR, *LPSTR, *PCHAR;
typedef const char *PCSTR, *LPCSTR;
typedef uint16_t WCHAR, *PWSTR, *LPWSTR, *PWCHAR;
typedef const uint16_t *PCWSTR, *LPCWSTR;
typedef void *PVOID, *LPVOID, *HANDLE, *HMODULE, *HINSTANCE, *HWND, *HLOCAL;
typedef const void *LPCVOID;
typedef intptr_t INT_PTR, LONG_PTR;
typedef uintptr_t UINT_PTR, ULONG_PTR, DWORD_PTR;
typedef size_t SIZE_T;
typedef LONG HRESULT;
typedef unsigned int ALG_ID;
/* Windows declares FARPROC as returning INT_PTR; programs only cast it to the real type. void (*)(void) is
 * the type GCC and Clang accept in such casts without -Wcast-function-type warnings. */
typedef void (WINAPI *FARPROC)(void);

#ifdef UNICODE
typedef WCHAR TCHAR, *LPTSTR, *PTSTR;
typedef const WCHAR *LPCTSTR, *PCTSTR;
#define __TEXT(quote) u##quote
#else
typedef char TCHAR, *LPTSTR, *PTSTR;
typedef const char *LPCTSTR, *PCTSTR;
#define __TEXT(quote) quote
#endif
#define TEXT(quote) __TEXT(quote)
#ifndef _T
#define _T(quote) __TEXT(quote)
#endif
#ifndef _TEXT
#define _TEXT(quote) __TEXT(quote)
#endif

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)
#define INFINITE 0xFFFFFFFFu
#define MAX_PATH 260

#define MAKEWORD(low, high) ((WORD)(((BYTE)(low)) | ((WORD)((BYTE)(high))) << 8))
#define MAKELONG(low, high) ((LONG)(((WORD)(low)) | ((DWORD)((WORD)(high))) << 16))
#define LOWORD(l) ((WORD)((DWORD_PTR)(l) & 0xffff))
#define HIWORD(l) ((WORD)((DWORD_PTR)(l) >> 16))
#define LOBYTE(w) ((BYTE)((DWORD_PTR)(w) & 0xff))
#define HIBYTE(w) ((BYTE)((DWORD_PTR)(w) >> 8))

/* BLOB (wtypes.h): what the certificate hook receives. */
typedef struct _BLOB {
    ULONG cbSize;
    BYTE *pBlobData;
} BLOB, *LPBLOB, *PBLOB;

/* Time: 100-nanosecond intervals since 1601-01-01 UTC, split in two DWORDs. */
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

typedef struct _SYSTEMTIME {
    WORD wYear;
    WORD wMonth;
    WORD wDayOfWeek;
    WORD wDay;
    WORD wHour;
    WORD wMinute;
    WORD wSecond;
    WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME, *LPSYSTEMTIME;

/* Win32 calls, mapped to WinsockCE_-prefixed symbols so nothing in the process is interposed. */
#define GetLastError WinsockCE_GetLastError
#define SetLastError WinsockCE_SetLastError
#define Sleep WinsockCE_Sleep
#define GetTickCount WinsockCE_GetTickCount
#define GetSystemTime WinsockCE_GetSystemTime
#define SystemTimeToFileTime WinsockCE_SystemTimeToFileTime
#define FileTimeToSystemTime WinsockCE_FileTimeToSystemTime
#define CompareFileTime WinsockCE_CompareFileTime
#define LoadLibraryA WinsockCE_LoadLibraryA
#define LoadLibraryW WinsockCE_LoadLibraryW
#define GetProcAddressA WinsockCE_GetProcAddressA
#define GetProcAddressW WinsockCE_GetProcAddressW
#define FreeLibrary WinsockCE_FreeLibrary

DWORD WinsockCE_GetLastError(void);
void WinsockCE_SetLastError(DWORD dwErrCode);
void WinsockCE_Sleep(DWORD dwMilliseconds);
DWORD WinsockCE_GetTickCount(void);
void WinsockCE_GetSystemTime(LPSYSTEMTIME lpSystemTime);
BOOL WinsockCE_SystemTimeToFileTime(const SYSTEMTIME *lpSystemTime, LPFILETIME lpFileTime);
BOOL WinsockCE_FileTimeToSystemTime(const FILETIME *lpFileTime, LPSYSTEMTIME lpSystemTime);
LONG WinsockCE_CompareFileTime(const FILETIME *lpFileTime1, const FILETIME *lpFileTime2);

/* LoadLibrary knows one library, "schannel.dll" (any case, with or without a path); GetProcAddress
 * finds SslCrackCertificate and SslFreeCertificate in it. Anything else fails with ERROR_MOD_NOT_FOUND
 * or ERROR_PROC_NOT_FOUND. */
HMODULE WinsockCE_LoadLibraryA(LPCSTR lpLibFileName);
HMODULE WinsockCE_LoadLibraryW(LPCWSTR lpLibFileName);
FARPROC WinsockCE_GetProcAddressA(HMODULE hModule, LPCSTR lpProcName);
FARPROC WinsockCE_GetProcAddressW(HMODULE hModule, LPCWSTR lpProcName);
BOOL WinsockCE_FreeLibrary(HMODULE hLibModule);

#ifdef UNICODE
#define LoadLibrary LoadLibraryW
#define GetProcAddress GetProcAddressW
#else
#define LoadLibrary LoadLibraryA
#define GetProcAddress GetProcAddressA
#endif

#define ERROR_SUCCESS 0L
#define NO_ERROR 0L
#define ERROR_INVALID_HANDLE 6L
#define ERROR_NOT_ENOUGH_MEMORY 8L
#define ERROR_INVALID_PARAMETER 87L
#define ERROR_MOD_NOT_FOUND 126L
#define ERROR_PROC_NOT_FOUND 127L
#define ERROR_INVALID_DATA 13L

/* The CRT names CE code uses, over their POSIX equivalents. */
#ifndef _stricmp
#define _stricmp strcasecmp
#endif
#ifndef _strnicmp
#define _strnicmp strncasecmp
#endif
#ifndef stricmp
#define stricmp strcasecmp
#endif
#ifndef _snprintf
#define _snprintf snprintf
#endif
#ifndef _vsnprintf
#define _vsnprintf vsnprintf
#endif
static inline char *WinsockCE_strlwr(char *text) {
    for (char *cursor = text; cursor && *cursor; ++cursor) {
        if (*cursor >= 'A' && *cursor <= 'Z') *cursor = (char)(*cursor - 'A' + 'a');
    }
    return text;
}
static inline char *WinsockCE_strupr(char *text) {
    for (char *cursor = text; cursor && *cursor; ++cursor) {
        if (*cursor >= 'a' && *cursor <= 'z') *cursor = (char)(*cursor - 'a' + 'A');
    }
    return text;
}
#define _strlwr WinsockCE_strlwr
#define _strupr WinsockCE_strupr

#ifdef __cplusplus
}
#endif

#endif /* WINSOCKCE_WINDOWS_H */
