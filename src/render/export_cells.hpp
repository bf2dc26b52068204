// What both export writers share: a JSON value as plain text.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace rapport {

// A string as it is, an array's members joined with "; ", a number in shortest form, a bool as
// "true"/"false", an object as JSON, null as "".
std::string CellText(const boost::json::value& v);

}  // namespace rapport
