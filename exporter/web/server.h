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

// The parts of an HTTP request a handler may read.
struct WebRequest {
  std::string method;
  std::string path;
  std::string query;
  // Returns the value of header `name` (case-insensitive), if sent.
  std::function<std::optional<std::string>(std::string_view name)> header;
};

struct WebResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using WebHandler = std::function<WebResponse(const WebRequest&)>;

struct WebServerOptions {
  // "host:port", ":port" (all interfaces) or "[v6]:port"; port 0 picks a
  // free one.
  std::string listen_address;
  // Worker threads serving requests.
  int num_threads = 8;
};

// WebServer serves exact-path routes over HTTP with civetweb. Only GET and
// HEAD reach handlers; other methods get 405, unknown paths 404, and a
// handler that throws gets a 500 with the exception's message logged, not
// sent. Stops and joins its threads on destruction.
class WebServer {
 public:
  // Starts serving `routes` (exact path -> handler).
  static Result<std::unique_ptr<WebServer>> Start(
      const WebServerOptions& options, std::map<std::string, WebHandler> routes);
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
