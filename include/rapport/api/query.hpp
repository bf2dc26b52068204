// Query parameters as list routes read them: empty counts as absent, malformed is a 400/422 in
// the route's dialect naming `query.<name>`.
#pragma once

#include <rapport/api/context.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace rapport::api {

// The parameter's value; nullopt when absent or empty.
std::optional<std::string> QueryText(const RequestContext& ctx, std::string_view name);
// "true" or "false"; nullopt when absent; kValidation for anything else.
Result<std::optional<bool>> QueryBool(const RequestContext& ctx, std::string_view name);
// An RFC 3339 instant; nullopt when absent or empty; kValidation ("datetime_parsing") otherwise.
Result<std::optional<UnixMs>> QueryInstant(const RequestContext& ctx, std::string_view name);
// A required id with prefix `prefix`: kValidation when absent ("missing") or malformed.
Result<std::string> RequiredId(const RequestContext& ctx, std::string_view name,
                               std::string_view prefix);

}  // namespace rapport::api
