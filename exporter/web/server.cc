#include "web/server.h"

#include <civetweb.h>

#include <exception>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/text.h"
#include "web/gzip.h"
#include "web/listen_address.h"

namespace lcbe {
namespace {

// Smaller bodies gain too little from gzip to pay for the CPU.
constexpr size_t kGzipMinBytes = 1024;
constexpr int kMaxServerPorts = 4;
constexpr int kMinHeaderBytes = 1024;

// mg_start2 reports a failed bind only as a generic text; the specific
// cause goes first to the log callback on the starting thread, so keep it.
thread_local std::string first_civetweb_message;

struct ContextStopper {
  void operator()(mg_context* context) const { mg_stop(context); }
};
using ContextPtr = std::unique_ptr<mg_context, ContextStopper>;

// mg_init_library is not thread-safe; tests start servers concurrently.
void InitCivetwebOnce() {
  static const unsigned kFeatures = mg_init_library(0);
  (void)kFeatures;
}

bool HasRequest(const mg_connection* conn) {
  const mg_request_info* info =
      conn == nullptr ? nullptr : mg_get_request_info(conn);
  return info != nullptr && info->request_method != nullptr;
}

// Messages about one client's request are that client's business and stay
// at debug, so that a hostile client cannot flood the log; the rest
// (bind failures, resource trouble) are the operator's.
int LogCivetwebMessage(const mg_connection* conn, const char* message) {
  if (first_civetweb_message.empty()) first_civetweb_message = message;
  if (HasRequest(conn)) {
    Log().Debug("civetweb", {{"message", message}});
  } else {
    Log().Warn("civetweb", {{"message", message}});
  }
  return 1;
}

WebResponse PlainResponse(int status, std::string body) {
  WebResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

bool HasLineBreak(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

// Fields the server owns, or that would split the header block, mark a
// handler bug; serving them could corrupt the response framing.
bool IsWellFormed(const WebResponse& response) {
  if (response.status < 200 || response.status > 599) return false;
  if (HasLineBreak(response.content_type)) return false;
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || HasLineBreak(name) || HasLineBreak(value) ||
        name.find(':') != std::string::npos ||
        EqualsIgnoreCase(name, "Content-Length") ||
        EqualsIgnoreCase(name, "Content-Encoding")) {
      return false;
    }
  }
  return true;
}

WebResponse Invoke(const WebHandler& handler, const WebRequest& request) {
  const WebResponse internal_error = PlainResponse(500, "internal error\n");
  WebResponse response;
  try {
    response = handler(request);
  } catch (const std::exception& e) {
    Log().Error("handler failed",
                {{"path", request.path}, {"error", e.what()}});
    return internal_error;
  } catch (...) {
    Log().Error("handler failed",
                {{"path", request.path}, {"error", "non-standard exception"}});
    return internal_error;
  }
  if (!IsWellFormed(response)) {
    Log().Error("handler returned a malformed response",
                {{"path", request.path}});
    return internal_error;
  }
  return response;
}

void MaybeCompress(const WebRequest& request, WebResponse* response) {
  if (response->body.size() <= kGzipMinBytes) return;
  response->headers.emplace_back("Vary", "Accept-Encoding");
  const std::optional<std::string> accept = request.header("Accept-Encoding");
  if (!accept || !AcceptsGzip(*accept)) return;

  Result<std::string> compressed = GzipCompress(response->body);
  if (!compressed.ok()) {
    // Identity encoding is always acceptable, so fall back to it.
    Log().Warn("serving uncompressed",
               {{"error", compressed.error().message()}});
    return;
  }
  response->body = std::move(compressed).value();
  response->headers.emplace_back("Content-Encoding", "gzip");
}

std::vector<std::pair<std::string, std::string>> AllHeaders(
    const WebResponse& response) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", response.content_type},
      {"Content-Length", std::to_string(response.body.size())},
      {"X-Content-Type-Options", "nosniff"}};
  headers.insert(headers.end(), response.headers.begin(),
                 response.headers.end());
  return headers;
}

// Writes the status line, headers and body in one write. civetweb's header
// helpers are not used: they format the Date header with gmtime(), which is
// not thread-safe, and a head written apart from the body meets Nagle's
// algorithm and the client's delayed ACK, 40 ms per kept-alive response.
void WriteResponse(mg_connection* conn, const WebResponse& response,
                   bool head_only) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                    mg_get_response_code_text(conn, response.status) + "\r\n";
  for (const auto& [name, value] : AllHeaders(response)) {
    out += name + ": " + value + "\r\n";
  }
  out += "\r\n";
  if (!head_only) out += response.body;
  mg_write(conn, out.data(), out.size());
}

