#ifndef LCBE_WEB_LISTEN_ADDRESS_H_
#define LCBE_WEB_LISTEN_ADDRESS_H_

#include <string>
#include <string_view>

#include "common/result.h"

namespace lcbe {

// ListenAddress is a validated address to serve HTTP on.
struct ListenAddress {
  // An IPv4 or IPv6 literal without brackets; empty means all interfaces.
  std::string host;
  // 0 lets the kernel pick a free port.
  int port = 0;
  bool ipv6 = false;
};

// Parses ":port", "ipv4:port", "localhost:port" (as 127.0.0.1) or
// "[ipv6]:port". Host names other than localhost are refused, since the
// server binds literals only; so is anything civetweb would read as a
// list or an option (",", "s", "r" suffixes).
Result<ListenAddress> ParseListenAddress(std::string_view text);

// Formats `address` as civetweb's "listening_ports" option value.
std::string ToCivetwebListeningPorts(const ListenAddress& address);

}  // namespace lcbe

#endif  // LCBE_WEB_LISTEN_ADDRESS_H_
