// Shims used by the certificate model (WinsockSSL/TLS/Certificate.swift) and the test certificate
// authority (WinsockSSLTesting/TestCertificateAuthority.swift).
#ifndef WINSOCKSSL_COPENSSL_SHIM_CERTIFICATES_H
#define WINSOCKSSL_COPENSSL_SHIM_CERTIFICATES_H

// sk_GENERAL_NAME_new_null
static inline STACK_OF(GENERAL_NAME) *shim_sk_GENERAL_NAME_new_null(void) { return sk_GENERAL_NAME_new_null(); }
// sk_GENERAL_NAME_push
static inline int shim_sk_GENERAL_NAME_push(STACK_OF(GENERAL_NAME) *stack, GENERAL_NAME *name) { return sk_GENERAL_NAME_push(stack, name); }
// EVP_RSA_gen (a macro over the variadic EVP_PKEY_Q_keygen, which Swift cannot call)
static inline EVP_PKEY *shim_EVP_RSA_gen(unsigned int bits) { return EVP_RSA_gen(bits); }
// EVP_EC_gen (a macro over the variadic EVP_PKEY_Q_keygen, which Swift cannot call)
static inline EVP_PKEY *shim_EVP_EC_gen(const char *curve) { return EVP_EC_gen(curve); }
// BIO_get_mem_data
static inline long shim_BIO_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

#endif
