#include "web/server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "common/log.h"
#include "web/gzip.h"
#include "web/listen_address.h"

namespace lcbe {
namespace {

// A stream buffer the logger can write to from server threads while the
// test reads it.
class LockedLogBuffer : public std::streambuf {
 public:
  std::string Contents() {
    std::lock_guard<std::mutex> lock(mu_);
    return text_;
  }

 protected:
  int_type overflow(int_type c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    std::lock_guard<std::mutex> lock(mu_);
    text_.push_back(static_cast<char>(c));
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard<std::mutex> lock(mu_);
    text_.append(s, static_cast<size_t>(n));
    return n;
  }

 private:
  std::mutex mu_;
  std::string text_;
};

// Also initialises libcurl once, before any test thread uses it.
LockedLogBuffer& CapturedLog() {
  static LockedLogBuffer* buffer = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    auto* b = new LockedLogBuffer();
    static std::ostream stream(b);
    SetLogger(LogLevel::kDebug, LogFormat::kLogfmt, &stream);
    return b;
  }();
  return *buffer;
}

struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  // Lower-cased names.
  std::map<std::string, std::string> headers;

  // The value of header `name` (lower case), or "" when absent.
  std::string Header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t AppendHeader(char* data, size_t size, size_t count, void* out) {
  std::string line(data, size * count);
  const size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of("\r\n") + 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * count;
}

struct FetchOptions {
  std::string method = "GET";
  std::vector<std::string> headers;
  // Lets libcurl negotiate and decode gzip itself.
  bool curl_decodes_gzip = false;
};

FetchOptions Method(std::string method) {
  FetchOptions options;
  options.method = std::move(method);
  return options;
}

FetchOptions Headers(std::vector<std::string> headers,
                     std::string method = "GET") {
  FetchOptions options;
  options.method = std::move(method);
  options.headers = std::move(headers);
  return options;
}

FetchOptions GzipDecodedByCurl() {
  FetchOptions options;
  options.curl_decodes_gzip = true;
  return options;
}

WebServerOptions ServerOptions(int num_threads, int request_timeout_ms) {
  WebServerOptions options;
  options.num_threads = num_threads;
  options.request_timeout_ms = request_timeout_ms;
  return options;
}

WebServerOptions Listen(std::string address) {
  WebServerOptions options;
  options.listen_address = std::move(address);
  return options;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

Reply Fetch(int port, const std::string& path,
            const FetchOptions& options = {}) {
  CapturedLog();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const std::string& header : options.headers) {
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  }
  Reply reply;
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, &AppendHeader);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &reply.headers);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  if (options.method == "HEAD") {
    curl_easy_setopt(curl.get(), CURLOPT_NOBODY, 1L);
  } else if (options.method != "GET") {
    curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, options.method.c_str());
  }
  if (options.curl_decodes_gzip) {
    curl_easy_setopt(curl.get(), CURLOPT_ACCEPT_ENCODING, "gzip");
  }
  reply.code = curl_easy_perform(curl.get());
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

// Sends `request` over a plain socket and returns what the server sent
// until it closed the connection or `timeout` passed.
std::string SendRaw(int port, const std::string& request,
                    std::chrono::milliseconds timeout) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval tv = {};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string received;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) ==
      0) {
    (void)send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buffer[4096];
    ssize_t n = 0;
    while ((n = recv(fd, buffer, sizeof(buffer), 0)) > 0) {
      received.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  return received;
}

std::string Gunzip(const std::string& data) {
  z_stream stream = {};
  REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
  std::string out;
  char buffer[16384];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - stream.avail_out);
  }
  inflateEnd(&stream);
  REQUIRE(rc == Z_STREAM_END);
  return out;
}

WebResponse Text(std::string body) {
  WebResponse response;
  response.body = std::move(body);
  return response;
}

std::unique_ptr<WebServer> StartServer(std::map<std::string, WebHandler> routes,
                                       WebServerOptions options = {}) {
  CapturedLog();
  if (options.listen_address.empty()) options.listen_address = "127.0.0.1:0";
  Result<std::unique_ptr<WebServer>> server =
      WebServer::Start(options, std::move(routes));
  if (!server.ok()) FAIL(server.error().message());
  REQUIRE(server.value()->port() > 0);
  return std::move(server).value();
}

