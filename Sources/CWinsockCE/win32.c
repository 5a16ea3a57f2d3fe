/*
 * The windows.h subset CE socket programs use around their sockets: threads, events, mutexes, critical
 * sections, MessageBox, and narrow/wide conversion. Over pthreads; written for this project.
 */
#include "winsockce_swift.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* MARK: Critical sections */

void WinsockCE_InitializeCriticalSection(LPCRITICAL_SECTION section) {
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&section->mutex, &attributes);
    pthread_mutexattr_destroy(&attributes);
}

void WinsockCE_DeleteCriticalSection(LPCRITICAL_SECTION section) { pthread_mutex_destroy(&section->mutex); }
void WinsockCE_EnterCriticalSection(LPCRITICAL_SECTION section) { pthread_mutex_lock(&section->mutex); }
void WinsockCE_LeaveCriticalSection(LPCRITICAL_SECTION section) { pthread_mutex_unlock(&section->mutex); }
BOOL WinsockCE_TryEnterCriticalSection(LPCRITICAL_SECTION section) { return pthread_mutex_trylock(&section->mutex) == 0; }

/* MARK: Handles */

enum HandleKind { handleThread = 0x54485244, handleEvent = 0x45564e54, handleMutex = 0x4d555458 };

/* One waitable object. `lock` guards the rest; `changed` is signalled on every state change. */
struct WaitableObject {
    uint32_t kind;
    atomic_int references;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    /* thread */
    pthread_t thread;
    LPTHREAD_START_ROUTINE start;
    LPVOID parameter;
    BOOL finished;
    DWORD exitCode;
    /* event */
    BOOL signaled;
    BOOL manualReset;
    /* mutex */
    BOOL owned;
    pthread_t owner;
    unsigned recursion;
};

/* The handles a program holds: only these are accepted, so a stale or made-up HANDLE is an error, never
 * a dereference. A used handle is retained for the call (objectFor) and released after it. */
static pthread_mutex_t registryLock = PTHREAD_MUTEX_INITIALIZER;
static struct WaitableObject **registry;
static size_t registryCount, registryCapacity;

static BOOL enroll(struct WaitableObject *object) {
    pthread_mutex_lock(&registryLock);
    if (registryCount == registryCapacity) {
        size_t capacity = registryCapacity ? registryCapacity * 2 : 64;
        struct WaitableObject **grown = realloc(registry, capacity * sizeof *grown);
        if (grown == NULL) {
            pthread_mutex_unlock(&registryLock);
            return FALSE;
        }
        registry = grown;
        registryCapacity = capacity;
    }
    registry[registryCount++] = object;
    pthread_mutex_unlock(&registryLock);
    return TRUE;
}

/* Removes handle from the registry; true when it was there. */
static BOOL withdraw(struct WaitableObject *object) {
    BOOL found = FALSE;
    pthread_mutex_lock(&registryLock);
    for (size_t i = 0; i < registryCount; i++) {
        if (registry[i] == object) {
            registry[i] = registry[--registryCount];
            found = TRUE;
            break;
        }
    }
    pthread_mutex_unlock(&registryLock);
    return found;
}

static struct WaitableObject *newObject(uint32_t kind) {
    struct WaitableObject *object = calloc(1, sizeof *object);
    if (object == NULL) {
        WinsockCE_setLastError(ERROR_NOT_ENOUGH_MEMORY, "out of memory for a handle");
        return NULL;
    }
    object->kind = kind;
    atomic_init(&object->references, 1);
    pthread_mutex_init(&object->lock, NULL);
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&object->changed, &attributes);
    pthread_condattr_destroy(&attributes);
    if (!enroll(object)) {
        WinsockCE_setLastError(ERROR_NOT_ENOUGH_MEMORY, "out of memory for a handle");
        pthread_cond_destroy(&object->changed);
        pthread_mutex_destroy(&object->lock);
        free(object);
        return NULL;
    }
    return object;
}

static void release(struct WaitableObject *object) {
    if (atomic_fetch_sub(&object->references, 1) == 1) {
        pthread_cond_destroy(&object->changed);
        pthread_mutex_destroy(&object->lock);
        object->kind = 0;
        free(object);
    }
}

