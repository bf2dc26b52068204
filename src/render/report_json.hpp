// Tolerant reads of a stored report's JSON: a missing or mistyped member reads as empty, so an
// older report (fewer members) still renders.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace rapport::render {

std::string Str(const boost::json::object& o, std::string_view key);
std::optional<double> Num(const boost::json::object& o, std::string_view key);
int64_t Int(const boost::json::object& o, std::string_view key);
bool Bool(const boost::json::object& o, std::string_view key);
const boost::json::array& Arr(const boost::json::object& o, std::string_view key);
const boost::json::object& Obj(const boost::json::object& o, std::string_view key);
// The object `v` holds, or an empty object when it holds something else.
const boost::json::object& AsObject(const boost::json::value& v);

}  // namespace rapport::render
