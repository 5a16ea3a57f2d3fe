/*
 * The C peer, the floor: a small client written directly against OpenSSL 3 with default settings
 * (SSL_set_fd, blocking socket), as a C programmer would write it.
 *
 *   bench-client-c HOST TLS_PORT SMTP_PORT CA.pem WORKLOAD SIZE
 * WORKLOAD is bulk (SIZE bytes each way), handshakes (SIZE handshakes), starttls (SIZE sessions),
 * lines (SIZE bytes of lines, read with a memchr line reader) or idle (SIZE open connections).
 * Prints one JSON object with the measurements.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include "common.h"

static SSL_CTX *ctx;
static struct sockaddr_in tls_addr, smtp_addr;

static void die(const char *what) {
    fprintf(stderr, "bench-client-c: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static double now(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
    struct rusage u; getrusage(RUSAGE_SELF, &u);
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static long rss_kb(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &pages, &resident) != 2) die("statm");
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int tcp_connect(struct sockaddr_in *a) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)a, sizeof *a) != 0) die("connect");
    return fd;
}

static SSL *tls_start(int fd) {
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    SSL_set1_host(ssl, "localhost");
    if (SSL_connect(ssl) != 1) die("SSL_connect");
    return ssl;
}

static void tls_close(SSL *ssl, int fd) {
    SSL_shutdown(ssl);
    SSL_free(ssl);
    close(fd);
}

static void write_all(SSL *ssl, const void *data, size_t n) {
    const char *p = data;
    while (n > 0) {
        size_t w = 0;
        if (!SSL_write_ex(ssl, p, n, &w)) die("SSL_write");
        p += w; n -= w;
    }
}

/* A buffered memchr line reader over SSL_read, as a C programmer would write one. */
struct reader { SSL *ssl; int fd; char buf[16384]; size_t start, end; };

/* Returns the line length without its terminator, -1 at EOF; *line points into the buffer. */
static long read_line(struct reader *r, char **line) {
    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        if (nl) {
            *line = r->buf + r->start;
            long len = nl - *line;
            r->start += (size_t)len + 1;
            if (len > 0 && (*line)[len - 1] == '\r') len--;
            return len;
        }
        if (r->start > 0) { memmove(r->buf, r->buf + r->start, r->end - r->start); r->end -= r->start; r->start = 0; }
        if (r->end == sizeof r->buf) die("line too long");
        size_t got = 0;
        if (r->ssl) { if (!SSL_read_ex(r->ssl, r->buf + r->end, sizeof r->buf - r->end, &got)) return -1; }
        else { ssize_t n = recv(r->fd, r->buf + r->end, sizeof r->buf - r->end, 0); if (n <= 0) return -1; got = (size_t)n; }
        r->end += got;
    }
}

/* Reads an SMTP reply (through the line whose fourth character is a space); returns its code. */
static int read_reply(struct reader *r) {
    char *line; long len;
    while ((len = read_line(r, &line)) >= 0) {
        if (len < 4) die("short reply");
        if (line[3] == ' ') return atoi(line);
    }
    die("connection closed during a reply");
    return 0;
}

static void send_plain(int fd, const char *s) { if (send(fd, s, strlen(s), MSG_NOSIGNAL) < 0) die("send"); }

