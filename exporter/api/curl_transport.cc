#include "api/curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "common/text.h"

namespace lcbe {
namespace detail {

struct CurlEasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};

// One easy handle and the buffer libcurl writes its error details into.
// The handle keeps its connection cache between requests.
struct CurlHandle {
  std::unique_ptr<CURL, CurlEasyDeleter> easy;
  char error[CURL_ERROR_SIZE] = {};
};

void CurlSlistDeleter::operator()(curl_slist* list) const {
  curl_slist_free_all(list);
}

}  // namespace detail

namespace {

using detail::CurlHandle;

// Idle handles kept beyond this are closed: enough for any sensible
// concurrency, without hoarding sockets after a burst.
constexpr size_t kMaxIdleHandles = 32;
// libcurl's receive buffer per handle. Its default of 16 KiB took ~20
// recv and poll calls, and as many body callbacks, per 300 KiB page.
constexpr long kReceiveBufferBytes = 128 << 10;
// First reservation for a body; pages of 1000 items are ~300 KiB.
constexpr size_t kInitialBodyBytes = 16 << 10;

// The state of one request, shared with libcurl's callbacks.
struct Exchange {
  HttpResponse* response;
  size_t max_body_bytes;
  bool too_large = false;
};

// Grows the body geometrically, always leaving kBodyPadding spare bytes
// so that the parser never needs to copy it, and never past `limit` plus
// the padding, so that a body that inflates when decoded (a gzip bomb)
// cannot take more memory than the limit allows.
void ReserveBody(std::string& body, size_t size, size_t limit) {
  const size_t needed = size + kBodyPadding;
  if (body.capacity() < needed) {
    body.reserve(
        std::min(std::max(needed, body.capacity() * 2), limit + kBodyPadding));
  }
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  std::string& body = exchange->response->body;
  const size_t bytes = size * count;
  if (body.size() + bytes > exchange->max_body_bytes) {
    exchange->too_large = true;
    return 0;  // Makes libcurl abort with CURLE_WRITE_ERROR.
  }
  ReserveBody(body, body.size() + bytes, exchange->max_body_bytes);
  body.append(data, bytes);
  return bytes;
}

void OnContentLength(std::string_view value, Exchange* exchange) {
  size_t length = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, length);
  if (ec != std::errc() || ptr != end) return;
  // Compressed bodies grow when decoded; this is only a first guess.
  ReserveBody(exchange->response->body,
              std::min(length, exchange->max_body_bytes),
              exchange->max_body_bytes);
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  HttpResponse& response = *exchange->response;
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);

  // Interim responses (100 Continue) come with headers of their own; only
  // the final response's count.
  if (line.rfind("HTTP/", 0) == 0) {
    response.retry_after.clear();
    response.retry_after_ms.clear();
    response.should_retry.clear();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  const std::string_view name = TrimBlanks(line.substr(0, colon));
  const std::string_view value = TrimBlanks(line.substr(colon + 1));
  if (EqualsIgnoreCase(name, "retry-after")) {
    response.retry_after = value;
  } else if (EqualsIgnoreCase(name, "retry-after-ms")) {
    response.retry_after_ms = value;
  } else if (EqualsIgnoreCase(name, "x-should-retry")) {
    response.should_retry = value;
  } else if (EqualsIgnoreCase(name, "content-length")) {
    OnContentLength(value, exchange);
  }
  return bytes;
}

TransportFailure FailureOf(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return TransportFailure::kTimeout;
    case CURLE_COULDNT_CONNECT:
      return TransportFailure::kConnect;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportFailure::kResolve;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return TransportFailure::kTls;
    default:
      return TransportFailure::kOther;
  }
}

TransportError ErrorOf(CURLcode code, const CurlHandle& handle,
                       const Exchange& exchange) {
  if (exchange.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return {TransportFailure::kOther,
            "response body over " + std::to_string(exchange.max_body_bytes) +
                " bytes"};
  }
  // The error buffer holds host names and socket errors, never request
  // headers, so the key cannot leak through it.
  std::string message = curl_easy_strerror(code);
  if (handle.error[0] != '\0') {
    message += ": ";
    message += TrimBlanks(handle.error);
  }
  return {FailureOf(code), std::move(message)};
}

std::string AuthorizationHeader(std::string_view api_key) {
  return "Authorization: Bearer " + std::string(api_key);
}

}  // namespace

CurlTransport::CurlTransport(std::string_view api_key, std::string user_agent,
                             std::chrono::duration<double> connect_timeout,
                             size_t max_body_bytes)
    : connect_timeout_(
          std::chrono::ceil<std::chrono::milliseconds>(connect_timeout)),
      max_body_bytes_(max_body_bytes),
      user_agent_(std::move(user_agent)) {
  curl_slist* list = curl_slist_append(nullptr, "Accept: application/json");
  if (list != nullptr && !api_key.empty()) {
    std::string auth = AuthorizationHeader(api_key);
    curl_slist* extended = curl_slist_append(list, auth.c_str());
    std::fill(auth.begin(), auth.end(), '\0');
    if (extended == nullptr) {
      curl_slist_free_all(list);
      list = nullptr;
    }
  }
  headers_.reset(list);
}

CurlTransport::~CurlTransport() = default;

std::unique_ptr<CurlHandle> CurlTransport::AcquireHandle() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<CurlHandle> handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  if (headers_ == nullptr) return nullptr;

  auto handle = std::make_unique<CurlHandle>();
  handle->easy.reset(curl_easy_init());
  CURL* easy = handle->easy.get();
  if (easy == nullptr) return nullptr;
  // Options that stay the same for every request of this handle. Verbose
  // mode stays off: it would print the Authorization header.
  const bool ok =
      curl_easy_setopt(easy, CURLOPT_VERBOSE, 0L) == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L) == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
                       static_cast<long>(CURL_HTTP_VERSION_2TLS)) == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(connect_timeout_.count())) ==
          CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent_.c_str()) ==
          CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get()) == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                       static_cast<curl_off_t>(max_body_bytes_)) == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, handle->error) == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, kReceiveBufferBytes) ==
          CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody) == CURLE_OK &&
      curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader) == CURLE_OK;
  if (!ok) return nullptr;
  return handle;
}

void CurlTransport::ReleaseHandle(std::unique_ptr<CurlHandle> handle) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
}

TransportResult CurlTransport::Get(const std::string& url,
                                   std::chrono::milliseconds timeout) {
  std::unique_ptr<CurlHandle> handle = AcquireHandle();
  if (handle == nullptr) {
    return TransportError{TransportFailure::kOther,
                          "could not set up a libcurl handle"};
  }

  HttpResponse response;
  response.body.reserve(kInitialBodyBytes + kBodyPadding);
  Exchange exchange{&response, max_body_bytes_};
  CURL* easy = handle->easy.get();
  handle->error[0] = '\0';
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                   std::max(1L, static_cast<long>(timeout.count())));
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &exchange);

  const CURLcode code = curl_easy_perform(easy);

  // The pooled handle must not keep pointers into this stack frame.
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, nullptr);
  if (code != CURLE_OK) {
    TransportError error = ErrorOf(code, *handle, exchange);
    ReleaseHandle(std::move(handle));
    return error;
  }
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  ReleaseHandle(std::move(handle));
  ReserveBody(response.body, response.body.size(), max_body_bytes_);
  return response;
}

}  // namespace lcbe
