/* Two tracepoints for the control-plane benchmark (bench/control/app.c). */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ctlapp
#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./tp.h"
#if !defined(CTLAPP_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CTLAPP_TP_H
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(ctlapp, a,
  LTTNG_UST_TP_ARGS(unsigned int, n),
  LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(unsigned int, n, n)))

LTTNG_UST_TRACEPOINT_EVENT(ctlapp, b,
  LTTNG_UST_TP_ARGS(unsigned int, n),
  LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(unsigned int, n, n)))

#endif
#include <lttng/tracepoint-event.h>
