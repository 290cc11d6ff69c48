/*
 * blast: sends the frames of a pcap file out of an interface as fast as possible (or at a given rate), in
 * batches with sendmmsg(2) on an AF_PACKET socket. A load generator for live-capture benchmarks on a veth.
 *
 *   blast IFACE FILE.pcap COUNT [PPS]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s IFACE FILE.pcap COUNT [PPS]\n", argv[0]);
        return 2;
    }
    const char *ifname = argv[1];
    long count = atol(argv[3]);
    double pps = argc > 4 ? atof(argv[4]) : 0;

    FILE *f = fopen(argv[2], "rb");
    if (!f) { perror(argv[2]); return 1; }
    uint32_t gh[6];
    if (fread(gh, 4, 6, f) != 6 || gh[0] != 0xa1b2c3d4) {
        fprintf(stderr, "%s: expected a little-endian microsecond pcap\n", argv[2]);
        return 1;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char **frames = malloc(cap * sizeof(*frames));
    size_t *lens = malloc(cap * sizeof(*lens));
    uint32_t rh[4];
    while (n < cap && fread(rh, 4, 4, f) == 4) {
        frames[n] = malloc(rh[2]);
        if (fread(frames[n], 1, rh[2], f) != rh[2]) break;
        lens[n++] = rh[2];
    }
    fclose(f);
    if (n == 0) { fprintf(stderr, "no frames\n"); return 1; }

    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) { perror("socket"); return 1; }
    int one = 1;
    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
    int sndbuf = 64 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
    struct sockaddr_ll sll = {0};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = if_nametoindex(ifname);
    if (!sll.sll_ifindex) { fprintf(stderr, "%s: no such interface\n", ifname); return 1; }
    if (bind(fd, (struct sockaddr *) &sll, sizeof(sll)) < 0) { perror("bind"); return 1; }

    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    memset(msgs, 0, sizeof(msgs));
    long sent = 0, failed = 0;
    size_t next = 0;
    double start = now();
    while (sent + failed < count) {
        int b = 0;
        for (; b < BATCH && sent + failed + b < count; b++) {
            iov[b].iov_base = frames[next];
            iov[b].iov_len = lens[next];
            msgs[b].msg_hdr.msg_iov = &iov[b];
            msgs[b].msg_hdr.msg_iovlen = 1;
            next = (next + 1) % n;
        }
        int r = sendmmsg(fd, msgs, b, 0);
        if (r < 0) { failed += b; continue; }
        sent += r;
        failed += b - r;
        if (pps > 0) {
            double due = start + (sent + failed) / pps;
            double t = now();
            if (due > t) usleep((useconds_t) ((due - t) * 1e6));
        }
    }
    double secs = now() - start;
    printf("sent %ld failed %ld in %.3f s: %.0f pps\n", sent, failed, secs, sent / secs);
    return failed ? 3 : 0;
}
