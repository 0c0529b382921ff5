/*
 * The LTTng-UST half of tests/tracer-lttng-equivalence.test.mjs: emits ROWS
 * rows of ttng_eq events (equivalence-tp.h), lttng_ust_tracef and
 * lttng_ust_tracelog from the main thread, argv[1] times (default 1). The values
 * are the tables of equivalence-app.mjs, in the same order; change both
 * together.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "equivalence-tp.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#define ROWS 5

/* equivalence-log.c: tracef and tracelog (their headers cannot share a file with LTTNG_UST_TRACEPOINT_DEFINE). */
void log_row(int i, const char *text, int with_tracelog);

static const uint8_t U8[ROWS] = { 0, 1, 127, 128, 255 };
static const int8_t S8[ROWS] = { 0, -1, 127, -128, 5 };
static const uint16_t U16[ROWS] = { 0, 1, 32767, 32768, 65535 };
static const int16_t S16[ROWS] = { 0, -1, 32767, -32768, 1234 };
static const uint32_t U32[ROWS] = { 0, 1, 2147483647u, 2147483648u, 4294967295u };
static const int32_t S32[ROWS] = { 0, -1, 2147483647, -2147483647 - 1, 123456 };
static const uint64_t U64[ROWS] = { 0, 1, 9007199254740993ull, 9223372036854775808ull, 18446744073709551615ull };
static const int64_t S64[ROWS] = { 0, -1, 9223372036854775807ll, -9223372036854775807ll - 1, -9007199254740993ll };

static const uint32_t HEX32[ROWS] = { 0, 0xdeadbeefu, 0xffffffffu, 1, 0x80000000u };
static const int16_t HEX16[ROWS] = { 0, -1, -32768, 0x7fff, -2 };
static const uint32_t NET32[ROWS] = { 0, 1, 0x12345678u, 0xffffffffu, 256 };
static const uint16_t NETHEX16[ROWS] = { 0, 0xbeef, 1, 0xffff, 0x100 };
static const uint64_t HEX64[ROWS] = { 0, 0xdeadbeefcafebabeull, 0xffffffffffffffffull, 1, 0x8000000000000000ull };

static const double F32[ROWS] = { 0, -1.5, 3.4028234663852886e38, 1.0 / 3.0, 1e-40 };
static const double F64[ROWS] = { 0, 1e300, 1.0 / 3.0, -2.5e-308, -0.0 };

static const char *STR1[ROWS] = { "", "hello", "caf\xc3\xa9 \xe2\x98\x95", "tab\there",
                                  "quote\"s\\ and a longer string of ascii characters to copy" };
static const char *STR2[ROWS] = { "x", "", "na\xc3\xafve", "/index", "ctl\x01\x7f" };

static const char *TEXT[ROWS] = { "abcdef", "wxyz12", "ABCDEF", "012345", "qrstuv" };
static const uint16_t SEQ[5] = { 1, 2, 3, 4, 5 };

static const int STATE[ROWS] = { 0, 3, 6, 150, 42 };
static const uint8_t COLOR[ROWS] = { 0, 1, 2, 2, 7 };

int main(int argc, char **argv)
{
	int repeat = argc > 1 ? atoi(argv[1]) : 1;
	/*
	 * babeltrace2 2.0.4 prints an empty string as the last non-empty one its
	 * decoder saw, which over many packets depends on where packets begin:
	 * repeated rows use "-" instead.
	 */
	if (repeat > 1)
		STR1[0] = STR2[1] = "-";
	for (int k = 0; k < repeat * ROWS; k++) {
		int i = k % ROWS;
		int32_t arr[3] = { i, -i, i * i * 1000 - 7 };
		uint8_t harr[4] = { (uint8_t) i, 0xff, (uint8_t) (0x10 * i), 0 };
		lttng_ust_tracepoint(ttng_eq, ints, U8[i], S8[i], U16[i], S16[i], U32[i], S32[i], U64[i], S64[i]);
		/* LTTng-UST's _network fields take values already in network byte order. */
		lttng_ust_tracepoint(ttng_eq, bases, HEX32[i], HEX16[i], htonl(NET32[i]), htons(NETHEX16[i]), HEX64[i],
				     (uint32_t) i);
		lttng_ust_tracepoint(ttng_eq, floats, (float) F32[i], F64[i]);
		lttng_ust_tracepoint(ttng_eq, strings, STR1[i], STR2[i]);
		lttng_ust_tracepoint(ttng_eq, arrays, arr, harr, SEQ, (unsigned int) i, TEXT[i], (unsigned int) (i + 1));
		lttng_ust_tracepoint(ttng_eq, enums, STATE[i], COLOR[i]);
		lttng_ust_tracepoint(ttng_eq, small, (uint32_t) i * 1000003u);
		/* tracelog records its call site (file, func): in one packet only, where the test can account for it. */
		log_row(i, TEXT[i], repeat == 1);
	}
	puts("done");
	return 0;
}
