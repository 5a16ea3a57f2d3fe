import CWinsockCE
import Foundation
import Testing
import WinsockSSL

/// The windows.h subset around the sockets: threads, events, mutexes, critical sections, MessageBox,
/// narrow/wide conversion.
@Suite struct WinsockCEWin32Tests {
    @Test func threadRunsItsRoutineAndItsHandleReportsTheExitCode() throws {
        let event = try #require(WinsockCE_CreateEventA(nil, 1, 0, nil))
        defer { _ = WinsockCE_CloseHandle(event) }
        let created = WinsockCE_CreateThread(nil, 0, { parameter in
            _ = WinsockCE_WaitForSingleObject(parameter, INFINITE)
            return 42
        }, event, 0, nil)
        let thread = try #require(created)
        defer { _ = WinsockCE_CloseHandle(thread) }
        var code = DWORD(0)
        #expect(WinsockCE_GetExitCodeThread(thread, &code) != 0 && code == STILL_ACTIVE)
        #expect(WinsockCE_WaitForSingleObject(thread, 50) == WAIT_TIMEOUT)
        #expect(WinsockCE_SetEvent(event) != 0)
        #expect(WinsockCE_WaitForSingleObject(thread, 10_000) == WAIT_OBJECT_0)
        #expect(WinsockCE_GetExitCodeThread(thread, &code) != 0 && code == 42)
    }

    @Test func autoResetEventReleasesOneWaitManualResetStaysSignalled() throws {
        let automatic = try #require(WinsockCE_CreateEventA(nil, 0, 1, nil))
        let manual = try #require(WinsockCE_CreateEventA(nil, 1, 1, nil))
        defer { _ = WinsockCE_CloseHandle(automatic); _ = WinsockCE_CloseHandle(manual) }
        #expect(WinsockCE_WaitForSingleObject(automatic, 0) == WAIT_OBJECT_0)
        #expect(WinsockCE_WaitForSingleObject(automatic, 0) == WAIT_TIMEOUT)
        #expect(WinsockCE_WaitForSingleObject(manual, 0) == WAIT_OBJECT_0)
        #expect(WinsockCE_WaitForSingleObject(manual, 0) == WAIT_OBJECT_0)
        #expect(WinsockCE_ResetEvent(manual) != 0)
        #expect(WinsockCE_WaitForSingleObject(manual, 20) == WAIT_TIMEOUT)
    }

    @Test func mutexIsRecursiveForItsOwnerAndRefusedToOthers() throws {
        let mutex = try #require(WinsockCE_CreateMutexA(nil, 1, nil))
        defer { _ = WinsockCE_CloseHandle(mutex) }
        #expect(WinsockCE_WaitForSingleObject(mutex, 0) == WAIT_OBJECT_0)
        let other = Locked<DWORD?>(nil)
        let address = UInt(bitPattern: mutex)
        let thread = Thread { other.withLock { $0 = WinsockCE_WaitForSingleObject(UnsafeMutableRawPointer(bitPattern: address), 20) } }
        thread.start()
        let deadline = Date().addingTimeInterval(10)
        while other.withLock({ $0 }) == nil && Date() < deadline { usleep(1000) }
        #expect(other.withLock { $0 } == WAIT_TIMEOUT)
        #expect(WinsockCE_ReleaseMutex(mutex) != 0 && WinsockCE_ReleaseMutex(mutex) != 0)
        #expect(WinsockCE_ReleaseMutex(mutex) == 0)
        #expect(WinsockCE_GetLastError() == 288)
    }

    @Test func criticalSectionIsRecursive() {
        var section = CRITICAL_SECTION()
        WinsockCE_InitializeCriticalSection(&section)
        WinsockCE_EnterCriticalSection(&section)
        #expect(WinsockCE_TryEnterCriticalSection(&section) != 0)
        WinsockCE_LeaveCriticalSection(&section)
        WinsockCE_LeaveCriticalSection(&section)
        WinsockCE_DeleteCriticalSection(&section)
    }

    @Test func madeUpOrClosedHandlesAreInvalidNotDereferenced() throws {
        let bogus = UnsafeMutableRawPointer(bitPattern: 0x1234)
        #expect(WinsockCE_WaitForSingleObject(bogus, 0) == WAIT_FAILED)
        #expect(WinsockCE_GetLastError() == DWORD(ERROR_INVALID_HANDLE))
        let event = try #require(WinsockCE_CreateEventA(nil, 0, 0, nil))
        #expect(WinsockCE_CloseHandle(event) != 0)
        #expect(WinsockCE_SetEvent(event) == 0)
        #expect(WinsockCE_CloseHandle(event) == 0)
        #expect(WinsockCE_CreateEventA(nil, 0, 0, "named") == nil)
        #expect(WinsockCE_GetLastError() == DWORD(ERROR_NOT_SUPPORTED))
    }

    @Test func messageBoxAnswersWithoutAScreen() {
        #expect(WinsockCE_MessageBoxA(nil, "Accept the certificate?", "cemail", MB_YESNO) == IDYES)
        #expect(WinsockCE_MessageBoxA(nil, "Done", "cemail", MB_OK) == IDOK)
        WinsockCE_SetMessageBoxAnswer(IDNO)
        #expect(WinsockCE_MessageBoxA(nil, "Accept the certificate?", "cemail", MB_YESNO) == IDNO)
        WinsockCE_SetMessageBoxAnswer(0)
    }

    @Test func narrowAndWideRoundTripUTF8AndUTF16() {
        let text = "Grüße 🌍"
        let count = WinsockCE_MultiByteToWideChar(UInt32(CP_UTF8), 0, text, -1, nil, 0)
        #expect(count == Int32(text.utf16.count + 1))
        var wide = [WCHAR](repeating: 0, count: Int(count))
        #expect(WinsockCE_MultiByteToWideChar(UInt32(CP_ACP), 0, text, -1, &wide, count) == count)
        #expect(Array(wide.dropLast()) == Array(text.utf16))
        var narrow = [CChar](repeating: 0, count: 32)
        let written = WinsockCE_WideCharToMultiByte(UInt32(CP_UTF8), 0, wide, -1, &narrow, 32, nil, nil)
        #expect(written == Int32(text.utf8.count + 1))
        #expect(String(decoding: narrow.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) == text)
        var tooSmall = [WCHAR](repeating: 0, count: 2)
        #expect(WinsockCE_MultiByteToWideChar(UInt32(CP_UTF8), 0, text, -1, &tooSmall, 2) == 0)
        #expect(WinsockCE_GetLastError() == DWORD(ERROR_INSUFFICIENT_BUFFER))
        let invalid: [CChar] = [0x41, CChar(bitPattern: 0xff), 0x42]
        #expect(WinsockCE_MultiByteToWideChar(UInt32(CP_UTF8), MB_ERR_INVALID_CHARS, invalid, 3, nil, 0) == 0)
        #expect(WinsockCE_GetLastError() == DWORD(ERROR_NO_UNICODE_TRANSLATION))
        var replaced = [WCHAR](repeating: 0, count: 3)
        #expect(WinsockCE_MultiByteToWideChar(UInt32(CP_UTF8), 0, invalid, 3, &replaced, 3) == 3 && replaced[1] == 0xFFFD)
        #expect(WinsockCE_MultiByteToWideChar(1252, 0, "a", -1, nil, 0) == 0)
        #expect(WinsockCE_GetLastError() == DWORD(ERROR_INVALID_PARAMETER))
    }
}