/* The object behind handle, retained for the caller (release it), or NULL with ERROR_INVALID_HANDLE. kind 0 accepts any. */
static struct WaitableObject *objectFor(HANDLE handle, uint32_t kind, const char *call) {
    struct WaitableObject *found = NULL;
    pthread_mutex_lock(&registryLock);
    for (size_t i = 0; i < registryCount; i++) {
        if (registry[i] == (struct WaitableObject *)handle && (kind == 0 || registry[i]->kind == kind)) {
            found = registry[i];
            atomic_fetch_add(&found->references, 1);
            break;
        }
    }
    pthread_mutex_unlock(&registryLock);
    if (found == NULL) {
        char detail[128];
        snprintf(detail, sizeof detail, "%s: not an open handle of the right kind", call);
        WinsockCE_setLastError(ERROR_INVALID_HANDLE, detail);
    }
    return found;
}

static BOOL unsupportedName(const void *name, const char *call) {
    if (name == NULL) return FALSE;
    char detail[128];
    snprintf(detail, sizeof detail, "%s: named objects are not supported (lpName must be NULL)", call);
    WinsockCE_setLastError(ERROR_NOT_SUPPORTED, detail);
    return TRUE;
}

/* MARK: Threads */

static void *threadMain(void *argument) {
    struct WaitableObject *object = argument;
    DWORD code = object->start(object->parameter);
    pthread_mutex_lock(&object->lock);
    object->finished = TRUE;
    object->exitCode = code;
    pthread_cond_broadcast(&object->changed);
    pthread_mutex_unlock(&object->lock);
    release(object);
    return NULL;
}

HANDLE WinsockCE_CreateThread(LPSECURITY_ATTRIBUTES attributes, SIZE_T stackSize, LPTHREAD_START_ROUTINE start,
                              LPVOID parameter, DWORD flags, LPDWORD threadId) {
    (void)attributes;
    if (start == NULL || (flags & CREATE_SUSPENDED)) {
        WinsockCE_setLastError(start == NULL ? ERROR_INVALID_PARAMETER : ERROR_NOT_SUPPORTED,
                               start == NULL ? "CreateThread: lpStartAddress is NULL" : "CreateThread: CREATE_SUSPENDED is not supported");
        return NULL;
    }
    struct WaitableObject *object = newObject(handleThread);
    if (object == NULL) return NULL;
    object->start = start;
    object->parameter = parameter;
    object->exitCode = STILL_ACTIVE;
    atomic_fetch_add(&object->references, 1); /* the running thread's own reference */
    pthread_attr_t threadAttributes;
    pthread_attr_init(&threadAttributes);
    pthread_attr_setdetachstate(&threadAttributes, PTHREAD_CREATE_DETACHED);
    if (stackSize >= PTHREAD_STACK_MIN) pthread_attr_setstacksize(&threadAttributes, stackSize);
    int status = pthread_create(&object->thread, &threadAttributes, threadMain, object);
    pthread_attr_destroy(&threadAttributes);
    if (status != 0) {
        WinsockCE_setLastError(ERROR_NOT_ENOUGH_MEMORY, "CreateThread: the system could not start a thread");
        withdraw(object);
        release(object);
        release(object);
        return NULL;
    }
    if (threadId) *threadId = (DWORD)(uintptr_t)object;
    return (HANDLE)object;
}

BOOL WinsockCE_GetExitCodeThread(HANDLE handle, LPDWORD exitCode) {
    struct WaitableObject *object = objectFor(handle, handleThread, "GetExitCodeThread");
    if (object == NULL) return FALSE;
    if (exitCode == NULL) {
        WinsockCE_setLastError(ERROR_INVALID_PARAMETER, "GetExitCodeThread: lpExitCode is NULL");
        release(object);
        return FALSE;
    }
    pthread_mutex_lock(&object->lock);
    *exitCode = object->exitCode;
    pthread_mutex_unlock(&object->lock);
    release(object);
    return TRUE;
}

DWORD WinsockCE_GetCurrentThreadId(void) {
    static atomic_uint nextId = 1;
    static _Thread_local DWORD id;
    if (id == 0) id = atomic_fetch_add(&nextId, 1);
    return id;
}

/* MARK: Events and mutexes */

static HANDLE createEvent(BOOL manualReset, BOOL initialState) {
    struct WaitableObject *object = newObject(handleEvent);
    if (object == NULL) return NULL;
    object->manualReset = manualReset;
    object->signaled = initialState;
    return (HANDLE)object;
}

