// What the benchmark programs share: medians and wall-clock seconds.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

namespace rapport::bench {

using Steady = std::chrono::steady_clock;

inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

inline double Seconds(Steady::time_point a, Steady::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace rapport::bench
