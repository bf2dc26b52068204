#include <rapport/core/random_pool.hpp>

#include <rapport/core/ids.hpp>

#include <pthread.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>

namespace rapport {
namespace {

constexpr size_t kPoolBytes = 4096;

// Bumped in a forked child so every pool copied from the parent is refilled before use.
std::atomic<uint64_t> fork_generation{1};

void OnForkChild() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

uint64_t CurrentGeneration() {
  static const bool registered = pthread_atfork(nullptr, nullptr, &OnForkChild) == 0;
  if (!registered) return 0;  // no fork handler: a pool is never trusted (always refilled)
  return fork_generation.load(std::memory_order_relaxed);
}

struct Pool {
  std::array<unsigned char, kPoolBytes> bytes;
  size_t used = kPoolBytes;
  uint64_t generation = 0;
};

}  // namespace

void PooledRandom(void* out, size_t size) {
  if (size > kPoolBytes) {
    SecureRandom(out, size);
    return;
  }
  thread_local Pool pool;
  uint64_t generation = CurrentGeneration();
  if (generation == 0 || pool.generation != generation || pool.used + size > kPoolBytes) {
    SecureRandom(pool.bytes.data(), pool.bytes.size());
    pool.used = 0;
    pool.generation = generation;
  }
  std::memcpy(out, pool.bytes.data() + pool.used, size);
  std::memset(pool.bytes.data() + pool.used, 0, size);  // a byte is handed out once
  pool.used += size;
}

}  // namespace rapport
