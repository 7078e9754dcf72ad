#include "api/curl_transport.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace lcbe {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kKey[] = "llx-secret-key-123";
constexpr char kAgent[] = "llamacloud_batch_exporter/test";

// libcurl and civetweb are set up once for the whole test binary.
struct Libraries {
  Libraries() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mg_init_library(0);
  }
};
const Libraries kLibraries;

void Send(mg_connection* conn, int status, const std::string& headers,
          const std::string& body) {
  mg_printf(conn, "HTTP/1.1 %d X\r\nContent-Length: %zu\r\n%s\r\n", status,
            body.size(), headers.c_str());
  mg_write(conn, body.data(), body.size());
}

std::string Gzip(const std::string& text) {
  z_stream stream{};
  // 31 = a 32 KiB window with a gzip header and trailer.
  REQUIRE(deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 31, 8,
                       Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&stream, text.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// A civetweb server on an ephemeral loopback port with a few canned
// routes. "/slow" answers only after ReleaseSlow().
class TestServer {
 public:
  TestServer() {
    const char* options[] = {
        "listening_ports",   "127.0.0.1:0", "num_threads", "4",
        "enable_keep_alive", "yes",         nullptr};
    mg_callbacks callbacks{};
    ctx_ = mg_start(&callbacks, this, options);
    REQUIRE(ctx_ != nullptr);
    mg_set_request_handler(ctx_, "/ok", &TestServer::Ok, this);
    mg_set_request_handler(ctx_, "/unavailable", &TestServer::Unavailable,
                           this);
    mg_set_request_handler(ctx_, "/slow", &TestServer::Slow, this);
    mg_set_request_handler(ctx_, "/big", &TestServer::Big, this);
    mg_set_request_handler(ctx_, "/stream", &TestServer::Stream, this);
    mg_set_request_handler(ctx_, "/gzip", &TestServer::Gzipped, this);
    mg_server_port port{};
    REQUIRE(mg_get_server_ports(ctx_, 1, &port) == 1);
    base_url_ = "http://127.0.0.1:" + std::to_string(port.port);
  }

  ~TestServer() {
    ReleaseSlow();
    mg_stop(ctx_);
  }

  void ReleaseSlow() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
    }
    released_cv_.notify_all();
  }

  std::string Url(const std::string& path) const { return base_url_ + path; }

 private:
  static int Ok(mg_connection* conn, void*) {
    const char* auth = mg_get_header(conn, "Authorization");
    const char* agent = mg_get_header(conn, "User-Agent");
    const std::string body =
        std::string("auth=") + (auth ? auth : "-") +
        "\nagent=" + (agent ? agent : "-") +
        "\nport=" + std::to_string(mg_get_request_info(conn)->remote_port);
    Send(conn, 200,
         "Retry-After: 3\r\nRETRY-AFTER-MS:  1500 \r\n"
         "x-should-retry: true\r\n",
         body);
    return 200;
  }

  static int Unavailable(mg_connection* conn, void*) {
    Send(conn, 503, "Retry-After: 7\r\n", R"({"detail":"down"})");
    return 503;
  }

  static int Slow(mg_connection* conn, void* data) {
    auto* self = static_cast<TestServer*>(data);
    std::unique_lock<std::mutex> lock(self->mu_);
    self->released_cv_.wait_for(lock, seconds(20),
                                [self] { return self->released_; });
    Send(conn, 200, "", "late");
    return 200;
  }

  // A declared length over the limit.
  static int Big(mg_connection* conn, void*) {
    Send(conn, 200, "", std::string(2 << 20, 'x'));
    return 200;
  }

  // No declared length: the body just keeps coming until the close.
  static int Stream(mg_connection* conn, void*) {
    mg_printf(conn, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
    const std::string chunk(64 << 10, 'y');
    for (int i = 0; i < 32; ++i) {
      if (mg_write(conn, chunk.data(), chunk.size()) <= 0) break;
    }
    return 200;
  }

  static int Gzipped(mg_connection* conn, void*) {
    const char* accept = mg_get_header(conn, "Accept-Encoding");
    if (accept == nullptr ||
        std::string(accept).find("gzip") == std::string::npos) {
      Send(conn, 406, "", "no gzip offered");
      return 406;
    }
    Send(conn, 200, "Content-Encoding: gzip\r\n",
         Gzip(R"({"items":[],"total_size":0})"));
    return 200;
  }

  mg_context* ctx_ = nullptr;
  std::string base_url_;
  std::mutex mu_;
  std::condition_variable released_cv_;
  bool released_ = false;
};

// One server for every test, never stopped: mg_stop() waits out a two
// second poll interval, which would dominate the run time.
TestServer& Server() {
  static TestServer* const server = new TestServer;
  return *server;
}

HttpResponse RequireResponse(TransportResult result) {
  if (auto* error = std::get_if<TransportError>(&result)) {
    FAIL("transport error: " << error->message);
  }
  return std::get<HttpResponse>(std::move(result));
}

TransportError RequireError(TransportResult result) {
  REQUIRE(std::holds_alternative<TransportError>(result));
  const TransportError error = std::get<TransportError>(std::move(result));
  CHECK(error.message.find("secret") == std::string::npos);
  return error;
}

std::string Field(const std::string& body, const std::string& name) {
  const size_t start = body.find(name + "=");
  REQUIRE(start != std::string::npos);
  const size_t end = body.find('\n', start);
  return body.substr(start + name.size() + 1, end - start - name.size() - 1);
}

TEST_CASE("CurlTransport returns the body, status and retry headers",
          "[curl]") {
  TestServer& server = Server();
  CurlTransport transport(kKey, kAgent, seconds(2));
  HttpResponse response =
      RequireResponse(transport.Get(server.Url("/ok"), seconds(5)));
  CHECK(response.status == 200);
  CHECK(Field(response.body, "auth") == std::string("Bearer ") + kKey);
  CHECK(Field(response.body, "agent") == kAgent);
  CHECK(response.retry_after == "3");
  CHECK(response.retry_after_ms == "1500");
  CHECK(response.should_retry == "true");
  CHECK(response.body.capacity() >= response.body.size() + kBodyPadding);
}

TEST_CASE("CurlTransport sends no Authorization without a key", "[curl]") {
  TestServer& server = Server();
  CurlTransport transport("", kAgent, seconds(2));
  HttpResponse response =
      RequireResponse(transport.Get(server.Url("/ok"), seconds(5)));
  CHECK(Field(response.body, "auth") == "-");
}

TEST_CASE("CurlTransport reuses its connection", "[curl]") {
  TestServer& server = Server();
  CurlTransport transport(kKey, kAgent, seconds(2));
  const HttpResponse first =
      RequireResponse(transport.Get(server.Url("/ok"), seconds(5)));
  const HttpResponse second =
      RequireResponse(transport.Get(server.Url("/ok"), seconds(5)));
  CHECK(Field(first.body, "port") == Field(second.body, "port"));
}

TEST_CASE("CurlTransport passes error statuses through", "[curl]") {
  TestServer& server = Server();
  CurlTransport transport(kKey, kAgent, seconds(2));
  HttpResponse response =
      RequireResponse(transport.Get(server.Url("/unavailable"), seconds(5)));
  CHECK(response.status == 503);
  CHECK(response.body == R"({"detail":"down"})");
  CHECK(response.retry_after == "7");
  CHECK(response.retry_after_ms.empty());
  CHECK(response.should_retry.empty());

  HttpResponse missing =
      RequireResponse(transport.Get(server.Url("/nothing"), seconds(5)));
  CHECK(missing.status == 404);
}

TEST_CASE("CurlTransport decodes a gzip body", "[curl]") {
  TestServer& server = Server();
  CurlTransport transport(kKey, kAgent, seconds(2));
  HttpResponse response =
      RequireResponse(transport.Get(server.Url("/gzip"), seconds(5)));
  CHECK(response.status == 200);
  CHECK(response.body == R"({"items":[],"total_size":0})");
}

TEST_CASE("CurlTransport reports a timeout", "[curl]") {
  TestServer& server = Server();
  CurlTransport transport(kKey, kAgent, seconds(2));
  const TransportError error =
      RequireError(transport.Get(server.Url("/slow"), milliseconds(200)));
  server.ReleaseSlow();
  CHECK(error.failure == TransportFailure::kTimeout);
}

// A loopback port that nothing listens on: bound, then released.
int UnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t length = sizeof addr;
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST_CASE("CurlTransport reports a refused connection", "[curl]") {
  CurlTransport transport(kKey, kAgent, seconds(2));
  const std::string url =
      "http://127.0.0.1:" + std::to_string(UnusedPort()) + "/ok";
  const TransportError error = RequireError(transport.Get(url, seconds(5)));
  CHECK(error.failure == TransportFailure::kConnect);
  CHECK(error.message.find("127.0.0.1") != std::string::npos);
}

TEST_CASE("CurlTransport refuses bodies over its limit", "[curl]") {
  TestServer& server = Server();
  CurlTransport transport(kKey, kAgent, seconds(2), 1 << 20);
  for (const char* path : {"/big", "/stream"}) {
    INFO(path);
    const TransportError error =
        RequireError(transport.Get(server.Url(path), seconds(5)));
    CHECK(error.failure == TransportFailure::kOther);
    CHECK(error.message == "response body over 1048576 bytes");
  }
  // The handle is still good afterwards.
  CHECK(RequireResponse(transport.Get(server.Url("/ok"), seconds(5))).status ==
        200);
}

TEST_CASE("CurlTransport rejects schemes other than HTTP(S)", "[curl]") {
  CurlTransport transport(kKey, kAgent, seconds(2));
  const TransportError error =
      RequireError(transport.Get("file:///etc/hostname", seconds(1)));
  CHECK(error.failure == TransportFailure::kOther);
}

}  // namespace
}  // namespace lcbe
