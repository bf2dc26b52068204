// Base64 decoding and the PNG header check of logo_check.hpp.
#include "logo_check.hpp"

#include <cctype>
#include <cstdint>

namespace rapport::api {
namespace {

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

uint32_t BigEndian32(std::string_view bytes, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

bool ValidBitDepth(int color_type, int depth) {
  switch (color_type) {
    case 0:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
      return depth == 8 || depth == 16;
    default:
      return false;
  }
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t padding = 0;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    int v = Base64Value(c);
    if (v < 0 || padding > 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (padding > 2 || bits >= 6 || (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string PngProblem(std::string_view bytes) {
  constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  if (bytes.substr(0, 8) != kSignature) return "is not a PNG (its signature is missing)";
  if (bytes.size() < 33 || BigEndian32(bytes, 8) != 13 || bytes.substr(12, 4) != "IHDR") {
    return "is not a PNG (the IHDR chunk must come first, 13 bytes long)";
  }
  uint32_t width = BigEndian32(bytes, 16);
  uint32_t height = BigEndian32(bytes, 20);
  if (width == 0 || height == 0 || width > 4096 || height > 4096) {
    return "has dimensions " + std::to_string(width) + "x" + std::to_string(height) +
           " outside 1..4096 pixels";
  }
  int depth = static_cast<unsigned char>(bytes[24]);
  int color_type = static_cast<unsigned char>(bytes[25]);
  if (!ValidBitDepth(color_type, depth) || bytes[26] != 0 || bytes[27] != 0 ||
      static_cast<unsigned char>(bytes[28]) > 1) {
    return "has an invalid PNG header (bit depth, colour type, compression or interlace)";
  }
  return "";
}

}  // namespace rapport::api