HANDLE WinsockCE_CreateEventA(LPSECURITY_ATTRIBUTES attributes, BOOL manualReset, BOOL initialState, LPCSTR name) {
    (void)attributes;
    return unsupportedName(name, "CreateEvent") ? NULL : createEvent(manualReset, initialState);
}

HANDLE WinsockCE_CreateEventW(LPSECURITY_ATTRIBUTES attributes, BOOL manualReset, BOOL initialState, LPCWSTR name) {
    (void)attributes;
    return unsupportedName(name, "CreateEvent") ? NULL : createEvent(manualReset, initialState);
}

static BOOL setSignaled(HANDLE handle, BOOL signaled, const char *call) {
    struct WaitableObject *object = objectFor(handle, handleEvent, call);
    if (object == NULL) return FALSE;
    pthread_mutex_lock(&object->lock);
    object->signaled = signaled;
    if (signaled) pthread_cond_broadcast(&object->changed);
    pthread_mutex_unlock(&object->lock);
    release(object);
    return TRUE;
}

BOOL WinsockCE_SetEvent(HANDLE handle) { return setSignaled(handle, TRUE, "SetEvent"); }
BOOL WinsockCE_ResetEvent(HANDLE handle) { return setSignaled(handle, FALSE, "ResetEvent"); }

static HANDLE createMutex(BOOL initialOwner) {
    struct WaitableObject *object = newObject(handleMutex);
    if (object == NULL) return NULL;
    if (initialOwner) {
        object->owned = TRUE;
        object->owner = pthread_self();
        object->recursion = 1;
    }
    return (HANDLE)object;
}

HANDLE WinsockCE_CreateMutexA(LPSECURITY_ATTRIBUTES attributes, BOOL initialOwner, LPCSTR name) {
    (void)attributes;
    return unsupportedName(name, "CreateMutex") ? NULL : createMutex(initialOwner);
}

HANDLE WinsockCE_CreateMutexW(LPSECURITY_ATTRIBUTES attributes, BOOL initialOwner, LPCWSTR name) {
    (void)attributes;
    return unsupportedName(name, "CreateMutex") ? NULL : createMutex(initialOwner);
}

BOOL WinsockCE_ReleaseMutex(HANDLE handle) {
    struct WaitableObject *object = objectFor(handle, handleMutex, "ReleaseMutex");
    if (object == NULL) return FALSE;
    pthread_mutex_lock(&object->lock);
    if (!object->owned || !pthread_equal(object->owner, pthread_self())) {
        pthread_mutex_unlock(&object->lock);
        release(object);
        WinsockCE_setLastError(288 /* ERROR_NOT_OWNER */, "ReleaseMutex: the calling thread does not own the mutex");
        return FALSE;
    }
    if (--object->recursion == 0) {
        object->owned = FALSE;
        pthread_cond_broadcast(&object->changed);
    }
    pthread_mutex_unlock(&object->lock);
    release(object);
    return TRUE;
}

/* MARK: Waiting */

/* True when the object is signalled for the calling thread; takes it (auto-reset event, mutex) if so. */
static BOOL acquire(struct WaitableObject *object) {
    switch (object->kind) {
    case handleThread:
        return object->finished;
    case handleEvent:
        if (!object->signaled) return FALSE;
        if (!object->manualReset) object->signaled = FALSE;
        return TRUE;
    case handleMutex:
        if (object->owned && !pthread_equal(object->owner, pthread_self())) return FALSE;
        object->owned = TRUE;
        object->owner = pthread_self();
        object->recursion++;
        return TRUE;
    default:
        return FALSE;
    }
}

DWORD WinsockCE_WaitForSingleObject(HANDLE handle, DWORD milliseconds) {
    struct WaitableObject *object = objectFor(handle, 0, "WaitForSingleObject");
    if (object == NULL) return WAIT_FAILED;
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += milliseconds / 1000;
    deadline.tv_nsec += (long)(milliseconds % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000L;
    }
    DWORD result = WAIT_OBJECT_0;
    pthread_mutex_lock(&object->lock);
    while (!acquire(object)) {
        if (milliseconds == 0) {
            result = WAIT_TIMEOUT;
            break;
        }
        if (milliseconds == INFINITE) {
            pthread_cond_wait(&object->changed, &object->lock);
        } else if (pthread_cond_timedwait(&object->changed, &object->lock, &deadline) == ETIMEDOUT) {
            if (!acquire(object)) result = WAIT_TIMEOUT;
            break;
        }
    }
    pthread_mutex_unlock(&object->lock);
    release(object);
    return result;
}

