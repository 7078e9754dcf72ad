#ifndef LCBE_WEB_SERVER_H_
#define LCBE_WEB_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace lcbe {

// The parts of an HTTP request a handler may read. Valid only during the
// handler call: `header` reads the live connection.
struct WebRequest {
  std::string method;
  std::string path;
  std::string query;
  // Returns the value of header `name` (case-insensitive), if sent.
  std::function<std::optional<std::string>(std::string_view name)> header;
};

// What a handler answers. The server adds Content-Length,
// X-Content-Type-Options and, when the client accepts it and the body is
// over 1 KiB, gzip encoding. `headers` must not hold CR or LF, nor set
// Content-Length or Content-Encoding; such entries are dropped and logged.
struct WebResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using WebHandler = std::function<WebResponse(const WebRequest&)>;

struct WebServerOptions {
  // "host:port", ":port" (all interfaces) or "[v6]:port"; port 0 picks a
  // free one. The host is an IP literal or "localhost" (127.0.0.1); IPv6
  // needs a civetweb built with IPv6 support.
  std::string listen_address;
  // Worker threads serving requests; each holds one connection at a time.
  int num_threads = 8;
  // How long a client may take to send its request headers, and to accept
  // each write of the response. It does not limit how long a handler runs.
  // Each worker is held by one connection, so this also bounds how long a
  // client that trickles its headers can hold one. Default 10000.
  int request_timeout_ms = 10000;
  // Largest accepted request line plus headers, in bytes; a bigger request
  // is refused with a 4xx. Default 16384.
  int max_request_header_bytes = 16384;
};

// WebServer serves exact-path routes over HTTP with civetweb. Only GET and
// HEAD reach handlers (HEAD gets the headers of the GET); other methods get
// 405, unknown paths 404, and a handler that throws gets a 500 with the
// exception's message logged, not sent. The query string plays no part in
// routing. Handlers run concurrently on the worker threads. Stops and joins
// its threads on destruction.
class WebServer {
 public:
  // Starts serving `routes` (exact path -> handler). Fails with a message
  // naming the cause when the address is malformed or cannot be bound.
  static Result<std::unique_ptr<WebServer>> Start(
      const WebServerOptions& options,
      std::map<std::string, WebHandler> routes);
  ~WebServer();

  // The port actually bound (useful with port 0).
  int port() const;

 private:
  class Impl;
  explicit WebServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lcbe

#endif  // LCBE_WEB_SERVER_H_
