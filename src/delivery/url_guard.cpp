// Where webhooks may go: public addresses only, unless the operator allows private ones. The
// check runs when an endpoint is saved and again before every attempt, and the attempt connects
// to the address that was checked (HttpClient::Pin), so a name re-pointed at an internal address
// after the check (DNS rebinding) is not followed.
#include "url_guard.hpp"

#include <rapport/delivery/webhooks.hpp>

#include <arpa/inet.h>
#include <netdb.h>
#include <boost/url/parse.hpp>

#include <cstring>

namespace rapport {

bool IsPublicAddress(const std::string& ip) {
  in_addr v4{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) {
    uint32_t a = ntohl(v4.s_addr);
    auto in = [a](uint32_t net, int bits) {
      uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
      return (a & mask) == net;
    };
    return !(in(0x00000000, 8) ||   // "this" network
             in(0x0a000000, 8) ||   // 10/8 private
             in(0x64400000, 10) ||  // 100.64/10 carrier-grade NAT
             in(0x7f000000, 8) ||   // loopback
             in(0xa9fe0000, 16) ||  // 169.254/16 link-local, cloud metadata
             in(0xac100000, 12) ||  // 172.16/12 private
             in(0xc0000000, 24) ||  // 192.0.0/24 protocol assignments
             in(0xc0a80000, 16) ||  // 192.168/16 private
             in(0xc6120000, 15) ||  // 198.18/15 benchmarking
             in(0xe0000000, 4) ||   // multicast
             in(0xf0000000, 4));    // reserved, broadcast
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, ip.c_str(), &v6) != 1) return false;
  const uint8_t* b = v6.s6_addr;
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMapped, 12) == 0) {  // ::ffff:a.b.c.d: judge the IPv4 address
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, b + 12, text, sizeof text);
    return IsPublicAddress(text);
  }
  static const uint8_t kZero[15] = {};
  if (std::memcmp(b, kZero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return false;  // :: and ::1
  if ((b[0] & 0xfe) == 0xfc) return false;                                         // fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;                         // fe80::/10
  if (b[0] == 0xff) return false;                                                  // multicast
  return true;
}

Result<ResolvedUrl> ResolveWebhookUrl(const std::string& url, bool allow_private_addresses) {
  auto invalid = [](std::string why) { return Error(ErrorCode::kValidation, std::move(why)); };
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return invalid("The URL is not an absolute URL");
  std::string scheme(parsed->scheme());
  if (scheme != "https" && scheme != "http") return invalid("The URL must be http or https");
  if (!parsed->has_authority() || parsed->encoded_host().empty()) {
    return invalid("The URL has no host");
  }
  if (parsed->has_userinfo()) return invalid("The URL must not carry credentials");
  std::string host(parsed->encoded_host());
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = scheme == "https" ? 443 : 80;
  if (parsed->has_port()) {
    if (parsed->port_number() == 0) return invalid("The URL's port is invalid");
    port = parsed->port_number();
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || !found) {
    return invalid("The URL's host " + host + " does not resolve");
  }
  std::vector<std::string> ips;
  for (addrinfo* a = found; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* addr =
        a->ai_family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
            : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
    if (inet_ntop(a->ai_family, addr, text, sizeof text)) ips.emplace_back(text);
  }
  freeaddrinfo(found);
  if (ips.empty()) return invalid("The URL's host " + host + " does not resolve");
  if (!allow_private_addresses) {
    for (const auto& ip : ips) {
      if (!IsPublicAddress(ip)) {
        return invalid("The URL's host " + host + " resolves to " + ip +
                       ", a loopback, private, link-local or metadata address; webhooks go to "
                       "public addresses (webhooks.allow_private_addresses lifts this)");
      }
    }
  }
  return ResolvedUrl{host, port, ips.front()};
}

}  // namespace rapport
