/* The C twin of tests/control/app.mjs for the benchmark: ctlapp:a and ctlapp:b every
 * 200 us until the file argv[1] exists. */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "tp.h"
#include <unistd.h>

int main(int argc, char **argv) {
  for (unsigned int n = 0;; n++) {
    lttng_ust_tracepoint(ctlapp, a, n);
    lttng_ust_tracepoint(ctlapp, b, n);
    if ((n & 63) == 0 && argc > 1 && access(argv[1], F_OK) == 0) return 0;
    usleep(200);
  }
}
