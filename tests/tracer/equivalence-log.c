/*
 * lttng_ust_tracef and lttng_ust_tracelog for equivalence-app.c, in a file
 * of their own: their headers declare tracepoints of providers that
 * liblttng-ust defines, so they cannot be included where
 * LTTNG_UST_TRACEPOINT_DEFINE is.
 */
#include <lttng/tracef.h>
#include <lttng/tracelog.h>

void log_row(int i, const char *text, int with_tracelog);

void log_row(int i, const char *text, int with_tracelog)
{
	lttng_ust_tracef("row %d: %s", i, text);
	if (with_tracelog)
		lttng_ust_tracelog(LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING, "row %d of %d", i, 5);
}
