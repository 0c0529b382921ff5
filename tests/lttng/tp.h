/* A tracepoint provider using every LTTng-UST 2.13 field macro, for the real-trace differential test. */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ttng_real
#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./tp.h"
#if !defined(TTNG_REAL_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define TTNG_REAL_TP_H
#include <lttng/tracepoint.h>
#include <stdint.h>
#include <stddef.h>

LTTNG_UST_TRACEPOINT_ENUM(ttng_real, state,
  LTTNG_UST_TP_ENUM_VALUES(
    lttng_ust_field_enum_value("IDLE", 0)
    lttng_ust_field_enum_range("BUSY", 1, 5)
    lttng_ust_field_enum_value("OVERLAP", 3)
    lttng_ust_field_enum_auto("NEXT")))

LTTNG_UST_TRACEPOINT_EVENT(ttng_real, everything,
  LTTNG_UST_TP_ARGS(int, n, const char *, s, double, d),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_integer(int8_t, i8, (int8_t)(n * 37))
    lttng_ust_field_integer(uint8_t, u8, (uint8_t)(n * 37))
    lttng_ust_field_integer(int16_t, i16, (int16_t)(n * -1237))
    lttng_ust_field_integer(uint16_t, u16, (uint16_t)(n * 1237))
    lttng_ust_field_integer(int32_t, i32, n * -123457)
    lttng_ust_field_integer(uint32_t, u32, (uint32_t)n * 2654435761u)
    lttng_ust_field_integer(int64_t, i64, (int64_t)n * -6700417LL * 1000003LL)
    lttng_ust_field_integer(uint64_t, u64, (uint64_t)n * 11400714819323198485ull)
    lttng_ust_field_integer_hex(uint32_t, hex32, (uint32_t)n * 0xdeadbeefu)
    lttng_ust_field_integer_hex(int16_t, hex16neg, (int16_t)-n)
    lttng_ust_field_integer_network(uint32_t, net32, (uint32_t)n)
    lttng_ust_field_integer_network_hex(uint16_t, net16hex, (uint16_t)(n * 3))
    lttng_ust_field_float(float, f32, (float)d)
    lttng_ust_field_float(double, f64, d * 1e300)
    lttng_ust_field_string(str, s)
    lttng_ust_field_array(int32_t, arr, ((int32_t[3]){ n, -n, n * n }), 3)
    lttng_ust_field_array_text(char, arrtext, s, 4)
    lttng_ust_field_sequence(uint16_t, seq, ((uint16_t[5]){ 1, 2, 3, 4, 5 }), size_t, (size_t)(n % 6))
    /* Never empty: babeltrace2 2.0.4 prints an earlier event's text for an empty text sequence (fixed in 2.1). */
    lttng_ust_field_sequence_text(char, seqtext, s, unsigned int, (unsigned int)(n % 4 + 1))
    lttng_ust_field_enum(ttng_real, state, int, st, n % 8)
  ))

LTTNG_UST_TRACEPOINT_EVENT(ttng_real, small,
  LTTNG_UST_TP_ARGS(int, n),
  LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int, n, n)))

LTTNG_UST_TRACEPOINT_LOGLEVEL(ttng_real, small, LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_LINE)

#endif
#include <lttng/tracepoint-event.h>
