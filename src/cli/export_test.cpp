#include "export.hpp"

#include <gtest/gtest.h>

namespace rapport::cli {
namespace {

TEST(ExportQuery, NamesTheFormatAndEncodesTheTable) {
  EXPECT_EQ(ExportQuery("csv", ""), "?format=csv");
  EXPECT_EQ(ExportQuery("xlsx", "faults"), "?format=xlsx&table=faults");
  EXPECT_EQ(ExportQuery("csv", "a&b c"), "?format=csv&table=a%26b%20c");
}

}  // namespace
}  // namespace rapport::cli
