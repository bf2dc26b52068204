// Result<T>: a T or an Error. Every fallible call inside Rapport returns one (no exceptions
// across module boundaries).
#pragma once

#include <rapport/core/error.hpp>

#include <type_traits>
#include <utility>
#include <variant>

namespace rapport {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
// The result of a call that returns nothing but may fail.
using Status = Result<Ok>;

}  // namespace rapport

// Propagates the error of a Result-returning expression; binds its value otherwise.
#define RAPPORT_CONCAT_INNER(a, b) a##b
#define RAPPORT_CONCAT(a, b) RAPPORT_CONCAT_INNER(a, b)
#define RAPPORT_TRY_IMPL(tmp, decl, expr)       \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
#define RAPPORT_TRY(decl, expr) RAPPORT_TRY_IMPL(RAPPORT_CONCAT(rapport_try_, __LINE__), decl, expr)
#define RAPPORT_CHECK(expr)                                             \
  do {                                                                  \
    auto rapport_check_ = (expr);                                       \
    if (!rapport_check_.ok()) return std::move(rapport_check_).error(); \
  } while (0)
