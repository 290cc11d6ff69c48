/*
 * udpsink: counts the datagrams and bytes arriving on 127.0.0.1:PORT until SIGINT/SIGTERM, then prints
 * "datagrams N bytes B". A receiver for bench/tee-throughput.sh; reads in batches with recvmmsg(2).
 *
 *   udpsink PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BATCH 64

static volatile sig_atomic_t stop;

static void on_signal(int s) { (void) s; stop = 1; }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s PORT\n", argv[0]); return 1; }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int buf = 64 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(fd, (struct sockaddr *) &a, sizeof a) != 0) { perror("bind"); return 1; }
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: the signal ends the blocking read */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    static char data[BATCH][65536];
    struct iovec iov[BATCH];
    struct mmsghdr m[BATCH];
    memset(m, 0, sizeof m);
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = data[i];
        iov[i].iov_len = sizeof data[i];
        m[i].msg_hdr.msg_iov = &iov[i];
        m[i].msg_hdr.msg_iovlen = 1;
    }
    unsigned long long datagrams = 0, bytes = 0;
    printf("listening\n");
    fflush(stdout);
    while (!stop) {
        int n = recvmmsg(fd, m, BATCH, MSG_WAITFORONE, NULL);
        for (int i = 0; i < n; i++) {
            datagrams++;
            bytes += m[i].msg_len;
        }
    }
    printf("datagrams %llu bytes %llu\n", datagrams, bytes);
    return 0;
}
