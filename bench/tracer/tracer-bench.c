/*
 * Times N calls of one LTTng-UST tracepoint (or of an empty loop) with
 * clock_gettime(CLOCK_MONOTONIC) and prints the best ns/call over ROUNDS
 * rounds, after one warm-up round: every round's events are recorded when
 * the event is enabled, so a trace holds N * (ROUNDS + 1) events.
 * The arguments change every call exactly as bench/tracer/run.mjs changes
 * them for @ttng/tracer.
 *
 * usage: tracer-bench empty|int1|four|eleven N ROUNDS
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "tp.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

static const char *PATH = "/index.html";
static const char *TEXT = "hello world";
static const int32_t ARR[3] = { 1, -2, 3 };
static const uint16_t SEQ[4] = { 10, 20, 30, 40 };

static void run_empty(long n)
{
	for (long i = 0; i < n; i++)
		__asm__ volatile("" : : "r"(i) : "memory");
}

static void run_int1(long n)
{
	for (long i = 0; i < n; i++)
		lttng_ust_tracepoint(ttng_bench, int1, (int32_t) i);
}

static void run_four(long n)
{
	for (long i = 0; i < n; i++)
		lttng_ust_tracepoint(ttng_bench, four, (uint32_t) i, (int64_t) i, (double) i * 0.5, PATH);
}

static void run_eleven(long n)
{
	for (long i = 0; i < n; i++)
		lttng_ust_tracepoint(ttng_bench, eleven, i, TEXT, ARR, SEQ);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s empty|int1|four|eleven N ROUNDS\n", argv[0]);
		return 2;
	}
	void (*run)(long);
	if (!strcmp(argv[1], "empty"))
		run = run_empty;
	else if (!strcmp(argv[1], "int1"))
		run = run_int1;
	else if (!strcmp(argv[1], "four"))
		run = run_four;
	else if (!strcmp(argv[1], "eleven"))
		run = run_eleven;
	else {
		fprintf(stderr, "unknown case %s\n", argv[1]);
		return 2;
	}
	long n = atol(argv[2]);
	int rounds = atoi(argv[3]);
	double best = -1;
	for (int r = 0; r <= rounds; r++) {
		double t0 = now_ns();
		run(n);
		double per = (now_ns() - t0) / (double) n;
		if (r > 0 && (best < 0 || per < best))
			best = per;
	}
	printf("%.3f\n", best);
	return 0;
}
