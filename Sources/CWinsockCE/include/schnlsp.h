/*
 * schnlsp.h for Windows CE code built on Linux with WinsockCE: schannel's certificate cracker, as CE
 * programs load it with LoadLibrary(TEXT("schannel.dll")) and GetProcAddress, or call it directly.
 * Implemented over OpenSSL; written for this project.
 *
 * pszSubject and pszIssuer are writable copies owned by the X509Certificate (programs lowercase them in
 * place or cut them with a NUL); SslFreeCertificate frees the structure and both strings.
 * Their format is described in MIGRATION.md ("C and C++ programs").
 */
#ifndef WINSOCKCE_SCHNLSP_H
#define WINSOCKCE_SCHNLSP_H

#include <windows.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _PctPublicKey {
    DWORD Type;
    DWORD cbKey;
    UCHAR pKey[1];
} PctPublicKey;

typedef struct _X509Certificate {
    DWORD Version;
    DWORD SerialNumber[4];
    ALG_ID SignatureAlgorithm;
    FILETIME ValidFrom;
    FILETIME ValidUntil;
    PSTR pszIssuer;
    PSTR pszSubject;
    PctPublicKey *pPublicKey;
} X509Certificate, *PX509Certificate;

#define SslCrackCertificate WinsockCE_SslCrackCertificate
#define SslFreeCertificate WinsockCE_SslFreeCertificate

/* Parses the DER certificate in pbCertificate. dwFlags is ignored (CE's CF_CERT_FROM_FILE is not needed
 * for DER). Returns FALSE with GetLastError() = ERROR_INVALID_PARAMETER for NULL pointers and
 * ERROR_INVALID_DATA for bytes that are not one certificate. */
BOOL WINAPI WinsockCE_SslCrackCertificate(PUCHAR pbCertificate, DWORD cbCertificate, DWORD dwFlags, PX509Certificate *ppCertificate);
VOID WINAPI WinsockCE_SslFreeCertificate(PX509Certificate pCertificate);

typedef BOOL (WINAPI *SSL_CRACK_CERTIFICATE_FN)(PUCHAR pbCertificate, DWORD cbCertificate, BOOL VerifySignature, PX509Certificate *ppCertificate);
typedef VOID (WINAPI *SSL_FREE_CERTIFICATE_FN)(PX509Certificate pCertificate);

#define SSL_CRACK_CERTIFICATE_NAME TEXT("SslCrackCertificate")
#define SSL_FREE_CERTIFICATE_NAME TEXT("SslFreeCertificate")

#define CF_CERT_FROM_FILE 0x0001

#ifdef __cplusplus
}
#endif

#endif /* WINSOCKCE_SCHNLSP_H */