BOOL WinsockCE_CloseHandle(HANDLE handle) {
    struct WaitableObject *object = objectFor(handle, 0, "CloseHandle");
    if (object == NULL) return FALSE;
    if (withdraw(object)) release(object); /* the program's reference */
    release(object);                       /* objectFor's */
    return TRUE;
}

/* MARK: MessageBox */

static atomic_int messageBoxAnswer;

void WinsockCE_SetMessageBoxAnswer(int answer) { atomic_store(&messageBoxAnswer, answer); }

static int answerFor(UINT type) {
    int configured = atomic_load(&messageBoxAnswer);
    if (configured != 0) return configured;
    const char *environment = getenv("WINSOCKCE_MESSAGEBOX_ANSWER");
    if (environment != NULL && atoi(environment) > 0) return atoi(environment);
    switch (type & 0xf) {
    case MB_ABORTRETRYIGNORE: return IDABORT;
    case MB_YESNOCANCEL:
    case MB_YESNO: return IDYES;
    case MB_RETRYCANCEL: return IDRETRY;
    default: return IDOK;
    }
}

int WinsockCE_MessageBoxA(HWND window, LPCSTR text, LPCSTR caption, UINT type) {
    (void)window;
    int answer = answerFor(type);
    fprintf(stderr, "[MessageBox] %s: %s -> %d\n", caption ? caption : "Error", text ? text : "", answer);
    return answer;
}

int WinsockCE_MessageBoxW(HWND window, LPCWSTR text, LPCWSTR caption, UINT type) {
    char narrowText[1024], narrowCaption[256];
    int textLength = text ? WinsockCE_WideCharToMultiByte(CP_UTF8, 0, text, -1, narrowText, sizeof narrowText, NULL, NULL) : 0;
    int captionLength = caption ? WinsockCE_WideCharToMultiByte(CP_UTF8, 0, caption, -1, narrowCaption, sizeof narrowCaption, NULL, NULL) : 0;
    return WinsockCE_MessageBoxA(window, textLength > 0 ? narrowText : "", captionLength > 0 ? narrowCaption : NULL, type);
}

/* MARK: Narrow and wide */

static BOOL knownCodePage(UINT codePage, const char *call) {
    if (codePage == CP_ACP || codePage == CP_OEMCP || codePage == CP_UTF8) return TRUE;
    char detail[128];
    snprintf(detail, sizeof detail, "%s: code page %u is not supported (CP_ACP, CP_OEMCP and CP_UTF8 are UTF-8)", call, codePage);
    WinsockCE_setLastError(ERROR_INVALID_PARAMETER, detail);
    return FALSE;
}

