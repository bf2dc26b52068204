// JSON shared by the webhook and e-mail delivery logs.
#pragma once

#include <boost/json/array.hpp>

#include <string>

namespace rapport {

// A stored attempt log (JSON array of {at: unix ms, status, …}) with `at` as RFC 3339; an
// unreadable log reads as empty.
boost::json::array AttemptLog(const std::string& text);

}  // namespace rapport
