/* Tracepoint provider of the filter benchmark: the three fields the benchmark's filters read. */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ttng_bench
#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./tp.h"
#if !defined(TTNG_BENCH_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define TTNG_BENCH_TP_H
#include <lttng/tracepoint.h>
#include <stdint.h>
LTTNG_UST_TRACEPOINT_EVENT(ttng_bench, ev,
  LTTNG_UST_TP_ARGS(int64_t, v, const uint8_t *, arr, const char *, name),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_integer(int64_t, v, v)
    lttng_ust_field_array(uint8_t, arr, arr, 4)
    lttng_ust_field_string(name, name)
  ))
#endif
#include <lttng/tracepoint-event.h>
