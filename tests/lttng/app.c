/* Fires ttng_real tracepoints from several threads: argv[1] = events per thread. */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "tp.h"
#include <pthread.h>
#include <stdlib.h>

static int per_thread;
static const char *strs[] = { "empty:", "a", "tab\there", "quote\"s\\", "caf\xc3\xa9", "ctl\x01\x7f" };

static void *work(void *arg) {
  int base = (int)(intptr_t)arg;
  for (int i = 0; i < per_thread; i++) {
    int n = base + i;
    lttng_ust_tracepoint(ttng_real, everything, n, strs[n % 6], n / 7.0);
    lttng_ust_tracepoint(ttng_real, small, n);
  }
  return NULL;
}

int main(int argc, char **argv) {
  per_thread = argc > 1 ? atoi(argv[1]) : 100;
  pthread_t t[3];
  for (int k = 0; k < 3; k++) pthread_create(&t[k], NULL, work, (void *)(intptr_t)(k * 100000));
  for (int k = 0; k < 3; k++) pthread_join(t[k], NULL);
  return 0;
}
