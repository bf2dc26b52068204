// Renders the one error catalog in each API dialect: `/v1` paths get
// {"error":{"code","message","details"},"request_id"}; the others seed 002's
// {"type","code","message","doc_url"}.
#pragma once

#include "context.hpp"

namespace rapport::api {

Dialect DialectOf(std::string_view path);

struct RenderedError {
  int status;
  std::string body;
};

RenderedError RenderError(Dialect dialect, const Error& error, const std::string& correlation_id,
                          const std::string& public_url);

}  // namespace rapport::api