/* Decodes one UTF-8 sequence at bytes[*index]; returns the scalar, or -1 for an invalid sequence (one byte consumed). */
static long decodeUTF8(const unsigned char *bytes, int count, int *index) {
    unsigned char lead = bytes[*index];
    int length = lead < 0x80 ? 1 : (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : (lead & 0xf8) == 0xf0 ? 4 : 0;
    if (length == 0 || *index + length > count) { (*index)++; return -1; }
    long scalar = length == 1 ? lead : lead & (0xff >> (length + 1));
    for (int i = 1; i < length; i++) {
        unsigned char next = bytes[*index + i];
        if ((next & 0xc0) != 0x80) { (*index)++; return -1; }
        scalar = (scalar << 6) | (next & 0x3f);
    }
    static const long minimum[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (scalar < minimum[length] || scalar > 0x10ffff || (scalar >= 0xd800 && scalar <= 0xdfff)) { (*index)++; return -1; }
    *index += length;
    return scalar;
}

int WinsockCE_MultiByteToWideChar(UINT codePage, DWORD flags, LPCSTR text, int count, LPWSTR wide, int capacity) {
    if (!knownCodePage(codePage, "MultiByteToWideChar")) return 0;
    if (text == NULL || count == 0 || count < -1 || capacity < 0 || (capacity > 0 && wide == NULL)) {
        WinsockCE_setLastError(ERROR_INVALID_PARAMETER, "MultiByteToWideChar: bad pointer or length");
        return 0;
    }
    if (count == -1) count = (int)strlen(text) + 1;
    const unsigned char *bytes = (const unsigned char *)text;
    int index = 0, produced = 0;
    while (index < count) {
        long scalar = decodeUTF8(bytes, count, &index);
        if (scalar < 0) {
            if (flags & MB_ERR_INVALID_CHARS) {
                WinsockCE_setLastError(ERROR_NO_UNICODE_TRANSLATION, "MultiByteToWideChar: the text is not valid UTF-8");
                return 0;
            }
            scalar = 0xfffd;
        }
        WCHAR units[2];
        int unitCount = 1;
        if (scalar >= 0x10000) {
            units[0] = (WCHAR)(0xd800 + ((scalar - 0x10000) >> 10));
            units[1] = (WCHAR)(0xdc00 + ((scalar - 0x10000) & 0x3ff));
            unitCount = 2;
        } else {
            units[0] = (WCHAR)scalar;
        }
        if (capacity > 0) {
            if (produced + unitCount > capacity) {
                WinsockCE_setLastError(ERROR_INSUFFICIENT_BUFFER, "MultiByteToWideChar: the output buffer is too small");
                return 0;
            }
            for (int i = 0; i < unitCount; i++) wide[produced + i] = units[i];
        }
        produced += unitCount;
    }
    return produced;
}

int WinsockCE_WideCharToMultiByte(UINT codePage, DWORD flags, LPCWSTR wide, int count, LPSTR text, int capacity,
                                  LPCSTR defaultChar, LPBOOL usedDefault) {
    (void)flags;
    if (!knownCodePage(codePage, "WideCharToMultiByte")) return 0;
    if (wide == NULL || count == 0 || count < -1 || capacity < 0 || (capacity > 0 && text == NULL)) {
        WinsockCE_setLastError(ERROR_INVALID_PARAMETER, "WideCharToMultiByte: bad pointer or length");
        return 0;
    }
    if (count == -1) {
        count = 0;
        while (wide[count]) count++;
        count++;
    }
    if (usedDefault) *usedDefault = FALSE;
    int index = 0, produced = 0;
    while (index < count) {
        long scalar = wide[index++];
        unsigned char bytes[4];
        int length;
        if (scalar >= 0xd800 && scalar <= 0xdbff && index < count && wide[index] >= 0xdc00 && wide[index] <= 0xdfff) {
            scalar = 0x10000 + ((scalar - 0xd800) << 10) + (wide[index++] - 0xdc00);
        } else if (scalar >= 0xd800 && scalar <= 0xdfff) {
            scalar = -1;
        }
        if (scalar < 0) {
            if (usedDefault) *usedDefault = TRUE;
            bytes[0] = (unsigned char)(defaultChar ? *defaultChar : '?');
            length = 1;
        } else if (scalar < 0x80) {
            bytes[0] = (unsigned char)scalar;
            length = 1;
        } else if (scalar < 0x800) {
            bytes[0] = (unsigned char)(0xc0 | (scalar >> 6));
            bytes[1] = (unsigned char)(0x80 | (scalar & 0x3f));
            length = 2;
        } else if (scalar < 0x10000) {
            bytes[0] = (unsigned char)(0xe0 | (scalar >> 12));
            bytes[1] = (unsigned char)(0x80 | ((scalar >> 6) & 0x3f));
            bytes[2] = (unsigned char)(0x80 | (scalar & 0x3f));
            length = 3;
        } else {
            bytes[0] = (unsigned char)(0xf0 | (scalar >> 18));
            bytes[1] = (unsigned char)(0x80 | ((scalar >> 12) & 0x3f));
            bytes[2] = (unsigned char)(0x80 | ((scalar >> 6) & 0x3f));
            bytes[3] = (unsigned char)(0x80 | (scalar & 0x3f));
            length = 4;
        }
        if (capacity > 0) {
            if (produced + length > capacity) {
                WinsockCE_setLastError(ERROR_INSUFFICIENT_BUFFER, "WideCharToMultiByte: the output buffer is too small");
                return 0;
            }
            memcpy(text + produced, bytes, (size_t)length);
        }
        produced += length;
    }
    return produced;
}
