// Checks of a tenant's logo on its way into the store: base64 decoding, the PNG signature and
// header, and an allow-list SVG sanitiser. Private to the API (the white-label routes).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rapport::api {

inline constexpr size_t kMaxLogoBytes = 256 * 1024;

// Standard base64 (RFC 4648 §4, padding optional, whitespace ignored); nullopt when malformed.
std::optional<std::string> DecodeBase64(std::string_view text);

// "" when `bytes` start with the PNG signature and a well-formed IHDR chunk of sane dimensions
// (1..4096 pixels each way, a valid bit depth for a valid colour type); else why not.
std::string PngProblem(std::string_view bytes);

// The SVG sanitiser's answer: `svg` (the sanitised document) or `problem` (why it is refused).
struct SanitizedSvg {
  std::string svg;
  std::string problem;  // "" when sanitised
};

// Parses `bytes` as XML (no network, no entity substitution) and rebuilds the document from an
// allow-list: SVG shape, gradient, text and structure elements with presentation attributes.
// Dropped: every other element (script, foreignObject, style sheets with url( or @import, …)
// with its content, event handlers and any attribute not on the list, hrefs not starting with
// '#', url() references that are not local (#id), comments and processing instructions.
// Refused: a DOCTYPE or entity declaration, XML that is not well-formed (the message names line
// and column), a root that is not an <svg> element in the SVG namespace.
SanitizedSvg SanitizeSvg(std::string_view bytes);

}  // namespace rapport::api
