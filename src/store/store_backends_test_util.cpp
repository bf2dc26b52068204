#include "store_backends_test_util.hpp"

#include "pg_cluster_test_util.hpp"

#include <rapport/core/ids.hpp>

namespace rapport::storetest {

std::unique_ptr<Store> OpenOrNull(const std::string& url) {
  auto s = OpenStore({url});
  if (!s.ok()) ADD_FAILURE() << s.error().message();
  return s.ok() ? std::move(s.value()) : nullptr;
}

::testing::internal::ParamGenerator<Backend> Backends() {
  return ::testing::Values(Backend{"sqlite",
                                   [](const std::filesystem::path& dir) {
                                     return OpenOrNull("sqlite://" + (dir / "store.db").string());
                                   }},
                           Backend{"postgres", [](const std::filesystem::path&) {
                                     return OpenOrNull(pgtest::FreshPgDatabase());
                                   }});
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

void BackendStoreTest::SetUp() {
  dir_ = std::filesystem::temp_directory_path() / ("rapport-store-" + NewUuidV4());
  std::filesystem::create_directories(dir_);
  store_ = GetParam().open(dir_);
  ASSERT_TRUE(store_);
}

void BackendStoreTest::TearDown() {
  store_.reset();
  std::filesystem::remove_all(dir_);
}

}  // namespace rapport::storetest
