/*
 * The one server every benchmark client talks to: OpenSSL 3, TLS 1.3 only, TLS_AES_128_GCM_SHA256,
 * no session tickets and no session cache (every handshake is full), one thread per connection.
 *
 *   bench-server CERT_CHAIN.pem KEY.pem
 * Binds 127.0.0.1:0 twice and prints "PORTS <tls> <smtp>" on stdout, then serves until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include "common.h"

static SSL_CTX *ctx;
static char line_block[BENCH_CHUNK];
static size_t line_block_len;

static void die(const char *what) {
    fprintf(stderr, "bench-server: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static int listen_on_loopback(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4096) != 0) die("bind/listen");
    return fd;
}

static int port_of(int fd) {
    struct sockaddr_in a; socklen_t l = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &l);
    return ntohs(a.sin_port);
}

static int ssl_write_all(SSL *ssl, const void *data, size_t n) {
    const char *p = data;
    while (n > 0) {
        size_t w = 0;
        if (!SSL_write_ex(ssl, p, n, &w)) return 0;
        p += w; n -= w;
    }
    return 1;
}

/* Reads one line (through \n) from ssl or, when ssl is NULL, from fd; returns its length, 0 at EOF. */
static size_t read_line(int fd, SSL *ssl, char *buf, size_t cap, char *extra, size_t *extra_len) {
    size_t n = 0;
    *extra_len = 0;
    while (n < cap - 1) {
        ssize_t r;
        if (ssl) { size_t got = 0; r = SSL_read_ex(ssl, buf + n, cap - 1 - n, &got) ? (ssize_t)got : 0; }
        else { do r = recv(fd, buf + n, cap - 1 - n, 0); while (r < 0 && errno == EINTR); }
        if (r <= 0) return 0;
        char *nl = memchr(buf + n, '\n', (size_t)r);
        n += (size_t)r;
        if (nl) {
            size_t len = (size_t)(nl - buf) + 1;
            if (extra) { *extra_len = n - len; memcpy(extra, buf + len, *extra_len); }
            buf[len] = 0;
            return len;
        }
    }
    return 0;
}

static void drain_until_close(SSL *ssl) {
    char b[4096]; size_t got;
    while (SSL_read_ex(ssl, b, sizeof b, &got)) {}
}

static void serve_tls(int fd) {
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) goto done;
    char *leftover = malloc(BENCH_CHUNK);
    char line[256]; size_t extra_len = 0;
    if (read_line(fd, ssl, line, sizeof line, leftover, &extra_len) == 0) { free(leftover); goto done; }
    unsigned long long n = 0;
    if (sscanf(line, "BULK %llu", &n) == 1) {
        char *buf = malloc(BENCH_CHUNK);
        unsigned long long got = extra_len;
        while (got < n) {
            size_t r = 0;
            if (!SSL_read_ex(ssl, buf, BENCH_CHUNK, &r)) break;
            got += r;
        }
        memset(buf, 'x', BENCH_CHUNK);
        for (unsigned long long sent = 0; got >= n && sent < n;) {
            size_t w = n - sent < BENCH_CHUNK ? (size_t)(n - sent) : BENCH_CHUNK;
            if (!ssl_write_all(ssl, buf, w)) break;
            sent += w;
        }
        free(buf);
        drain_until_close(ssl);
    } else if (sscanf(line, "LINES %llu", &n) == 1) {
        unsigned long long sent = 0;
        while (sent < n && ssl_write_all(ssl, line_block, line_block_len)) sent += line_block_len;
        SSL_shutdown(ssl);
        drain_until_close(ssl);
    } else if (strncmp(line, "IDLE", 4) == 0) {
        drain_until_close(ssl);
    }
    free(leftover);
done:
    SSL_shutdown(ssl);
    SSL_free(ssl);
}

static int send_text(int fd, SSL *ssl, const char *s) {
    size_t n = strlen(s);
    if (ssl) return ssl_write_all(ssl, s, n);
    return send(fd, s, n, MSG_NOSIGNAL) == (ssize_t)n;
}

