// Random bytes for identifiers (resource ids, correlation ids): SecureRandom's bytes, drawn a few
// KiB at a time into a per-thread pool instead of one RAND_bytes call per id. The bytes are as
// unpredictable as SecureRandom's, but they sit in process memory until used, so keep calling
// SecureRandom directly for tokens, session secrets and other secrets.
#pragma once

#include <cstddef>

namespace rapport {

// Fills `out` with `size` random bytes from the calling thread's pool, refilling it from
// SecureRandom when it runs short. Thread-safe (one pool per thread, no locks). A child process
// made by fork() never reuses bytes its parent drew: the pools are refilled after a fork. Requests
// larger than the pool go to SecureRandom directly. Aborts if the system RNG fails.
void PooledRandom(void* out, size_t size);

}  // namespace rapport
