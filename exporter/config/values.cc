#include "config/values.h"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "config/problems.h"

namespace lcbe {
namespace {

struct DurationUnit {
  std::string_view suffix;
  double seconds;
};

// Largest first: a duration must list its units in this order. "ms" comes
// before "m" so that the longer suffix is tried first.
constexpr std::array<DurationUnit, 6> kUnits = {{{"w", 604800},
                                                 {"d", 86400},
                                                 {"h", 3600},
                                                 {"ms", 0.001},
                                                 {"m", 60},
                                                 {"s", 1}}};

// Rank of a unit by size, so that "1m30s" passes and "30s1m" does not.
int UnitRank(std::string_view suffix) {
  static constexpr std::array<std::string_view, 6> kBySize = {"w", "d", "h",
                                                              "m", "s", "ms"};
  for (size_t i = 0; i < kBySize.size(); ++i) {
    if (kBySize[i] == suffix) return static_cast<int>(i);
  }
  return -1;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of an unsigned decimal ("12", "0.5") at the start of `text`.
size_t DecimalLength(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsDigit(text[i])) ++i;
  if (i == 0) return 0;
  if (i < text.size() && text[i] == '.') {
    size_t j = i + 1;
    while (j < text.size() && IsDigit(text[j])) ++j;
    if (j == i + 1) return 0;
    i = j;
  }
  return i;
}

double ToDouble(std::string_view digits) {
  double value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

Error BadDuration(std::string_view text) {
  return Error(
      "must be a duration like 500ms, 10s or 1m30s, or a number "
      "of seconds, got " +
      detail::Quote(text));
}

Result<Seconds> WithinLimit(std::string_view text, Seconds duration) {
  if (duration <= kMaxDuration) return duration;
  return Error("must be at most 30 days, got " + detail::Quote(text));
}

bool IsHostChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '.' || c == '-' || c == '_';
}

bool IsValidHost(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return false;
    for (char c : host.substr(1, host.size() - 2)) {
      if (!(IsHostChar(c) || c == ':')) return false;
    }
    return true;
  }
  for (char c : host) {
    if (!IsHostChar(c)) return false;
  }
  return true;
}

bool IsValidPort(std::string_view port, long long min) {
  return !port.empty() && port.size() <= 5 && ParseInteger(port, min, 65535);
}

bool HasSpaceOrControl(std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= ' ' || c == 0x7F) return true;
  }
  return false;
}

// Splits "host:port" or "[v6]:port"; false when there is no port part.
bool SplitHostPort(std::string_view text, std::string_view* host,
                   std::string_view* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return false;
  if (text.front() == '[' && text.find(']') > colon) return false;
  *host = text.substr(0, colon);
  *port = text.substr(colon + 1);
  return true;
}

// The server binds address literals only, so other host names are refused
// here already, where --config.check can report them.
bool IsListenHost(std::string_view host) {
  if (host.empty() || host == "localhost") return true;
  const std::string literal(host);
  in6_addr v6;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    const std::string inner(host.substr(1, host.size() - 2));
    return inet_pton(AF_INET6, inner.c_str(), &v6) == 1;
  }
  in_addr v4;
  return inet_pton(AF_INET, literal.c_str(), &v4) == 1;
}

Status CheckAuthority(std::string_view authority) {
  if (authority.find('@') != std::string_view::npos) {
    return Error("must not hold a user name or password");
  }
  std::string_view host = authority;
  std::string_view port;
  const bool bracketed = !authority.empty() && authority.front() == '[';
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos &&
      (!bracketed || authority.find(']') < colon)) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (!IsValidPort(port, 1)) {
      return Error("port must be a number from 1 to 65535");
    }
  }
  if (!IsValidHost(host)) return Error("has no valid host name");
  return Status::Ok();
}

}  // namespace

Result<Seconds> ParseDuration(std::string_view text) {
  if (text.empty()) return BadDuration(text);
  if (DecimalLength(text) == text.size()) {
    return WithinLimit(text, Seconds(ToDouble(text)));
  }

  double total = 0;
  int last_rank = -1;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t digits = DecimalLength(rest);
    if (digits == 0) return BadDuration(text);
    const double amount = ToDouble(rest.substr(0, digits));
    rest.remove_prefix(digits);

    const DurationUnit* unit = nullptr;
    for (const DurationUnit& candidate : kUnits) {
      if (rest.substr(0, candidate.suffix.size()) == candidate.suffix) {
        unit = &candidate;
        break;
      }
    }
    if (unit == nullptr) return BadDuration(text);
    const int rank = UnitRank(unit->suffix);
    if (rank <= last_rank) return BadDuration(text);
    last_rank = rank;
    total += amount * unit->seconds;
    rest.remove_prefix(unit->suffix.size());
  }
  if (!std::isfinite(total)) return BadDuration(text);
  return WithinLimit(text, Seconds(total));
}

