/*
 * LTTng-UST 2.13 provider for bench/tracer: the events bench/tracer/run.mjs
 * declares with @ttng/tracer (same names, field types and values).
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ttng_bench
#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./tp.h"
#if !defined(TTNG_BENCH_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define TTNG_BENCH_TP_H
#include <lttng/tracepoint.h>
#include <stdint.h>

LTTNG_UST_TRACEPOINT_ENUM(ttng_bench, state,
  LTTNG_UST_TP_ENUM_VALUES(
    lttng_ust_field_enum_value("IDLE", 0)
    lttng_ust_field_enum_range("BUSY", 1, 5)
    lttng_ust_field_enum_value("DONE", 6)))

LTTNG_UST_TRACEPOINT_EVENT(ttng_bench, int1,
  LTTNG_UST_TP_ARGS(int32_t, v),
  LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int32_t, v, v)))

LTTNG_UST_TRACEPOINT_EVENT(ttng_bench, four,
  LTTNG_UST_TP_ARGS(uint32_t, status, int64_t, id, double, ms, const char *, path),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_integer(uint32_t, status, status)
    lttng_ust_field_integer(int64_t, id, id)
    lttng_ust_field_float(double, duration_ms, ms)
    lttng_ust_field_string(path, path)))

/* At most 10 tracepoint arguments: the integer and float fields derive from i in the probe. */
LTTNG_UST_TRACEPOINT_EVENT(ttng_bench, eleven,
  LTTNG_UST_TP_ARGS(long, i, const char *, s, const int32_t *, arr, const uint16_t *, seq),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_integer(uint8_t, a, (uint8_t) (i & 0xff))
    lttng_ust_field_integer(int16_t, b, (int16_t) (i & 0x7fff))
    lttng_ust_field_integer(uint32_t, c, (uint32_t) i)
    lttng_ust_field_integer(int64_t, d, (int64_t) i)
    lttng_ust_field_integer_hex(uint64_t, e, (uint64_t) i)
    lttng_ust_field_float(float, f, (float) ((double) i * 0.5))
    lttng_ust_field_float(double, g, (double) i * 0.25)
    lttng_ust_field_string(s, s)
    lttng_ust_field_array(int32_t, arr, arr, 3)
    lttng_ust_field_sequence(uint16_t, seq, seq, unsigned int, 4)
    lttng_ust_field_enum(ttng_bench, state, int, st, (int) (i & 7))))

#endif
#include <lttng/tracepoint-event.h>
