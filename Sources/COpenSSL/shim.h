// The OpenSSL headers Swift imports, plus one-line functions for the macros it cannot import.
// Each shim is named after the macro it stands for, prefixed with `shim_`.
#ifndef WINSOCKSSL_COPENSSL_SHIM_H
#define WINSOCKSSL_COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

// SSL_set_tlsext_host_name
static inline int shim_SSL_set_tlsext_host_name(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }
// SSL_CTX_set_min_proto_version
static inline int shim_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) { return (int)SSL_CTX_set_min_proto_version(ctx, version); }
// SSL_CTX_set_max_proto_version
static inline int shim_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) { return (int)SSL_CTX_set_max_proto_version(ctx, version); }
// SSL_set_min_proto_version
static inline int shim_SSL_set_min_proto_version(SSL *ssl, int version) { return (int)SSL_set_min_proto_version(ssl, version); }
// SSL_set_max_proto_version
static inline int shim_SSL_set_max_proto_version(SSL *ssl, int version) { return (int)SSL_set_max_proto_version(ssl, version); }
// SSL_CTX_set_mode
static inline long shim_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
// SSL_CTX_set_read_ahead
static inline void shim_SSL_CTX_set_read_ahead(SSL_CTX *ctx, int yes) { SSL_CTX_set_read_ahead(ctx, yes); }
// SSL_get_ex_new_index
static inline int shim_SSL_get_ex_new_index(void) { return SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL); }
// SSL_get_peer_tmp_key
static inline long shim_SSL_get_peer_tmp_key(SSL *ssl, EVP_PKEY **key) { return SSL_get_peer_tmp_key(ssl, key); }
// OPENSSL_free
static inline void shim_OPENSSL_free(void *pointer) { OPENSSL_free(pointer); }
// sk_X509_num
static inline int shim_sk_X509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
// sk_X509_value
static inline X509 *shim_sk_X509_value(const STACK_OF(X509) *stack, int index) { return sk_X509_value(stack, index); }
// sk_X509_pop_free(stack, X509_free)
static inline void shim_sk_X509_pop_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }
// sk_GENERAL_NAME_num
static inline int shim_sk_GENERAL_NAME_num(const STACK_OF(GENERAL_NAME) *stack) { return sk_GENERAL_NAME_num(stack); }
// sk_GENERAL_NAME_value
static inline GENERAL_NAME *shim_sk_GENERAL_NAME_value(const STACK_OF(GENERAL_NAME) *stack, int index) { return sk_GENERAL_NAME_value(stack, index); }
// GENERAL_NAMES_free is a function, but the stack returned by X509_get_ext_d2i is typed void*.
static inline void shim_GENERAL_NAMES_free(void *names) { GENERAL_NAMES_free((GENERAL_NAMES *)names); }

// BIO_set_retry_read
static inline void shim_BIO_set_retry_read(BIO *bio) { BIO_set_retry_read(bio); }
// BIO_set_retry_write
static inline void shim_BIO_set_retry_write(BIO *bio) { BIO_set_retry_write(bio); }
// BIO_clear_retry_flags
static inline void shim_BIO_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }

// The SSL_OP_* option bits are macros of a 64-bit type Swift imports inconsistently.
static inline uint64_t shim_SSL_OP_NO_COMPRESSION(void) { return SSL_OP_NO_COMPRESSION; }
static inline uint64_t shim_SSL_OP_NO_RENEGOTIATION(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline uint64_t shim_SSL_OP_IGNORE_UNEXPECTED_EOF(void) { return SSL_OP_IGNORE_UNEXPECTED_EOF; }

#include "shim_certificates.h"
#include "shim_testing.h"

#endif
