/*
 * LTTng-UST 2.13 provider for tests/tracer-lttng-equivalence.test.mjs: the same
 * events, field names, field types and log levels as equivalence-app.mjs
 * declares with @ttng/tracer. Change both together.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ttng_eq
#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./equivalence-tp.h"
#if !defined(TTNG_EQ_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define TTNG_EQ_TP_H
#include <lttng/tracepoint.h>
#include <stdint.h>
#include <stddef.h>

LTTNG_UST_TRACEPOINT_ENUM(ttng_eq, state,
  LTTNG_UST_TP_ENUM_VALUES(
    lttng_ust_field_enum_value("IDLE", 0)
    lttng_ust_field_enum_range("BUSY", 1, 5)
    lttng_ust_field_enum_value("DONE", 6)
    lttng_ust_field_enum_range("FAILED", 100, 199)))

LTTNG_UST_TRACEPOINT_ENUM(ttng_eq, color,
  LTTNG_UST_TP_ENUM_VALUES(
    lttng_ust_field_enum_value("RED", 0)
    lttng_ust_field_enum_value("GREEN", 1)
    lttng_ust_field_enum_value("BLUE", 2)))

/* Integers of each size and signedness. */
LTTNG_UST_TRACEPOINT_EVENT(ttng_eq, ints,
  LTTNG_UST_TP_ARGS(uint8_t, u8v, int8_t, s8v, uint16_t, u16v, int16_t, s16v,
                    uint32_t, u32v, int32_t, s32v, uint64_t, u64v, int64_t, s64v),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_integer(uint8_t, u8, u8v)
    lttng_ust_field_integer(int8_t, s8, s8v)
    lttng_ust_field_integer(uint16_t, u16, u16v)
    lttng_ust_field_integer(int16_t, s16, s16v)
    lttng_ust_field_integer(uint32_t, u32, u32v)
    lttng_ust_field_integer(int32_t, s32, s32v)
    lttng_ust_field_integer(uint64_t, u64, u64v)
    lttng_ust_field_integer(int64_t, s64, s64v)))
LTTNG_UST_TRACEPOINT_LOGLEVEL(ttng_eq, ints, LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO)

/* Display bases and network byte order; one field used by filters only. */
LTTNG_UST_TRACEPOINT_EVENT(ttng_eq, bases,
  LTTNG_UST_TP_ARGS(uint32_t, a, int16_t, b, uint32_t, c, uint16_t, d, uint64_t, e, uint32_t, f),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_integer_hex(uint32_t, hex32, a)
    lttng_ust_field_integer_hex(int16_t, hex16, b)
    lttng_ust_field_integer_network(uint32_t, net32, c)
    lttng_ust_field_integer_network_hex(uint16_t, nethex16, d)
    lttng_ust_field_integer_hex(uint64_t, hex64, e)
    lttng_ust_field_integer_nowrite(uint32_t, hidden, f)))
LTTNG_UST_TRACEPOINT_LOGLEVEL(ttng_eq, bases, LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING)

LTTNG_UST_TRACEPOINT_EVENT(ttng_eq, floats,
  LTTNG_UST_TP_ARGS(float, a, double, b),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_float(float, f32, a)
    lttng_ust_field_float(double, f64, b)))
LTTNG_UST_TRACEPOINT_LOGLEVEL(ttng_eq, floats, LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG)

LTTNG_UST_TRACEPOINT_EVENT(ttng_eq, strings,
  LTTNG_UST_TP_ARGS(const char *, a, const char *, b),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_string(first, a)
    lttng_ust_field_string(second, b)))

/* Arrays and sequences of integers; text arrays and text sequences. */
LTTNG_UST_TRACEPOINT_EVENT(ttng_eq, arrays,
  LTTNG_UST_TP_ARGS(const int32_t *, arr, const uint8_t *, harr, const uint16_t *, seq, unsigned int, seqlen,
                    const char *, text, unsigned int, textlen),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_array(int32_t, arr, arr, 3)
    lttng_ust_field_array_hex(uint8_t, harr, harr, 4)
    lttng_ust_field_sequence(uint16_t, seq, seq, unsigned int, seqlen)
    lttng_ust_field_array_text(char, atext, text, 4)
    lttng_ust_field_sequence_text(char, stext, text, unsigned int, textlen)))
LTTNG_UST_TRACEPOINT_LOGLEVEL(ttng_eq, arrays, LTTNG_UST_TRACEPOINT_LOGLEVEL_NOTICE)

LTTNG_UST_TRACEPOINT_EVENT(ttng_eq, enums,
  LTTNG_UST_TP_ARGS(int, st, uint8_t, c),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_enum(ttng_eq, state, int, state, st)
    lttng_ust_field_enum(ttng_eq, color, uint8_t, color, c)))
LTTNG_UST_TRACEPOINT_LOGLEVEL(ttng_eq, enums, LTTNG_UST_TRACEPOINT_LOGLEVEL_ERR)

LTTNG_UST_TRACEPOINT_EVENT(ttng_eq, small,
  LTTNG_UST_TP_ARGS(uint32_t, n),
  LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(uint32_t, n, n)))
LTTNG_UST_TRACEPOINT_LOGLEVEL(ttng_eq, small, LTTNG_UST_TRACEPOINT_LOGLEVEL_DEBUG_LINE)

#endif
#include <lttng/tracepoint-event.h>