WebRequest ReadRequest(mg_connection* conn) {
  const mg_request_info* info = mg_get_request_info(conn);
  WebRequest request;
  request.method = info->request_method ? info->request_method : "";
  // local_uri is null for an absolute URI naming another host; that path
  // matches no route.
  request.path = info->local_uri ? info->local_uri : "";
  request.query = info->query_string ? info->query_string : "";
  request.header = [conn](std::string_view name) -> std::optional<std::string> {
    const char* value = mg_get_header(conn, std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  return request;
}

// civetweb answers requests it cannot parse (bad request line, headers
// over max_request_size) itself; give those the same headers as ours.
int SendCivetwebError(mg_connection* conn, int status, const char* message) {
  Log().Debug("civetweb refused a request",
              {{"status", std::to_string(status)}, {"reason", message}});
  WebResponse response = PlainResponse(status, std::string(message) + "\n");
  response.headers.emplace_back("Connection", "close");
  WriteResponse(conn, response, /*head_only=*/false);
  return 0;
}

int BoundPort(const mg_context* context) {
  mg_server_port ports[kMaxServerPorts] = {};
  const int count = mg_get_server_ports(context, kMaxServerPorts, ports);
  return count > 0 ? ports[0].port : 0;
}

Status CheckOptions(const WebServerOptions& options,
                    const ListenAddress& address) {
  if (address.ipv6 && mg_check_feature(MG_FEATURES_IPV6) == 0) {
    return Error("listen address \"" + options.listen_address +
                 "\": this civetweb was built without IPv6 support");
  }
  if (options.num_threads < 1) return Error("num_threads must be at least 1");
  if (options.request_timeout_ms < 1) {
    return Error("request_timeout_ms must be positive");
  }
  if (options.max_request_header_bytes < kMinHeaderBytes) {
    return Error("max_request_header_bytes must be at least 1024");
  }
  return Status::Ok();
}

}  // namespace

class WebServer::Impl {
 public:
  explicit Impl(std::map<std::string, WebHandler> routes)
      : routes_(std::move(routes)) {}

  Status Start(const WebServerOptions& options);
  int port() const { return port_; }

 private:
  static int OnRequest(mg_connection* conn);
  WebResponse Route(const WebRequest& request) const;

  const std::map<std::string, WebHandler> routes_;
  int port_ = 0;
  // Declared last so that it is destroyed first: mg_stop joins the workers
  // before the routes they call go away.
  ContextPtr context_;
};

Status WebServer::Impl::Start(const WebServerOptions& options) {
  Result<ListenAddress> address = ParseListenAddress(options.listen_address);
  if (!address.ok()) return address.error();
  if (Status status = CheckOptions(options, *address); !status.ok()) {
    return status;
  }

  // No document_root: civetweb then serves no files, directory listings,
  // CGI or SSI, and OnRequest answers every request anyway.
  const std::string ports = ToCivetwebListeningPorts(*address);
  const std::string threads = std::to_string(options.num_threads);
  const std::string timeout = std::to_string(options.request_timeout_ms);
  const std::string header_bytes =
      std::to_string(options.max_request_header_bytes);
  const char* config[] = {"listening_ports",
                          ports.c_str(),
                          "num_threads",
                          threads.c_str(),
                          "request_timeout_ms",
                          timeout.c_str(),
                          "max_request_size",
                          header_bytes.c_str(),
                          "enable_keep_alive",
                          "yes",
                          "tcp_nodelay",
                          "1",
                          "decode_url",
                          "no",
                          "enable_directory_listing",
                          "no",
                          nullptr};
  mg_callbacks callbacks = {};
  callbacks.begin_request = &Impl::OnRequest;
  callbacks.log_message = &LogCivetwebMessage;
  callbacks.http_error = &SendCivetwebError;

  InitCivetwebOnce();
  first_civetweb_message.clear();
  char error_text[256] = "";
  unsigned error_code = 0;
  mg_error_data error = {&error_code, error_text, sizeof(error_text)};
  mg_init_data init = {&callbacks, this, config};
  context_.reset(mg_start2(&init, &error));
  if (!context_) {
    const std::string& cause =
        first_civetweb_message.empty() ? error_text : first_civetweb_message;
    return Error("cannot serve on \"" + options.listen_address +
                 "\": " + cause);
  }
  port_ = BoundPort(context_.get());
  return Status::Ok();
}

int WebServer::Impl::OnRequest(mg_connection* conn) {
  auto* impl = static_cast<const Impl*>(mg_get_user_data(mg_get_context(conn)));
  // An exception must not unwind into civetweb's C frames.
  try {
    const WebRequest request = ReadRequest(conn);
    WebResponse response = impl->Route(request);
    MaybeCompress(request, &response);
    WriteResponse(conn, response, request.method == "HEAD");
    return response.status;
  } catch (const std::exception& e) {
    Log().Error("serving a request failed", {{"error", e.what()}});
  } catch (...) {
    Log().Error("serving a request failed");
  }
  return 500;
}

WebResponse WebServer::Impl::Route(const WebRequest& request) const {
  const auto route = routes_.find(request.path);
  if (route == routes_.end()) return PlainResponse(404, "not found\n");
  if (request.method != "GET" && request.method != "HEAD") {
    WebResponse response = PlainResponse(405, "method not allowed\n");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  return Invoke(route->second, request);
}

Result<std::unique_ptr<WebServer>> WebServer::Start(
    const WebServerOptions& options, std::map<std::string, WebHandler> routes) {
  auto impl = std::make_unique<Impl>(std::move(routes));
  if (Status status = impl->Start(options); !status.ok()) {
    return status.error();
  }
  return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

WebServer::WebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebServer::~WebServer() = default;

int WebServer::port() const { return impl_->port(); }

}  // namespace lcbe
