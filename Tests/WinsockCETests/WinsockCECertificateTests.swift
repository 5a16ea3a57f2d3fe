import CWinsockCE
import Testing
import WinsockSSL
import WinsockSSLTesting

/// `SslCrackCertificate`, `LoadLibrary("schannel.dll")` and the FILETIME helpers.
@Suite struct WinsockCECertificateTests {
    let authority: TestCertificateAuthority

    init() throws {
        authority = try TestCertificateAuthority(commonName: "Crack Test CA")
    }

    func crack(_ der: [UInt8]) -> UnsafeMutablePointer<X509Certificate>? {
        var copy = der
        var result: UnsafeMutablePointer<X509Certificate>?
        guard WinsockCE_SslCrackCertificate(&copy, DWORD(copy.count), 0, &result) != 0 else { return nil }
        return result
    }

    @Test func subjectAndIssuerAreCertNameToStringsInCertificateOrder() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"], commonName: "mail.example.test")
        let cracked = try #require(crack(issued.certificate.derEncoded))
        defer { WinsockCE_SslFreeCertificate(cracked) }
        #expect(String(cString: cracked.pointee.pszSubject) == "O=WinsockSSL Testing, CN=mail.example.test")
        #expect(String(cString: cracked.pointee.pszIssuer) == "O=WinsockSSL Testing, CN=Crack Test CA")
        #expect(cracked.pointee.Version == 2)
    }

    @Test func datesAreFileTimesOfTheValidityPeriod() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"])
        let cracked = try #require(crack(issued.certificate.derEncoded))
        defer { WinsockCE_SslFreeCertificate(cracked) }
        func seconds(_ time: FILETIME) -> Int64 {
            Int64((UInt64(time.dwHighDateTime) << 32 | UInt64(time.dwLowDateTime)) / 10_000_000) - 11_644_473_600
        }
        #expect(seconds(cracked.pointee.ValidFrom) == issued.certificate.notValidBefore)
        #expect(seconds(cracked.pointee.ValidUntil) == issued.certificate.notValidAfter)
        var now = SYSTEMTIME()
        var nowFile = FILETIME()
        WinsockCE_GetSystemTime(&now)
        #expect(WinsockCE_SystemTimeToFileTime(&now, &nowFile) != 0)
        #expect(WinsockCE_CompareFileTime(&cracked.pointee.ValidFrom, &nowFile) == -1)
        #expect(WinsockCE_CompareFileTime(&nowFile, &cracked.pointee.ValidUntil) == -1)
    }

    /// Programs lowercase the subject in place or cut it with a NUL: each call gets its own writable copy.
    @Test func stringsAreWritablePerCallCopies() throws {
        let issued = try authority.issue(dnsNames: ["mail.example.test"], commonName: "Mail.Example.Test")
        let first = try #require(crack(issued.certificate.derEncoded))
        let second = try #require(crack(issued.certificate.derEncoded))
        defer { WinsockCE_SslFreeCertificate(first); WinsockCE_SslFreeCertificate(second) }
        first.pointee.pszSubject[0] = 0
        #expect(String(cString: first.pointee.pszSubject).isEmpty)
        #expect(String(cString: second.pointee.pszSubject).hasSuffix("CN=Mail.Example.Test"))
    }

    @Test func badInputFailsWithTheLastErrorSet() {
        var result: UnsafeMutablePointer<X509Certificate>?
        #expect(WinsockCE_SslCrackCertificate(nil, 10, 0, &result) == 0)
        #expect(WinsockCE_GetLastError() == DWORD(ERROR_INVALID_PARAMETER))
        var garbage: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x00]
        #expect(WinsockCE_SslCrackCertificate(&garbage, 5, 0, &result) == 0)
        #expect(WinsockCE_GetLastError() == DWORD(ERROR_INVALID_DATA))
        #expect(result == nil)
        WinsockCE_SslFreeCertificate(nil)
    }

    @Test func schannelLoadsAndExportsTheCracker() throws {
        let module = try #require(WinsockCE_LoadLibraryA("\\Windows\\SCHANNEL.DLL"))
        #expect(WinsockCE_GetProcAddressA(module, "SslCrackCertificate") != nil)
        #expect(WinsockCE_GetProcAddressA(module, "SslFreeCertificate") != nil)
        #expect(WinsockCE_GetProcAddressA(module, "SslEmptyCache") == nil)
        #expect(WinsockCE_GetLastError() == DWORD(ERROR_PROC_NOT_FOUND))
        let wide = Array("schannel.dll".utf16) + [0]
        #expect(WinsockCE_LoadLibraryW(wide) == module)
        #expect(WinsockCE_LoadLibraryA("coredll.dll") == nil)
        #expect(WinsockCE_GetLastError() == DWORD(ERROR_MOD_NOT_FOUND))
        #expect(WinsockCE_FreeLibrary(module) != 0)
    }

    @Test func systemTimeAndFileTimeRoundTrip() {
        var time = SYSTEMTIME(wYear: 2009, wMonth: 9, wDayOfWeek: 0, wDay: 14, wHour: 16, wMinute: 44, wSecond: 33, wMilliseconds: 250)
        var file = FILETIME()
        #expect(WinsockCE_SystemTimeToFileTime(&time, &file) != 0)
        // 2009-09-14 16:44:33.25 UTC is 1252946673.25 s after 1970.
        #expect(UInt64(file.dwHighDateTime) << 32 | UInt64(file.dwLowDateTime) == (1_252_946_673 + 11_644_473_600) * 10_000_000 + 2_500_000)
        var back = SYSTEMTIME()
        #expect(WinsockCE_FileTimeToSystemTime(&file, &back) != 0)
        #expect(back.wYear == 2009 && back.wMonth == 9 && back.wDay == 14 && back.wHour == 16 && back.wMinute == 44)
        #expect(back.wSecond == 33 && back.wMilliseconds == 250 && back.wDayOfWeek == 1)
        var invalid = SYSTEMTIME(wYear: 2009, wMonth: 2, wDayOfWeek: 0, wDay: 29, wHour: 0, wMinute: 0, wSecond: 0, wMilliseconds: 0)
        #expect(WinsockCE_SystemTimeToFileTime(&invalid, &file) == 0)
    }
}
