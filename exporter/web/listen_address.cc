#include "web/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>

namespace lcbe {
namespace {

constexpr int kMaxPort = 65535;

Result<int> ParsePort(std::string_view text) {
  // from_chars accepts no sign or space, so "+80" and " 80" fail here.
  int port = -1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, port);
  if (text.empty() || ec != std::errc() || ptr != end || port < 0 ||
      port > kMaxPort) {
    return Error("port \"" + std::string(text) +
                 "\" is not a number from 0 to 65535");
  }
  return port;
}

bool IsIpLiteral(const std::string& host, int family) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(family, host.c_str(), buffer) == 1;
}

Result<ListenAddress> ParseBracketed(std::string_view text) {
  const size_t close = text.find(']');
  if (close == std::string_view::npos || close + 1 >= text.size() ||
      text[close + 1] != ':') {
    return Error("expected \"[ipv6]:port\"");
  }
  ListenAddress address;
  address.host = std::string(text.substr(1, close - 1));
  address.ipv6 = true;
  if (!IsIpLiteral(address.host, AF_INET6)) {
    return Error("\"" + address.host + "\" is not an IPv6 address");
  }
  Result<int> port = ParsePort(text.substr(close + 2));
  if (!port.ok()) return port.error();
  address.port = *port;
  return address;
}

Result<ListenAddress> ParseHostPort(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return Error("expected \"host:port\" or \":port\"");
  }
  ListenAddress address;
  address.host = std::string(text.substr(0, colon));
  if (address.host == "localhost") address.host = "127.0.0.1";
  if (!address.host.empty() && !IsIpLiteral(address.host, AF_INET)) {
    return Error("host \"" + address.host +
                 "\" is not an IPv4 address (IPv6 goes in brackets)");
  }
  Result<int> port = ParsePort(text.substr(colon + 1));
  if (!port.ok()) return port.error();
  address.port = *port;
  return address;
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  Result<ListenAddress> address = !text.empty() && text.front() == '['
                                      ? ParseBracketed(text)
                                      : ParseHostPort(text);
  if (!address.ok()) {
    return address.error().Wrap("listen address \"" + std::string(text) + "\"");
  }
  return address;
}

std::string ToCivetwebListeningPorts(const ListenAddress& address) {
  const std::string port = std::to_string(address.port);
  if (address.host.empty()) return port;
  if (address.ipv6) return "[" + address.host + "]:" + port;
  return address.host + ":" + port;
}

}  // namespace lcbe
