#include <rapport/core/metrics.hpp>

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(MetricsRegistry, RendersCountersAndHistogramsInThePrometheusTextFormat) {
  MetricsRegistry m;
  m.Count("rapport_things_total", "Things.", {{"kind", "a"}});
  m.Count("rapport_things_total", "Things.", {{"kind", "a"}}, 2);
  m.Count("rapport_things_total", "Things.", {{"kind", "b\"q"}});
  m.Observe("rapport_wait_seconds", "Waits.", {{"kind", "a"}}, 0.2);
  m.Observe("rapport_wait_seconds", "Waits.", {{"kind", "a"}}, 7);
  std::string page = m.Render();
  EXPECT_NE(page.find("# HELP rapport_things_total Things.\n# TYPE rapport_things_total counter\n"
                      "rapport_things_total{kind=\"a\"} 3\n"
                      "rapport_things_total{kind=\"b\\\"q\"} 1\n"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("# TYPE rapport_wait_seconds histogram\n"), std::string::npos);
  EXPECT_NE(page.find("rapport_wait_seconds_bucket{kind=\"a\",le=\"0.1\"} 0\n"), std::string::npos);
  EXPECT_NE(page.find("rapport_wait_seconds_bucket{kind=\"a\",le=\"0.25\"} 1\n"),
            std::string::npos);
  EXPECT_NE(page.find("rapport_wait_seconds_bucket{kind=\"a\",le=\"10\"} 2\n"), std::string::npos);
  EXPECT_NE(page.find("rapport_wait_seconds_bucket{kind=\"a\",le=\"+Inf\"} 2\n"),
            std::string::npos);
  EXPECT_NE(page.find("rapport_wait_seconds_count{kind=\"a\"} 2\n"), std::string::npos);
  EXPECT_NE(page.find("rapport_wait_seconds_sum{kind=\"a\"} 7.2\n"), std::string::npos);
}

}  // namespace
}  // namespace rapport
