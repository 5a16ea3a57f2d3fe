/* Shared by the benchmark server and the C client: the wire protocol of the benchmark and the SMTP lines. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

/*
 * TLS port, after the handshake the client sends one command line:
 *   BULK <n>\n   client sends n bytes, then the server sends n bytes back; the client closes.
 *   LINES <n>\n  the server sends n bytes of CRLF-terminated SMTP reply lines, then close_notify.
 *   IDLE\n       nothing more until the client closes.
 * A client that closes right after the handshake (the handshake workload) sends no command.
 *
 * SMTP port: 220 banner, EHLO, STARTTLS, handshake, EHLO, QUIT, as an SMTP server would answer.
 */
#define BENCH_CHUNK (64 * 1024)

#define SMTP_BANNER "220 bench.localhost ESMTP ready\r\n"
#define SMTP_EHLO_PLAIN "250-bench.localhost Hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 OK\r\n"
#define SMTP_GO_AHEAD "220 2.0.0 Ready to start TLS\r\n"
#define SMTP_EHLO_TLS "250-bench.localhost Hello\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 OK\r\n"
#define SMTP_BYE "221 2.0.0 Bye\r\n"

#endif
