// Address classification for webhook targets.
#pragma once

#include <string>

namespace rapport {

// False for loopback, private (RFC 1918, ULA), carrier-grade NAT, link-local (cloud metadata
// lives there), multicast, reserved and unspecified addresses, IPv4-mapped IPv6 judged as IPv4;
// false for text that is not an IP address.
bool IsPublicAddress(const std::string& ip);

}  // namespace rapport
