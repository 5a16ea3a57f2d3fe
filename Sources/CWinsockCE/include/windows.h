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
#include <pthread.h>

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
/* char16_t in C++ and uint16_t (what C11's char16_t is on glibc) in C, so u"" literals are WCHAR strings in both. */
#ifdef __cplusplus
typedef char16_t WCHAR;
#else
typedef uint16_t WCHAR;
#endif
typedef WCHAR *PWSTR, *LPWSTR, *PWCHAR;
typedef const WCHAR *PCWSTR, *LPCWSTR;
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

/* Threads, events, mutexes and critical sections, over pthreads. Handles are this library's objects:
 * CloseHandle releases them (a thread's handle may be closed while it runs). Named events and mutexes
 * (lpName not NULL) and CREATE_SUSPENDED are not supported: the call fails with ERROR_NOT_SUPPORTED. */
typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    LPVOID lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;
typedef DWORD (WINAPI *PTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);
typedef PTHREAD_START_ROUTINE LPTHREAD_START_ROUTINE;

/* Recursive, as Windows' critical sections are. */
typedef struct _CRITICAL_SECTION {
    pthread_mutex_t mutex;
} CRITICAL_SECTION, *PCRITICAL_SECTION, *LPCRITICAL_SECTION;

#define WAIT_OBJECT_0 0x00000000u
#define WAIT_ABANDONED 0x00000080u
#define WAIT_TIMEOUT 0x00000102u
#define WAIT_FAILED 0xFFFFFFFFu
#define STILL_ACTIVE 0x00000103u
#define CREATE_SUSPENDED 0x00000004u

#define InitializeCriticalSection WinsockCE_InitializeCriticalSection
#define DeleteCriticalSection WinsockCE_DeleteCriticalSection
#define EnterCriticalSection WinsockCE_EnterCriticalSection
#define LeaveCriticalSection WinsockCE_LeaveCriticalSection
#define TryEnterCriticalSection WinsockCE_TryEnterCriticalSection
#define CreateThread WinsockCE_CreateThread
#define GetExitCodeThread WinsockCE_GetExitCodeThread
#define GetCurrentThreadId WinsockCE_GetCurrentThreadId
#define CreateEventA WinsockCE_CreateEventA
#define CreateEventW WinsockCE_CreateEventW
#define SetEvent WinsockCE_SetEvent
#define ResetEvent WinsockCE_ResetEvent
#define CreateMutexA WinsockCE_CreateMutexA
#define CreateMutexW WinsockCE_CreateMutexW
#define ReleaseMutex WinsockCE_ReleaseMutex
#define WaitForSingleObject WinsockCE_WaitForSingleObject
#define CloseHandle WinsockCE_CloseHandle

void WinsockCE_InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
void WinsockCE_DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
void WinsockCE_EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
void WinsockCE_LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
BOOL WinsockCE_TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
HANDLE WinsockCE_CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize, LPTHREAD_START_ROUTINE lpStartAddress,
                              LPVOID lpParameter, DWORD dwCreationFlags, LPDWORD lpThreadId);
BOOL WinsockCE_GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode);
DWORD WinsockCE_GetCurrentThreadId(void);
HANDLE WinsockCE_CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset, BOOL bInitialState, LPCSTR lpName);
HANDLE WinsockCE_CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset, BOOL bInitialState, LPCWSTR lpName);
BOOL WinsockCE_SetEvent(HANDLE hEvent);
BOOL WinsockCE_ResetEvent(HANDLE hEvent);
HANDLE WinsockCE_CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner, LPCSTR lpName);
HANDLE WinsockCE_CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner, LPCWSTR lpName);
BOOL WinsockCE_ReleaseMutex(HANDLE hMutex);
DWORD WinsockCE_WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
BOOL WinsockCE_CloseHandle(HANDLE hObject);

/* MessageBox has no screen here: it writes "caption: text" to stderr and returns an answer at once. The
 * answer is WinsockCE_SetMessageBoxAnswer's if set (project extension), else the WINSOCKCE_MESSAGEBOX_ANSWER
 * environment variable (a number, such as 6 for IDYES), else the box's first button (IDOK, IDYES, IDABORT,
 * IDRETRY). */
#define MB_OK 0x00000000u
#define MB_OKCANCEL 0x00000001u
#define MB_ABORTRETRYIGNORE 0x00000002u
#define MB_YESNOCANCEL 0x00000003u
#define MB_YESNO 0x00000004u
#define MB_RETRYCANCEL 0x00000005u
#define MB_ICONHAND 0x00000010u
#define MB_ICONQUESTION 0x00000020u
#define MB_ICONEXCLAMATION 0x00000030u
#define MB_ICONASTERISK 0x00000040u
#define MB_ICONERROR MB_ICONHAND
#define MB_ICONWARNING MB_ICONEXCLAMATION
#define MB_ICONINFORMATION MB_ICONASTERISK
#define MB_SETFOREGROUND 0x00010000u
#define MB_TOPMOST 0x00040000u
#define IDOK 1
#define IDCANCEL 2
#define IDABORT 3
#define IDRETRY 4
#define IDIGNORE 5
#define IDYES 6
#define IDNO 7
#define MessageBoxA WinsockCE_MessageBoxA
#define MessageBoxW WinsockCE_MessageBoxW
int WinsockCE_MessageBoxA(HWND hWnd, LPCSTR lpText, LPCSTR lpCaption, UINT uType);
int WinsockCE_MessageBoxW(HWND hWnd, LPCWSTR lpText, LPCWSTR lpCaption, UINT uType);
/* Project extension: the answer every later MessageBox returns; 0 goes back to the default. */
void WinsockCE_SetMessageBoxAnswer(int answer);

/* Narrow/wide conversion. CP_ACP, CP_OEMCP and CP_UTF8 all mean UTF-8 here (the Linux convention; CE's
 * ANSI code page was a Windows code page); other code pages fail with ERROR_INVALID_PARAMETER. Invalid
 * input becomes U+FFFD (or '?' when narrowing), or fails with ERROR_NO_UNICODE_TRANSLATION under
 * MB_ERR_INVALID_CHARS. A length of -1 means NUL-terminated, NUL included in the count. */
#define CP_ACP 0
#define CP_OEMCP 1
#define CP_UTF8 65001
#define MB_ERR_INVALID_CHARS 0x00000008u
#define ERROR_INSUFFICIENT_BUFFER 122L
#define ERROR_NO_UNICODE_TRANSLATION 1113L
#define ERROR_NOT_SUPPORTED 50L
#define MultiByteToWideChar WinsockCE_MultiByteToWideChar
#define WideCharToMultiByte WinsockCE_WideCharToMultiByte
int WinsockCE_MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCSTR lpMultiByteStr, int cbMultiByte, LPWSTR lpWideCharStr, int cchWideChar);
int WinsockCE_WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr, int cchWideChar, LPSTR lpMultiByteStr,
                                  int cbMultiByte, LPCSTR lpDefaultChar, LPBOOL lpUsedDefaultChar);

#ifdef UNICODE
#define CreateEvent CreateEventW
#define CreateMutex CreateMutexW
#define MessageBox MessageBoxW
#else
#define CreateEvent CreateEventA
#define CreateMutex CreateMutexA
#define MessageBox MessageBoxA
#endif

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