Status CheckRegularFile(const std::string& path) {
  std::error_code error;
  const std::filesystem::file_status status =
      std::filesystem::status(path, error);
  if (error || std::filesystem::is_regular_file(status)) return Status::Ok();
  return Error(detail::Quote(path) + " is not a regular file");
}

std::string FormatDuration(Seconds duration) {
  const double seconds = duration.count();
  const double millis = std::round(seconds * 1000);
  if (seconds > 0 && seconds < 1 && std::abs(millis - seconds * 1000) < 1e-6) {
    return std::to_string(static_cast<long long>(millis)) + "ms";
  }
  std::string out;
  double rest = seconds;
  if (rest >= 3600) {
    const double hours = std::floor(rest / 3600);
    out += std::to_string(static_cast<long long>(hours)) + "h";
    rest -= hours * 3600;
  }
  if (rest >= 60) {
    const double minutes = std::floor(rest / 60);
    out += std::to_string(static_cast<long long>(minutes)) + "m";
    rest -= minutes * 60;
  }
  if (rest > 0 || out.empty()) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%gs", rest);
    out += buffer;
  }
  return out;
}

Result<long long> ParseInteger(std::string_view text, long long min,
                               long long max) {
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec == std::errc::invalid_argument || ptr != end) {
    return Error("must be an integer, got " + detail::Quote(text));
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    return Error("must be between " + std::to_string(min) + " and " +
                 std::to_string(max) + ", got " + std::string(text));
  }
  return value;
}

Result<double> ParseNumber(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] =
      std::from_chars(text.data(), end, value, std::chars_format::general);
  if (text.empty() || ec != std::errc() || ptr != end ||
      !std::isfinite(value)) {
    return Error("must be a finite number, got " + detail::Quote(text));
  }
  return value;
}

Result<std::string> NormalizeApiUrl(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return Error("must be an http(s)://host[:port][/path] URL (" + why +
                 "), got " + detail::Quote(text));
  };
  if (HasSpaceOrControl(text)) return bad("holds spaces or control chars");

  std::string url(text);
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return bad("no scheme");
  for (size_t i = 0; i < scheme_end; ++i) {
    url[i] =
        static_cast<char>(std::tolower(static_cast<unsigned char>(url[i])));
  }
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return bad("scheme not http(s)");
  if (url.find_first_of("?#") != std::string::npos) {
    return bad("query or fragment not allowed");
  }

  const size_t host_start = scheme_end + 3;
  const size_t path_start = url.find('/', host_start);
  const std::string_view authority =
      std::string_view(url).substr(host_start, path_start - host_start);
  if (const Status status = CheckAuthority(authority); !status) {
    // No quoting of the URL: it may hold a password.
    return Error("must be an http(s)://host[:port][/path] URL (" +
                 status.error().message() + ")");
  }

  while (url.size() > host_start && url.back() == '/') url.pop_back();
  return url;
}

Status CheckListenAddress(std::string_view text) {
  std::string_view host;
  std::string_view port;
  const bool valid = !HasSpaceOrControl(text) && !text.empty() &&
                     SplitHostPort(text, &host, &port) && IsListenHost(host) &&
                     IsValidPort(port, 0);
  if (!valid) {
    return Error(
        "must be :port, ipv4:port, [ipv6]:port or localhost:port with a "
        "port from 0 to 65535, got " +
        detail::Quote(text));
  }
  return Status::Ok();
}

Status CheckTelemetryPath(std::string_view text) {
  if (text.empty() || text.front() != '/') {
    return Error("must start with \"/\", got " + detail::Quote(text));
  }
  if (text == "/" || text == "/-/healthy" || text == "/-/ready") {
    return Error("must not be " + detail::Quote(text) +
                 ", which the exporter serves itself");
  }
  if (HasSpaceOrControl(text) ||
      text.find_first_of("?#") != std::string_view::npos) {
    return Error("must not hold spaces, control chars, \"?\" or \"#\", got " +
                 detail::Quote(text));
  }
  return Status::Ok();
}

Status CheckJobId(std::string_view text) {
  if (text.empty()) return Error("must not be empty");
  bool valid = text != "." && text != "..";
  for (char c : text) {
    valid = valid && IsHostChar(c);
  }
  if (!valid) {
    return Error(
        "must hold only letters, digits, \".\", \"_\" and \"-\" "
        "(and not be \".\" or \"..\"), got " +
        detail::Quote(text));
  }
  return Status::Ok();
}

Status CheckScopeId(std::string_view text) {
  if (text.empty()) return Error("must not be empty");
  if (HasSpaceOrControl(text)) {
    return Error("must not hold spaces or control chars, got " +
                 detail::Quote(text));
  }
  return Status::Ok();
}

Status CheckApiKey(std::string_view key) {
  if (key.empty()) return Error("the API key is empty");
  for (char ch : key) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= ' ' || c >= 0x7F) {
      return Error(
          "the API key holds whitespace, control or non-ASCII "
          "characters");
    }
  }
  return Status::Ok();
}

}  // namespace lcbe
