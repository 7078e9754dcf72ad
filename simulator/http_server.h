#ifndef LCBE_SIMULATOR_HTTP_SERVER_H_
#define LCBE_SIMULATOR_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

struct mg_connection;
struct mg_context;

namespace lcbe::sim {

// An HTTP request as the simulator's handler sees it.
struct HttpRequest {
  std::string method;
  std::string path;
  std::string query;  // raw, without the '?'
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  // The first header called `name`, compared case-insensitively.
  std::optional<std::string> Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// HttpServer hands every request, whatever its path or method, to one
// handler, on civetweb's worker threads; the handler must be thread-safe.
// Stops serving and joins the workers on destruction.
class HttpServer {
 public:
  // Listens on `listen` ("host:port"; port 0 picks a free one) with
  // `threads` workers.
  static Result<std::unique_ptr<HttpServer>> Start(const std::string& listen,
                                                   int threads,
                                                   HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The port actually bound.
  int port() const { return port_; }

 private:
  explicit HttpServer(HttpHandler handler);
  static int OnRequest(mg_connection* connection);

  HttpHandler handler_;
  mg_context* context_ = nullptr;
  int port_ = 0;
  std::string wake_address_;
};

}  // namespace lcbe::sim

#endif  // LCBE_SIMULATOR_HTTP_SERVER_H_