const std::string& LargeBody() {
  static const std::string body = [] {
    std::string text;
    for (int i = 0; i < 500; ++i) {
      text += "llamacloud_batch_items{job_id=\"bjb-" + std::to_string(i) +
              "\",status=\"SUCCESS\"} " + std::to_string(i * 7) + "\n";
    }
    return text;
  }();
  return body;
}

}  // namespace

TEST_CASE("a route answers GET with its body and the standard headers") {
  auto server =
      StartServer({{"/hello", [](const WebRequest&) { return Text("hi\n"); }}});
  const Reply reply = Fetch(server->port(), "/hello");
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  CHECK(reply.body == "hi\n");
  CHECK(reply.Header("content-length") == "3");
  CHECK(reply.Header("content-type") == "text/plain; charset=utf-8");
  CHECK(reply.Header("x-content-type-options") == "nosniff");
}

TEST_CASE("the query string plays no part in routing but reaches handler") {
  std::string seen_query;
  auto server = StartServer({{"/metrics", [&](const WebRequest& request) {
                                seen_query = request.query;
                                return Text("ok");
                              }}});
  const Reply reply = Fetch(server->port(), "/metrics?target=a&x=%20");
  CHECK(reply.status == 200);
  CHECK(seen_query == "target=a&x=%20");
}

TEST_CASE("a handler can read request headers case-insensitively") {
  auto server =
      StartServer({{"/h", [](const WebRequest& request) {
                      return Text(request.header("x-probe").value_or("absent"));
                    }}});
  CHECK(Fetch(server->port(), "/h", Headers({"X-Probe: seven"})).body ==
        "seven");
  CHECK(Fetch(server->port(), "/h").body == "absent");
}

TEST_CASE("an unknown path gets 404 without calling any handler") {
  std::atomic<int> calls{0};
  auto server = StartServer({{"/metrics", [&](const WebRequest&) {
                                ++calls;
                                return Text("ok");
                              }}});
  for (const char* path :
       {"/", "/metrics/", "/metricsx", "/%6detrics", "/../metrics/x"}) {
    INFO(path);
    const Reply reply = Fetch(server->port(), path);
    CHECK(reply.status == 404);
    CHECK(reply.Header("x-content-type-options") == "nosniff");
  }
  CHECK(calls == 0);
}

TEST_CASE("methods other than GET and HEAD get 405 with an Allow header") {
  std::atomic<int> calls{0};
  auto server = StartServer({{"/metrics", [&](const WebRequest&) {
                                ++calls;
                                return Text("ok");
                              }}});
  for (const char* method :
       {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND", "CONNECT"}) {
    INFO(method);
    Reply reply = Fetch(server->port(), "/metrics", Method(method));
    CHECK(reply.status == 405);
    CHECK(reply.Header("allow") == "GET, HEAD");
    CHECK(reply.Header("x-content-type-options") == "nosniff");
  }
  CHECK(calls == 0);
}

TEST_CASE("methods civetweb does not know are refused with 400") {
  // civetweb rejects TRACE and unregistered method names while parsing the
  // request line, before our routing sees them.
  std::atomic<int> calls{0};
  auto server = StartServer({{"/metrics", [&](const WebRequest&) {
                                ++calls;
                                return Text("ok");
                              }}});
  for (const char* method : {"TRACE", "BREW", "G\x01T"}) {
    INFO(method);
    Reply reply = Fetch(server->port(), "/metrics", Method(method));
    CHECK(reply.status == 400);
    CHECK(reply.Header("x-content-type-options") == "nosniff");
    CHECK(reply.Header("content-length") == std::to_string(reply.body.size()));
  }
  CHECK(calls == 0);
}

TEST_CASE("HEAD gets the headers of GET and no body") {
  auto server = StartServer(
      {{"/big", [](const WebRequest&) { return Text(LargeBody()); }}});
  const Reply get = Fetch(server->port(), "/big");
  const Reply head = Fetch(server->port(), "/big", Method("HEAD"));
  REQUIRE(head.code == CURLE_OK);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.Header("content-length") == std::to_string(LargeBody().size()));
  CHECK(get.body == LargeBody());

  const Reply head_gzip =
      Fetch(server->port(), "/big", Headers({"Accept-Encoding: gzip"}, "HEAD"));
  CHECK(head_gzip.Header("content-encoding") == "gzip");
  CHECK(std::stoul(head_gzip.Header("content-length")) < LargeBody().size());
}

