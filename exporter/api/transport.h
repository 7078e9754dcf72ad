#ifndef LCBE_API_TRANSPORT_H_
#define LCBE_API_TRANSPORT_H_

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

namespace lcbe {

// One HTTP response, as much of it as the API client reads.
struct HttpResponse {
  long status = 0;
  // The decoded body. Its capacity exceeds its size by at least
  // kBodyPadding bytes, so that a SIMD parser may read past the end.
  std::string body;
  // Headers the retry policy reads; empty when absent.
  std::string retry_after;     // Retry-After
  std::string retry_after_ms;  // retry-after-ms
  std::string should_retry;    // x-should-retry
};
inline constexpr size_t kBodyPadding = 64;

// Why a request got no HTTP response at all.
enum class TransportFailure { kTimeout, kConnect, kResolve, kTls, kOther };

// The `code` label for a transport failure: "timeout", "connect_error",
// "dns_error", "tls_error", "transport_error".
std::string_view TransportFailureLabel(TransportFailure failure);

struct TransportError {
  TransportFailure failure = TransportFailure::kOther;
  std::string message;
};

using TransportResult = std::variant<HttpResponse, TransportError>;

// HttpTransport performs GET requests. Implementations are thread-safe and
// add the same authentication and User-Agent headers to every request; the
// libcurl one reuses connections. Tests substitute scripted fakes.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // GETs `url`, giving up after `timeout`.
  virtual TransportResult Get(const std::string& url,
                              std::chrono::milliseconds timeout) = 0;
};

}  // namespace lcbe

#endif  // LCBE_API_TRANSPORT_H_
