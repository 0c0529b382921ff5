/*
 * Times N calls of one LTTng-UST tracepoint and prints the best ns/call over
 * several rounds (the first round only warms up). Run once with the event
 * disabled and once per filter with the event enabled under a filter that
 * rejects every call: the difference is what LTTng-UST spends per event on
 * the probe and its bytecode interpreter.
 *
 * The values change every call exactly as bench/filter/run.mjs changes them
 * for ttng: v = i & 0x7fff (never < 0), arr[2] = ((i & 0xf) << 4) | 4 (its low
 * nibble is never 3), name fixed (never matches a*b*c).
 *
 * usage: filter-bench N ROUNDS NAME
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "tp.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s N ROUNDS NAME\n", argv[0]);
		return 2;
	}
	long n = atol(argv[1]);
	int rounds = atoi(argv[2]);
	const char *name = argv[3];
	uint8_t arr[4] = { 1, 2, 4, 8 };
	double best = -1;
	for (int r = 0; r <= rounds; r++) {
		double t0 = now_ns();
		for (long i = 0; i < n; i++) {
			arr[2] = (uint8_t) (((i & 0xf) << 4) | 4);
			lttng_ust_tracepoint(ttng_bench, ev, (int64_t) (i & 0x7fff), arr, name);
		}
		double per = (now_ns() - t0) / (double) n;
		if (r > 0 && (best < 0 || per < best))
			best = per;
	}
	printf("%.3f\n", best);
	return 0;
}
