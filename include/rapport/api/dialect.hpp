// Renders the one error catalog in each API dialect: `/v1` paths get
// {"error":{"code","message","details"},"request_id"}; the others seed 002's
// {"type","code","message","doc_url"}.
#pragma once

#include <rapport/api/context.hpp>

namespace rapport::api {

Dialect DialectOf(std::string_view path);

struct RenderedError {
  int status;
  std::string body;
};

// A token without `scope`: seed 000's 403 `forbidden` ("You do not have permission to access this
// resource") on `/v1` paths, `insufficient_scope` naming the scope elsewhere; both carry
// `details.required_scope`.
Error MissingScope(Dialect dialect, const std::string& scope);

RenderedError RenderError(Dialect dialect, const Error& error, const std::string& correlation_id,
                          const std::string& public_url);

}  // namespace rapport::api
