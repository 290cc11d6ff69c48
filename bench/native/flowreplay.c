/*
 * flowreplay: sends a recorded NetFlow v5/v9/IPFIX or sFlow v5 stream to a collector on loopback, in a loop, at a
 * given rate of flow records (sFlow: flow samples) per second (or flat out), in batches with sendmmsg(2). Sequence
 * numbers are rewritten so the looped stream looks continuous: v5 counts flows, v9 packets, IPFIX data records,
 * sFlow datagrams.
 *
 *   flowreplay STREAM PORT SOURCE_IP RECORDS_PER_SECOND SECONDS
 *
 * STREAM holds the datagrams as [u16 length][u16 records][payload], both big-endian (bench's RecordStream
 * writes it). Prints: datagrams, records sent and the achieved rate. Loopback destinations only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_DATAGRAMS 1000000

struct datagram {
    uint8_t *bytes;
    uint16_t len;
    uint16_t records;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void put32(uint8_t *p, uint32_t v) {
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s STREAM PORT SOURCE_IP RECORDS_PER_SECOND SECONDS\n", argv[0]);
        return 2;
    }
    double rate = atof(argv[4]);
    double seconds = atof(argv[5]);
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    struct datagram *d = calloc(MAX_DATAGRAMS, sizeof *d);
    size_t n = 0;
    uint8_t head[4];
    while (n < MAX_DATAGRAMS && fread(head, 1, 4, f) == 4) {
        d[n].len = head[0] << 8 | head[1];
        d[n].records = head[2] << 8 | head[3];
        d[n].bytes = malloc(d[n].len);
        if (fread(d[n].bytes, 1, d[n].len, f) != d[n].len) { fprintf(stderr, "stream cut short\n"); return 1; }
        n++;
    }
    fclose(f);
    if (n == 0) { fprintf(stderr, "empty stream\n"); return 1; }

    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in src = {.sin_family = AF_INET};
    if (inet_pton(AF_INET, argv[3], &src.sin_addr) != 1 || (ntohl(src.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "source must be a 127.0.0.0/8 address\n");
        return 1;
    }
    if (bind(s, (struct sockaddr *) &src, sizeof src) != 0) { perror("bind"); return 1; }
    int sndbuf = 16 << 20;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (struct sockaddr *) &dst, sizeof dst) != 0) { perror("connect"); return 1; }

    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    uint8_t *bufs[BATCH];
    for (int i = 0; i < BATCH; i++) bufs[i] = malloc(65536);
    uint32_t seq5 = 0, seq9 = 0, seq10 = 0, seqsf = 0;
    unsigned long long datagrams = 0, records = 0, refused = 0;
    size_t next = 0;
    double start = now(), end = start + seconds;
    while (1) {
        double t = now();
        if (t >= end) break;
        if (rate > 0) { /* stay on the schedule: records sent so far against the rate */
            double due = start + records / rate;
            if (due > t) {
                struct timespec ts = {0, (long) ((due - t) * 1e9)};
                if (due - t > 0.0001) nanosleep(&ts, NULL);
                continue;
            }
        }
        int k = 0;
        for (; k < BATCH; k++) {
            struct datagram *g = &d[next];
            next = (next + 1) % n;
            memcpy(bufs[k], g->bytes, g->len);
            int version = bufs[k][0] << 8 | bufs[k][1];
            if (version == 0 && g->len >= 32 && bufs[k][2] == 0 && bufs[k][3] == 5) {
                /* sFlow v5: version, agent address (type 1: 4 bytes, 2: 16), sub-agent id, then the sequence */
                put32(bufs[k] + (bufs[k][7] == 2 ? 28 : 16), ++seqsf);
            } else if (version == 5 && g->len >= 24) { put32(bufs[k] + 16, seq5); seq5 += g->records; }
            else if (version == 9 && g->len >= 20) { put32(bufs[k] + 12, seq9); seq9 += 1; }
            else if (version == 10 && g->len >= 16) { put32(bufs[k] + 8, seq10); seq10 += g->records; }
            iov[k].iov_base = bufs[k];
            iov[k].iov_len = g->len;
            memset(&msgs[k].msg_hdr, 0, sizeof msgs[k].msg_hdr);
            msgs[k].msg_hdr.msg_iov = &iov[k];
            msgs[k].msg_hdr.msg_iovlen = 1;
            records += g->records;
            if (rate > 0 && records >= (now() - start) * rate + 64 * 30) { k++; break; }
        }
        int sent = 0;
        while (sent < k) {
            int r = sendmmsg(s, msgs + sent, k - sent, 0);
            if (r < 0 && errno == ECONNREFUSED) { refused++; continue; } /* nothing listening (yet) */
            if (r < 0) { perror("sendmmsg"); return 1; }
            sent += r;
        }
        datagrams += k;
    }
    double took = now() - start;
    printf("datagrams %llu records %llu seconds %.2f rate %.0f refused %llu\n", datagrams, records, took, records / took,
           refused);
    return 0;
}
