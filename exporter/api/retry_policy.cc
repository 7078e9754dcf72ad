#include "api/retry_policy.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "api/time_parse.h"
#include "common/text.h"

namespace lcbe {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kInitialBackoff{500};
constexpr milliseconds kMaxBackoff{8000};
constexpr double kMaxJitter = 0.25;

// A non-negative finite decimal number filling all of `text`.
std::optional<double> ParseAmount(std::string_view text) {
  text = TrimBlanks(text);
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  if (!std::isfinite(value) || value < 0) return std::nullopt;
  return value;
}

// Reads the IMF-fixdate form of an HTTP date, "Sun, 06 Nov 1994 08:49:37
// GMT", by rewriting it as RFC 3339 for ParseDateTime.
std::optional<UnixNanos> ParseHttpDate(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun",
      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  text = TrimBlanks(text);
  // "Ddd, DD Mon YYYY HH:MM:SS GMT" is exactly 29 characters.
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' ||
      text[11] != ' ' || text[16] != ' ' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  const auto month =
      std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  if (month == kMonths.end()) return std::nullopt;

  char rfc3339[48];
  std::snprintf(rfc3339, sizeof rfc3339, "%.4s-%02d-%.2sT%.8sZ",
                text.data() + 12, static_cast<int>(month - kMonths.begin()) + 1,
                text.data() + 5, text.data() + 17);
  return ParseDateTime(rfc3339);
}

std::string FormatSeconds(milliseconds delay) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s",
                static_cast<double>(delay.count()) / 1000);
  return text;
}

bool IsRetryableStatus(long status) {
  return status == 408 || status == 409 || status == 429 || status >= 500;
}

}  // namespace

// A server's wait in milliseconds, held below what milliseconds can count:
// any wait this long is far over every cap, so the clamp changes no
// decision, while converting 1e300 unclamped would overflow.
milliseconds ClampedMillis(double ms) {
  constexpr double kLongest = 1e12;  // some 31 years
  return milliseconds(static_cast<int64_t>(std::ceil(std::min(ms, kLongest))));
}

std::optional<milliseconds> ServerRetryDelay(const HttpResponse& response,
                                             WallTime now) {
  if (std::optional<double> ms = ParseAmount(response.retry_after_ms)) {
    return ClampedMillis(*ms);
  }
  if (std::optional<double> s = ParseAmount(response.retry_after)) {
    return ClampedMillis(*s * 1000);
  }
  std::optional<UnixNanos> at = ParseHttpDate(response.retry_after);
  if (!at) return std::nullopt;
  const auto wait = std::chrono::nanoseconds(*at) - now.time_since_epoch();
  return std::max(std::chrono::ceil<milliseconds>(wait), milliseconds(0));
}

RetryPolicy::RetryPolicy(int max_retries, milliseconds max_retry_after)
    : max_retries_(max_retries), max_retry_after_(max_retry_after) {}

milliseconds RetryPolicy::Backoff(int attempt, double random_unit) {
  milliseconds base = kInitialBackoff;
  for (int i = 0; i < attempt && base < kMaxBackoff; ++i) base *= 2;
  base = std::min(base, kMaxBackoff);
  const double jitter = 1 - kMaxJitter * std::clamp(random_unit, 0.0, 1.0);
  return milliseconds(
      static_cast<int64_t>(static_cast<double>(base.count()) * jitter));
}

RetryDecision RetryPolicy::Decide(int attempt, const TransportResult& outcome,
                                  WallTime now, double random_unit) const {
  RetryDecision decision;
  const auto* response = std::get_if<HttpResponse>(&outcome);
  if (response && response->status >= 200 && response->status < 300) {
    return decision;
  }

  std::optional<milliseconds> server_delay;
  bool retryable = true;
  if (response) {
    server_delay = ServerRetryDelay(*response, now);
    retryable = IsRetryableStatus(response->status);
    const std::string_view hint = TrimBlanks(response->should_retry);
    if (EqualsIgnoreCase(hint, "true")) retryable = true;
    if (EqualsIgnoreCase(hint, "false")) {
      retryable = false;
      decision.reason = "the server asked not to retry";
    }
  }
  const milliseconds delay =
      server_delay ? *server_delay : Backoff(attempt, random_unit);
  if (response && response->status == 429) {
    decision.pause = std::min(delay, max_retry_after_);
  }

  if (!retryable) return decision;
  if (attempt >= max_retries_) {
    decision.reason =
        "no retries left after " + std::to_string(attempt + 1) + " attempts";
    return decision;
  }
  if (server_delay && *server_delay > max_retry_after_) {
    decision.reason = "the server asked to retry after " +
                      FormatSeconds(*server_delay) + ", over the " +
                      FormatSeconds(max_retry_after_) + " cap";
    return decision;
  }
  decision.retry = true;
  decision.delay = delay;
  return decision;
}

}  // namespace lcbe
