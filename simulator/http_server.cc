#include "http_server.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

namespace lcbe::sim {
namespace {

constexpr size_t kMaxBodyBytes = 1 << 20;

HttpRequest ReadRequest(mg_connection* connection) {
  const mg_request_info* info = mg_get_request_info(connection);
  HttpRequest request;
  request.method = info->request_method ? info->request_method : "";
  request.path = info->local_uri ? info->local_uri : "";
  request.query = info->query_string ? info->query_string : "";
  for (int i = 0; i < info->num_headers; ++i) {
    request.headers.emplace_back(info->http_headers[i].name,
                                 info->http_headers[i].value);
  }
  char buffer[8192];
  int n = 0;
  while (request.body.size() < kMaxBodyBytes &&
         (n = mg_read(connection, buffer, sizeof buffer)) > 0) {
    request.body.append(buffer, static_cast<size_t>(n));
  }
  return request;
}

// Writes the status line and headers by hand: civetweb's header helpers
// format their Date header with gmtime(), which is not thread-safe.
void SendResponse(mg_connection* connection, const HttpResponse& response,
                  bool head_only) {
  std::string head =
      "HTTP/1.1 " + std::to_string(response.status) + " " +
      mg_get_response_code_text(connection, response.status) +
      "\r\nContent-Type: " + response.content_type +
      "\r\nContent-Length: " + std::to_string(response.body.size()) + "\r\n";
  for (const auto& [name, value] : response.headers) {
    head += name + ": " + value + "\r\n";
  }
  head += "\r\n";
  // One write per response: a separate small write for the head would
  // meet Nagle's algorithm and the client's delayed ACK, 40 ms each.
  if (!head_only) head += response.body;
  mg_write(connection, head.data(), head.size());
}

// Opens and at once closes a TCP connection to `host`:`port`.
void Knock(const std::string& host, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) return;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  close(fd);
}

// The IPv4 address to knock on for a listen address: its host, or
// loopback when it listens on every interface.
std::string WakeAddress(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  const std::string host =
      colon == std::string::npos ? "" : listen.substr(0, colon);
  return host.empty() || host == "0.0.0.0" ? "127.0.0.1" : host;
}

}  // namespace

std::optional<std::string> HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

HttpServer::HttpServer(HttpHandler handler) : handler_(std::move(handler)) {}

HttpServer::~HttpServer() {
  if (context_ == nullptr) return;
  // civetweb's master thread looks at the stop flag only when its poll()
  // returns: every two seconds, or at once when a connection arrives. So
  // knock on the port while mg_stop() waits, to stop in milliseconds.
  std::atomic<bool> stopped = false;
  std::thread stopper([this, &stopped] {
    mg_stop(context_);
    stopped = true;
  });
  while (!stopped) {
    Knock(wake_address_, port_);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stopper.join();
}

int HttpServer::OnRequest(mg_connection* connection) {
  auto* server =
      static_cast<HttpServer*>(mg_get_user_data(mg_get_context(connection)));
  const HttpRequest request = ReadRequest(connection);
  HttpResponse response;
  try {
    response = server->handler_(request);
  } catch (const std::exception&) {
    // A handler bug must not take the whole simulator down mid-test.
    response = HttpResponse();
    response.status = 500;
    response.body = "{\"detail\":\"internal error\"}";
  }
  SendResponse(connection, response, request.method == "HEAD");
  return response.status;
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& listen,
                                                      int threads,
                                                      HttpHandler handler) {
  static std::once_flag library_once;
  std::call_once(library_once, [] { mg_init_library(0); });

  std::unique_ptr<HttpServer> server(new HttpServer(std::move(handler)));
  const std::string thread_count = std::to_string(threads);
  const char* options[] = {"listening_ports",
                           listen.c_str(),
                           "num_threads",
                           thread_count.c_str(),
                           "enable_keep_alive",
                           "yes",
                           "request_timeout_ms",
                           "120000",
                           "tcp_nodelay",
                           "1",
                           nullptr};
  mg_callbacks callbacks{};
  callbacks.begin_request = &HttpServer::OnRequest;
  mg_init_data init{&callbacks, server.get(), options};
  char error_text[256] = "";
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text, sizeof error_text};
  server->context_ = mg_start2(&init, &error);
  if (server->context_ == nullptr) {
    return Error("cannot listen on " + listen + ": " + error_text);
  }

  mg_server_port ports[4] = {};
  if (mg_get_server_ports(server->context_, 4, ports) < 1) {
    return Error("cannot read the bound port of " + listen);
  }
  server->port_ = ports[0].port;
  server->wake_address_ = WakeAddress(listen);
  return server;
}

}  // namespace lcbe::sim
