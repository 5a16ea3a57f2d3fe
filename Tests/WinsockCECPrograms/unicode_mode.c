/* A CE file built with UNICODE, as CE projects were: TCHAR is WCHAR, TEXT("x") is u"x", and the A/W
 * functions resolve to their W form. Compiled as C into cetest and as C++ by the Makefile's check. */
#define UNICODE
#include <windows.h>
#include <schnlsp.h>

/* 0 when LoadLibrary, GetProcAddress and MessageBox work with wide strings. */
int unicode_mode(void)
{
    TCHAR caption[] = TEXT("cetest");
    HMODULE module = LoadLibrary(TEXT("SChannel.dll"));
    SSL_CRACK_CERTIFICATE_FN crack;
    if (module == NULL || sizeof(TCHAR) != 2 || caption[0] != 'c') return 1;
    crack = (SSL_CRACK_CERTIFICATE_FN)GetProcAddress(module, SSL_CRACK_CERTIFICATE_NAME);
    if (crack == NULL) return 2;
    if (MessageBox(NULL, TEXT("unicode_mode: a box nobody sees"), caption, MB_OK) != IDOK) return 3;
    FreeLibrary(module);
    return 0;
}
