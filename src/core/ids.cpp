#include <rapport/core/ids.hpp>

#include <rapport/core/random_pool.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <mutex>

namespace rapport {
namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

constexpr auto kIsBase62 = [] {
  std::array<bool, 256> is{};
  for (char c : kBase62) is[static_cast<unsigned char>(c)] = true;
  return is;
}();

constexpr uint32_t kBase62Pow5 = 62u * 62u * 62u * 62u * 62u;  // 916,132,832 < 2^32

// 160-bit big-endian number as five 32-bit limbs, encoded to 27 base62 digits. Divides by 62^5
// (five digits a pass, 32-bit arithmetic for the digits) rather than by 62 once per digit.
std::string EncodeBase62(std::array<uint32_t, 5> limbs) {
  std::string out(kIdBodyLength, '0');
  size_t pos = kIdBodyLength;
  while (pos > 0) {
    uint64_t rem = 0;
    for (auto& limb : limbs) {
      uint64_t cur = (rem << 32) | limb;
      limb = static_cast<uint32_t>(cur / kBase62Pow5);
      rem = cur % kBase62Pow5;
    }
    auto chunk = static_cast<uint32_t>(rem);
    for (int digit = 0; digit < 5 && pos > 0; ++digit) {
      out[--pos] = kBase62[chunk % 62];
      chunk /= 62;
    }
  }
  return out;
}

struct Sequence {
  std::mutex mu;
  int64_t last_ms = 0;
  uint32_t counter = 0;
};

}  // namespace

void SecureRandom(void* out, size_t size) {
  if (RAND_bytes(static_cast<unsigned char*>(out), static_cast<int>(size)) != 1) std::abort();
}

std::string NewIdAt(std::string_view prefix, int64_t unix_ms) {
  static Sequence seq;
  uint32_t counter;
  {
    std::lock_guard lock(seq.mu);
    if (unix_ms <= seq.last_ms) {
      unix_ms = seq.last_ms;
      if (++seq.counter > 0xFFFF) {  // sequence exhausted within one ms: borrow the next ms
        seq.counter = 0;
        unix_ms = ++seq.last_ms;
      }
    } else {
      seq.last_ms = unix_ms;
      seq.counter = 0;
    }
    counter = seq.counter;
  }
  std::array<uint32_t, 3> random{};
  PooledRandom(random.data(), sizeof(random));
  auto ms = static_cast<uint64_t>(unix_ms) & 0xFFFFFFFFFFFFULL;
  std::array<uint32_t, 5> limbs = {static_cast<uint32_t>(ms >> 16),
                                   static_cast<uint32_t>(((ms & 0xFFFF) << 16) | counter),
                                   random[0], random[1], random[2]};
  std::string id(prefix);
  id += '_';
  id += EncodeBase62(limbs);
  return id;
}

std::string NewId(std::string_view prefix) {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return NewIdAt(prefix, now.count());
}

bool IsValidId(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 1 + kIdBodyLength) return false;
  if (id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_') return false;
  return std::all_of(id.begin() + static_cast<std::ptrdiff_t>(prefix.size() + 1), id.end(),
                     [](char c) { return kIsBase62[static_cast<unsigned char>(c)]; });
}

std::string NewUuidV4() {
  std::array<unsigned char, 16> b{};
  SecureRandom(b.data(), b.size());
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0xF];
  }
  return out;
}

bool IsValidUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace rapport