TEST_CASE("a throwing handler gets 500 and its message is logged, not sent") {
  auto server = StartServer(
      {{"/boom",
        [](const WebRequest&) -> WebResponse {
          throw std::runtime_error("secret-detail-4711");
        }},
       {"/odd", [](const WebRequest&) -> WebResponse { throw 42; }}});
  const Reply reply = Fetch(server->port(), "/boom");
  CHECK(reply.status == 500);
  CHECK(reply.body == "internal error\n");
  for (const auto& [name, value] : reply.headers) {
    CHECK(value.find("secret-detail-4711") == std::string::npos);
  }
  CHECK(CapturedLog().Contents().find("secret-detail-4711") !=
        std::string::npos);

  CHECK(Fetch(server->port(), "/odd").status == 500);
  CHECK(Fetch(server->port(), "/boom").status == 500);
}

TEST_CASE("a handler's response with a header injection becomes a 500") {
  auto server = StartServer(
      {{"/inject",
        [](const WebRequest&) {
          WebResponse response = Text("x");
          response.headers.emplace_back("X-A", "1\r\nSet-Cookie: evil=1");
          return response;
        }},
       {"/length", [](const WebRequest&) {
          WebResponse response = Text("x");
          response.headers.emplace_back("content-length", "99");
          return response;
        }}});
  const Reply inject = Fetch(server->port(), "/inject");
  CHECK(inject.status == 500);
  CHECK(inject.headers.count("set-cookie") == 0);
  CHECK(Fetch(server->port(), "/length").status == 500);
}

TEST_CASE("handler status and extra headers are passed through") {
  auto server =
      StartServer({{"/ready", [](const WebRequest&) {
                      WebResponse response = Text("not ready\n");
                      response.status = 503;
                      response.content_type = "text/html";
                      response.headers.emplace_back("Retry-After", "5");
                      return response;
                    }}});
  Reply reply = Fetch(server->port(), "/ready");
  CHECK(reply.status == 503);
  CHECK(reply.body == "not ready\n");
  CHECK(reply.Header("content-type") == "text/html");
  CHECK(reply.Header("retry-after") == "5");
}

TEST_CASE("request headers over the limit get a 4xx and the server lives") {
  auto server =
      StartServer({{"/", [](const WebRequest&) { return Text("alive"); }}});
  const std::string huge = "X-Huge: " + std::string(64 * 1024, 'a');
  const Reply reply = Fetch(server->port(), "/", Headers({huge}));
  if (reply.code == CURLE_OK) {
    CHECK(reply.status >= 400);
    CHECK(reply.status < 500);
  }
  const Reply after = Fetch(server->port(), "/");
  CHECK(after.status == 200);
  CHECK(after.body == "alive");
}

TEST_CASE("gzip is used when asked for and the body is over 1 KiB") {
  auto server = StartServer(
      {{"/big", [](const WebRequest&) { return Text(LargeBody()); }},
       {"/small", [](const WebRequest&) { return Text("tiny"); }}});

  const Reply raw =
      Fetch(server->port(), "/big", Headers({"Accept-Encoding: gzip"}));
  REQUIRE(raw.status == 200);
  CHECK(raw.Header("content-encoding") == "gzip");
  CHECK(raw.Header("vary") == "Accept-Encoding");
  CHECK(raw.Header("content-length") == std::to_string(raw.body.size()));
  CHECK(raw.body.size() < LargeBody().size());
  CHECK(Gunzip(raw.body) == LargeBody());

  const Reply decoded = Fetch(server->port(), "/big", GzipDecodedByCurl());
  CHECK(decoded.body == LargeBody());

  const Reply plain = Fetch(server->port(), "/big");
  CHECK(plain.headers.count("content-encoding") == 0);
  CHECK(plain.body == LargeBody());

  const Reply refused =
      Fetch(server->port(), "/big", Headers({"Accept-Encoding: gzip;q=0"}));
  CHECK(refused.headers.count("content-encoding") == 0);

  const Reply small =
      Fetch(server->port(), "/small", Headers({"Accept-Encoding: gzip"}));
  CHECK(small.headers.count("content-encoding") == 0);
  CHECK(small.body == "tiny");
}

