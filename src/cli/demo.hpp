// `rapport demo`: loads a small realistic data set through the public API. Idempotent: items
// whose name already exists are skipped.
#pragma once

#include "output.hpp"

namespace rapport::cli {

int LoadDemo(Session& session);

}  // namespace rapport::cli
