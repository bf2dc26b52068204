#include "store_backends_test_util.hpp"

#include "pg_cluster_test_util.hpp"

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

}  // namespace rapport::storetest