int main(int argc, char **argv) {
    if (argc != 7) { fprintf(stderr, "usage: bench-client-c HOST TLS_PORT SMTP_PORT CA.pem WORKLOAD SIZE\n"); return 64; }
    signal(SIGPIPE, SIG_IGN);
    tls_addr.sin_family = smtp_addr.sin_family = AF_INET;
    inet_pton(AF_INET, argv[1], &tls_addr.sin_addr);
    smtp_addr.sin_addr = tls_addr.sin_addr;
    tls_addr.sin_port = htons((unsigned short)atoi(argv[2]));
    smtp_addr.sin_port = htons((unsigned short)atoi(argv[3]));
    const char *workload = argv[5];
    unsigned long long size = strtoull(argv[6], NULL, 10);

    ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx || SSL_CTX_load_verify_locations(ctx, argv[4], NULL) != 1) die("context");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);

    if (strcmp(workload, "bulk") == 0) {
        int fd = tcp_connect(&tls_addr);
        SSL *ssl = tls_start(fd);
        char *buf = malloc(BENCH_CHUNK);
        memset(buf, 'y', BENCH_CHUNK);
        double c0 = cpu_seconds(), t0 = now();
        char command[64];
        snprintf(command, sizeof command, "BULK %llu\n", size);
        write_all(ssl, command, strlen(command));
        for (unsigned long long sent = 0; sent < size;) {
            size_t n = size - sent < BENCH_CHUNK ? (size_t)(size - sent) : BENCH_CHUNK;
            write_all(ssl, buf, n);
            sent += n;
        }
        unsigned long long got = 0;
        while (got < size) {
            size_t n = 0;
            if (!SSL_read_ex(ssl, buf, BENCH_CHUNK, &n)) die("SSL_read");
            got += n;
        }
        double seconds = now() - t0, cpu = cpu_seconds() - c0;
        tls_close(ssl, fd);
        printf("{\"seconds\": %.6f, \"cpu\": %.6f, \"bytes\": %llu}\n", seconds, cpu, 2 * size);
    } else if (strcmp(workload, "handshakes") == 0) {
        int warm = tcp_connect(&tls_addr);
        tls_close(tls_start(warm), warm);
        double t0 = now();
        for (unsigned long long i = 0; i < size; i++) {
            int fd = tcp_connect(&tls_addr);
            tls_close(tls_start(fd), fd);
        }
        printf("{\"seconds\": %.6f, \"count\": %llu}\n", now() - t0, size);
    } else if (strcmp(workload, "starttls") == 0) {
        static struct reader r;
        int warm = tcp_connect(&tls_addr);
        tls_close(tls_start(warm), warm);
        double t0 = now();
        for (unsigned long long i = 0; i < size; i++) {
            int fd = tcp_connect(&smtp_addr);
            r.ssl = NULL; r.fd = fd; r.start = r.end = 0;
            if (read_reply(&r) != 220) die("banner");
            send_plain(fd, "EHLO client.localhost\r\n");
            if (read_reply(&r) != 250) die("EHLO");
            send_plain(fd, "STARTTLS\r\n");
            if (read_reply(&r) != 220) die("STARTTLS");
            if (r.start != r.end) die("plain text after the STARTTLS reply");
            r.ssl = tls_start(fd);
            write_all(r.ssl, "EHLO client.localhost\r\n", 23);
            if (read_reply(&r) != 250) die("EHLO over TLS");
            write_all(r.ssl, "QUIT\r\n", 6);
            if (read_reply(&r) != 221) die("QUIT");
            tls_close(r.ssl, fd);
        }
        printf("{\"seconds\": %.6f, \"count\": %llu}\n", now() - t0, size);
    } else if (strcmp(workload, "lines") == 0) {
        static struct reader r;
        r.fd = tcp_connect(&tls_addr);
        r.ssl = tls_start(r.fd);
        char command[64];
        snprintf(command, sizeof command, "LINES %llu\n", size);
        double t0 = now();
        write_all(r.ssl, command, strlen(command));
        unsigned long long bytes = 0, lines = 0, check = 0;
        char *line; long len;
        while ((len = read_line(&r, &line)) >= 0) {
            bytes += (unsigned long long)len + 2;
            lines++;
            check += len > 4 ? (unsigned char)line[4] : 0;
        }
        double seconds = now() - t0;
        tls_close(r.ssl, r.fd);
        printf("{\"seconds\": %.6f, \"bytes\": %llu, \"lines\": %llu, \"check\": %llu}\n", seconds, bytes, lines, check);
    } else if (strcmp(workload, "idle") == 0) {
        int fd = tcp_connect(&tls_addr);
        tls_close(tls_start(fd), fd);
        long before = rss_kb();
        SSL **ssls = calloc(size, sizeof *ssls);
        int *fds = calloc(size, sizeof *fds);
        for (unsigned long long i = 0; i < size; i++) {
            fds[i] = tcp_connect(&tls_addr);
            ssls[i] = tls_start(fds[i]);
            write_all(ssls[i], "IDLE\n", 5);
        }
        long after = rss_kb();
        for (unsigned long long i = 0; i < size; i++) tls_close(ssls[i], fds[i]);
        printf("{\"rss_before_kb\": %ld, \"rss_after_kb\": %ld, \"count\": %llu}\n", before, after, size);
    } else {
        die("unknown workload");
    }
    return 0;
}