TEST_CASE("concurrent requests are all answered") {
  std::atomic<int> calls{0};
  auto server = StartServer({{"/n",
                              [&](const WebRequest& request) {
                                ++calls;
                                return Text(request.query);
                              }}},
                            ServerOptions(4, 30000));
  constexpr int kThreads = 8;
  constexpr int kRequests = 50;
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequests; ++i) {
        const std::string query =
            "t=" + std::to_string(t) + "&i=" + std::to_string(i);
        const Reply reply = Fetch(server->port(), "/n?" + query);
        if (reply.status == 200 && reply.body == query) ++correct;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(correct == kThreads * kRequests);
  CHECK(calls == kThreads * kRequests);
}

TEST_CASE("a blocked handler does not block other routes") {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto server =
      StartServer({{"/slow",
                    [&](const WebRequest&) {
                      entered.set_value();
                      released.wait();
                      return Text("slow done");
                    }},
                   {"/fast", [](const WebRequest&) { return Text("fast"); }}},
                  ServerOptions(2, 30000));

  auto slow = std::async(std::launch::async,
                         [&] { return Fetch(server->port(), "/slow"); });
  entered.get_future().wait();
  const Reply fast = Fetch(server->port(), "/fast");
  release.set_value();

  CHECK(fast.status == 200);
  CHECK(fast.body == "fast");
  CHECK(slow.get().body == "slow done");
}

TEST_CASE("a handler may run longer than the request timeout") {
  auto server = StartServer(
      {{"/slow",
        [](const WebRequest&) {
          std::this_thread::sleep_for(std::chrono::milliseconds(700));
          return Text(LargeBody());
        }}},
      ServerOptions(8, 200));
  const Reply reply = Fetch(server->port(), "/slow");
  CHECK(reply.status == 200);
  CHECK(reply.body == LargeBody());
}

TEST_CASE("keep-alive reuses one connection") {
  auto server =
      StartServer({{"/k", [](const WebRequest&) { return Text("k"); }}});
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  const std::string url =
      "http://127.0.0.1:" + std::to_string(server->port()) + "/k";
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  REQUIRE(curl_easy_perform(curl.get()) == CURLE_OK);
  REQUIRE(curl_easy_perform(curl.get()) == CURLE_OK);
  long new_connections = -1;
  curl_easy_getinfo(curl.get(), CURLINFO_NUM_CONNECTS, &new_connections);
  CHECK(new_connections == 0);
  CHECK(body == "kk");
}

TEST_CASE("raw garbage and half requests get 4xx and the server lives") {
  auto server =
      StartServer({{"/", [](const WebRequest&) { return Text("alive"); }}},
                  ServerOptions(8, 300));
  // Far above the 300 ms request timeout: the server, not this client,
  // must end each exchange.
  const auto patience = std::chrono::milliseconds(10000);
  const auto refused = [&](const std::string& request, const char* status) {
    const std::string reply = SendRaw(server->port(), request, patience);
    INFO(reply);
    CHECK(reply.rfind("HTTP/", 0) == 0);
    CHECK(reply.find(status) != std::string::npos);
    CHECK(reply.find("X-Content-Type-Options: nosniff") != std::string::npos);
    CHECK(reply.find("alive") == std::string::npos);
  };

  refused(std::string("\x01\x02\x03 garbage\r\n\r\n"), " 400 ");
  refused("GET\r\n\r\n", " 400 ");
  refused("GET / HTTP/9.9\r\n\r\n", " 505 ");
  refused("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", " 411 ");
  // Headers that never end are cut off at the request timeout.
  refused("GET / HTTP/1.1\r\nHost:", " 400 ");

  CHECK(Fetch(server->port(), "/").body == "alive");
}

