#ifndef LCBE_API_CURL_TRANSPORT_H_
#define LCBE_API_CURL_TRANSPORT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "api/transport.h"

struct curl_slist;

namespace lcbe {

namespace detail {
struct CurlHandle;
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const;
};
}  // namespace detail

// CurlTransport performs GET requests with libcurl. It keeps a pool of easy
// handles, so that connections (and TLS sessions) are reused across
// requests and threads, asks for every content encoding libcurl can
// decode, sends `Authorization: Bearer <key>` when a key is set and the
// given User-Agent, and never follows
// redirects. A body over `max_body_bytes` fails the request instead of
// growing without bound. The key never appears in an error message.
//
// REQUIRES: curl_global_init() was called before construction. Thread-safe.
class CurlTransport final : public HttpTransport {
 public:
  // A full page of 1,000 items is some 400 KB; even long error messages
  // leave it far below this.
  static constexpr size_t kDefaultMaxBodyBytes = 16 << 20;

  // `api_key` may be empty: then no Authorization header is sent.
  // `user_agent` is sent as is, e.g. "llamacloud_batch_exporter/0.1.0".
  CurlTransport(std::string_view api_key, std::string user_agent,
                std::chrono::duration<double> connect_timeout,
                size_t max_body_bytes = kDefaultMaxBodyBytes);
  ~CurlTransport() override;

  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  TransportResult Get(const std::string& url,
                      std::chrono::milliseconds timeout) override;

 private:
  std::unique_ptr<detail::CurlHandle> AcquireHandle();
  void ReleaseHandle(std::unique_ptr<detail::CurlHandle> handle);

  const std::chrono::milliseconds connect_timeout_;
  const size_t max_body_bytes_;
  const std::string user_agent_;
  // Shared by every handle; must outlive them all.
  std::unique_ptr<curl_slist, detail::CurlSlistDeleter> headers_;

  std::mutex mu_;
  std::vector<std::unique_ptr<detail::CurlHandle>> idle_;  // guarded by mu_
};

}  // namespace lcbe

#endif  // LCBE_API_CURL_TRANSPORT_H_
