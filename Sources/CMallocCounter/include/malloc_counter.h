// Counts the heap allocations of the process it is linked into (kaiyuan-bench only): malloc,
// calloc, realloc and the aligned ones are interposed and passed on to glibc's own. The
// allocation guard reads the count around the per-event hot path.
#ifndef KAIYUAN_MALLOC_COUNTER_H
#define KAIYUAN_MALLOC_COUNTER_H
#include <stdint.h>

/// Allocations made so far by any thread.
uint64_t kaiyuan_malloc_count(void);

#endif
