// Test support: the two backends a Store suite runs on (SQLite in the test's directory, a fresh
// database of the private PostgreSQL cluster), as gtest parameters.
#pragma once

#include <rapport/store/store.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace rapport::storetest {

struct Backend {
  std::string name;
  std::function<std::unique_ptr<Store>(const std::filesystem::path& dir)> open;
};

inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

// The store at `url`; null (with a test failure saying why) when it cannot be opened.
std::unique_ptr<Store> OpenOrNull(const std::string& url);

// SQLite and PostgreSQL, for INSTANTIATE_TEST_SUITE_P(…, Backends(), BackendName).
::testing::internal::ParamGenerator<Backend> Backends();
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// A suite on both backends: `store_` opened fresh (in its own directory `dir_`) for each test.
// A fixture that adds its own services sets them up after BackendStoreTest::SetUp() and resets
// them before BackendStoreTest::TearDown().
class BackendStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace rapport::storetest
