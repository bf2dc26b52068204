// Cursor pagination shared by every list route. Cursors are opaque: base64url of a version tag
// and the last id returned; anything else is a 400, never a 500.
#pragma once

#include <rapport/api/context.hpp>

#include <rapport/store/records.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace rapport::api {

// Reads `limit` (1..100, default `default_limit`) and `cursor` (ids of `id_prefix`).
Result<PageRequest> ReadPageRequest(const RequestContext& ctx, std::string_view id_prefix,
                                    int default_limit);

std::string EncodeCursor(const std::string& last_id);

// The `/v1` list shape: {object:"list", data, has_more, next_cursor}.
template <class T, class ToJson>
boost::json::object V1List(const Page<T>& page, ToJson to_json) {
  boost::json::array data;
  for (const auto& item : page.items) data.push_back(to_json(item));
  boost::json::value next = nullptr;
  if (page.has_more) next = boost::json::string(EncodeCursor(page.items.back().id));
  return {{"object", "list"},
          {"data", std::move(data)},
          {"has_more", page.has_more},
          {"next_cursor", std::move(next)}};
}

// The seed-002 list shape: {data, meta: {count, cursor, has_more}}.
template <class T, class ToJson>
boost::json::object SlaList(const Page<T>& page, ToJson to_json) {
  boost::json::array data;
  for (const auto& item : page.items) data.push_back(to_json(item));
  boost::json::value next = nullptr;
  if (page.has_more) next = boost::json::string(EncodeCursor(page.items.back().id));
  boost::json::object meta{
      {"count", data.size()}, {"cursor", std::move(next)}, {"has_more", page.has_more}};
  return {{"data", std::move(data)}, {"meta", std::move(meta)}};
}

// kValidation for one bad query/path parameter.
Error ParameterError(std::string_view loc, std::string msg, std::string type);

}  // namespace rapport::api