TEST_CASE("a WebSocket upgrade request still gets a well-formed reply") {
  // civetweb's header API refuses connections it typed as WebSocket; the
  // body alone once went out with no status line.
  auto server =
      StartServer({{"/", [](const WebRequest&) { return Text("alive"); }}});
  const std::string reply = SendRaw(
      server->port(),
      "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n",
      std::chrono::milliseconds(10000));
  INFO(reply);
  CHECK(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(reply.find("Content-Length: 5\r\n") != std::string::npos);
  CHECK(reply.find("X-Content-Type-Options: nosniff\r\n") != std::string::npos);
  CHECK(reply.substr(reply.size() - 9) == "\r\n\r\nalive");
}

TEST_CASE("a server on a taken port fails with the cause") {
  auto first = StartServer({});
  WebServerOptions options;
  options.listen_address = "127.0.0.1:" + std::to_string(first->port());
  Result<std::unique_ptr<WebServer>> second = WebServer::Start(options, {});
  REQUIRE_FALSE(second.ok());
  CHECK_THAT(second.error().message(),
             Catch::Contains(std::to_string(first->port())));
  CHECK_THAT(second.error().message(), Catch::Contains("bind"));
}

TEST_CASE("malformed listen addresses and options are refused") {
  for (const char* address :
       {"", "9184", "abc", ":", ":-1", ":65536", ":80s", ":80,81", "1.2.3:80",
        "host.example:80", "[::1]", "[zz]:80", "[::1]80", ": 80"}) {
    INFO(address);
    Result<std::unique_ptr<WebServer>> server =
        WebServer::Start(Listen(address), {});
    REQUIRE_FALSE(server.ok());
    CHECK_THAT(server.error().message(), Catch::Contains("listen address"));
  }
  WebServerOptions no_threads = Listen(":0");
  no_threads.num_threads = 0;
  CHECK_FALSE(WebServer::Start(no_threads, {}).ok());
}

TEST_CASE("IPv6 addresses work or name the missing support") {
  Result<std::unique_ptr<WebServer>> server =
      WebServer::Start(Listen("[::1]:0"), {});
  if (server.ok()) {
    CHECK(server.value()->port() > 0);
  } else {
    CHECK_THAT(server.error().message(), Catch::Contains("IPv6"));
  }
}

TEST_CASE("listen addresses parse into civetweb's form") {
  CHECK(ToCivetwebListeningPorts(*ParseListenAddress(":9184")) == "9184");
  CHECK(ToCivetwebListeningPorts(*ParseListenAddress("127.0.0.1:0")) ==
        "127.0.0.1:0");
  CHECK(ToCivetwebListeningPorts(*ParseListenAddress("localhost:80")) ==
        "127.0.0.1:80");
  CHECK(ToCivetwebListeningPorts(*ParseListenAddress("[::1]:9184")) ==
        "[::1]:9184");
  CHECK(ParseListenAddress("[::1]:9184")->ipv6);
}

TEST_CASE("Accept-Encoding values are read per RFC 9110") {
  CHECK(AcceptsGzip("gzip"));
  CHECK(AcceptsGzip("GZIP"));
  CHECK(AcceptsGzip("deflate, gzip;q=0.5"));
  CHECK(AcceptsGzip("identity , gzip ; q=1"));
  CHECK_FALSE(AcceptsGzip(""));
  CHECK_FALSE(AcceptsGzip("deflate"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0.000"));
  CHECK_FALSE(AcceptsGzip("gzip;q=abc"));
  CHECK_FALSE(AcceptsGzip("*"));
  CHECK_FALSE(AcceptsGzip("xgzip"));
}

TEST_CASE("GzipCompress round-trips") {
  Result<std::string> compressed = GzipCompress(LargeBody());
  REQUIRE(compressed.ok());
  CHECK(Gunzip(*compressed) == LargeBody());
  Result<std::string> empty = GzipCompress("");
  REQUIRE(empty.ok());
  CHECK(Gunzip(*empty).empty());
}

}  // namespace lcbe