static void serve_smtp(int fd) {
    char line[512]; size_t extra = 0;
    SSL *ssl = NULL;
    if (!send_text(fd, NULL, SMTP_BANNER)) return;
    if (!read_line(fd, NULL, line, sizeof line, NULL, &extra) || strncasecmp(line, "EHLO", 4) != 0) return;
    if (!send_text(fd, NULL, SMTP_EHLO_PLAIN)) return;
    if (!read_line(fd, NULL, line, sizeof line, NULL, &extra) || strncasecmp(line, "STARTTLS", 8) != 0) return;
    if (!send_text(fd, NULL, SMTP_GO_AHEAD)) return;
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) goto done;
    while (read_line(fd, ssl, line, sizeof line, NULL, &extra)) {
        if (strncasecmp(line, "EHLO", 4) == 0) { if (!send_text(fd, ssl, SMTP_EHLO_TLS)) break; }
        else if (strncasecmp(line, "QUIT", 4) == 0) { send_text(fd, ssl, SMTP_BYE); SSL_shutdown(ssl); break; }
        else if (!send_text(fd, ssl, "500 5.5.1 Unknown command\r\n")) break;
    }
done:
    SSL_free(ssl);
}

struct job { int fd; int smtp; };

static void *connection_thread(void *arg) {
    struct job job = *(struct job *)arg;
    free(arg);
    int one = 1;
    setsockopt(job.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (job.smtp) serve_smtp(job.fd); else serve_tls(job.fd);
    ERR_clear_error();
    close(job.fd);
    return NULL;
}

static void *accept_loop(void *arg) {
    int listener = (int)(long)arg;
    int smtp = listener < 0;
    if (smtp) listener = -listener;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) { if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE) continue; die("accept"); }
        struct job *job = malloc(sizeof *job);
        job->fd = fd; job->smtp = smtp;
        pthread_t t;
        if (pthread_create(&t, &attr, connection_thread, job) != 0) { close(fd); free(job); }
    }
    return NULL;
}

/* SMTP-style reply lines of varied lengths, whole lines only, to fill one block. */
static void build_line_block(void) {
    static const char *words[] = { "mail", "relay", "queue", "accepted", "message", "bench", "localhost", "status", "ok", "delivery" };
    size_t used = 0;
    unsigned seed = 1;
    for (int i = 0;; i++) {
        char l[200];
        int len = snprintf(l, sizeof l, "250-%05d", i % 100000);
        seed = seed * 1103515245u + 12345u;
        int nwords = 2 + (int)((seed >> 16) % 14);
        for (int w = 0; w < nwords; w++) len += snprintf(l + len, sizeof l - len, " %s", words[(seed >> (w % 16)) % 10]);
        len += snprintf(l + len, sizeof l - len, "\r\n");
        if (used + (size_t)len > sizeof line_block) break;
        memcpy(line_block + used, l, (size_t)len);
        used += (size_t)len;
    }
    line_block_len = used;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: bench-server CERT_CHAIN.pem KEY.pem\n"); return 64; }
    signal(SIGPIPE, SIG_IGN);
    ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) die("SSL_CTX_new");
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
    if (!SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256")) die("ciphersuites");
    if (SSL_CTX_use_certificate_chain_file(ctx, argv[1]) != 1) die("certificate");
    if (SSL_CTX_use_PrivateKey_file(ctx, argv[2], SSL_FILETYPE_PEM) != 1) die("key");
    SSL_CTX_set_num_tickets(ctx, 0);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    build_line_block();
    int tls = listen_on_loopback(), smtp = listen_on_loopback();
    printf("PORTS %d %d %zu\n", port_of(tls), port_of(smtp), line_block_len);
    fflush(stdout);
    pthread_t t;
    pthread_create(&t, NULL, accept_loop, (void *)(long)tls);
    accept_loop((void *)(long)-smtp);
    return 0;
}
