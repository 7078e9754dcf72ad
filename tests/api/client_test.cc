#include "api/client.h"

#include <catch2/catch.hpp>

#include <mutex>
#include <string>
#include <vector>

#include "fake_clock.h"
#include "fake_transport.h"

namespace lcbe {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kPage[] =
    R"({"items":[{"item_id":"a","status":"completed"},)"
    R"({"item_id":"b","status":"failed"}],"total_size":2})";

class CodeRecorder : public RequestObserver {
 public:
  void OnRequest(std::string_view code, double elapsed) override {
    std::lock_guard<std::mutex> lock(mu_);
    codes.emplace_back(code);
    durations.push_back(elapsed);
  }
  std::vector<std::string> codes;
  std::vector<double> durations;

 private:
  std::mutex mu_;
};

class CountingConsumer : public ItemConsumer {
 public:
  void Consume(const ItemView& item) override {
    ids.emplace_back(item.item_id);
  }
  std::vector<std::string> ids;
};

Config TestConfig() {
  Config config;
  config.api_url = "http://127.0.0.1:1";  // as the loader normalises it
  config.page_size = 1000;
  config.max_retries = 4;
  config.request_timeout = seconds(30);
  config.max_retry_after = seconds(60);
  return config;
}

JobConfig Job(std::string id) {
  JobConfig job;
  job.id = std::move(id);
  return job;
}

// Wires a client to a fake transport and clock.
struct Harness {
  explicit Harness(Config config = TestConfig())
      : transport(&clock), client(config, &transport, &clock, &observer) {}

  Result<PageSummary> Page(const JobConfig& job, int64_t offset,
                           SteadyTime::duration budget = seconds(60)) {
    return client.FetchItemPage(job, offset, clock.Now() + budget, consumer);
  }

  FakeClock clock;
  FakeTransport transport;
  CodeRecorder observer;
  CountingConsumer consumer;
  ApiClient client;
};

TEST_CASE("A page is fetched from the items URL and parsed", "[client]") {
  Config config = TestConfig();
  config.page_size = 500;
  config.project_id = "prj 1&x";
  Harness h(config);
  h.transport.Push(Answer(200, kPage), milliseconds(120));

  auto page = h.Page(Job("bjb-1/2"), 1500);
  REQUIRE(page.ok());
  CHECK(page->item_count == 2);
  CHECK(page->total_size == 2);
  CHECK(h.consumer.ids == std::vector<std::string>{"a", "b"});
  REQUIRE(h.transport.requests().size() == 1);
  CHECK(h.transport.requests()[0].url ==
        "http://127.0.0.1:1/api/v1/beta/batch-processing/bjb-1%2F2/items"
        "?limit=500&offset=1500&project_id=prj%201%26x");
  CHECK(h.transport.requests()[0].timeout == seconds(30));
  CHECK(h.observer.codes == std::vector<std::string>{"200"});
  CHECK(h.observer.durations == std::vector<double>{0.12});
}

TEST_CASE("A job's own scope overrides the default", "[client]") {
  Config config = TestConfig();
  config.project_id = "p-default";
  config.organization_id = "o-default";
  Harness h(config);
  h.transport.Push(Answer(200, R"({"job":{"status":"completed"}})"));
  JobConfig job = Job("bjb-9");
  job.project_id = "p-job";

  auto info = h.client.FetchJob(job, h.clock.Now() + seconds(5));
  REQUIRE(info.ok());
  CHECK(info->status == "completed");
  CHECK(info->final);
  CHECK(h.transport.requests()[0].url ==
        "http://127.0.0.1:1/api/v1/beta/batch-processing/bjb-9"
        "?project_id=p-job&organization_id=o-default");
  CHECK(h.transport.requests()[0].timeout == seconds(5));
}

TEST_CASE("Server errors and timeouts are retried with backoff", "[client]") {
  Harness h;
  h.transport.Push(Answer(503, R"({"detail":"busy"})"));
  h.transport.Push(TransportError{TransportFailure::kTimeout, "slow"});
  h.transport.Push(Answer(200, kPage));

  auto page = h.Page(Job("bjb-1"), 0);
  REQUIRE(page.ok());
  CHECK(h.observer.codes == std::vector<std::string>{"503", "timeout", "200"});
  const auto requests = h.transport.requests();
  REQUIRE(requests.size() == 3);
  // Backoff 0.5 s then 1 s, each shortened by at most 25 %.
  CHECK(requests[1].at_seconds >= 0.375);
  CHECK(requests[1].at_seconds <= 0.5);
  CHECK(requests[2].at_seconds - requests[1].at_seconds >= 0.75);
  CHECK(requests[2].at_seconds - requests[1].at_seconds <= 1.0);
}

TEST_CASE("Client errors are not retried and carry the detail", "[client]") {
  Harness h;
  h.transport.Push(Answer(404, R"({"detail":"Batch job not\nfound"})"));
  auto page = h.Page(Job("bjb-1"), 0);
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message() == "HTTP 404: Batch job not found");
  CHECK(h.transport.requests().size() == 1);
}

TEST_CASE("Validation errors list their messages", "[client]") {
  Harness h;
  h.transport.Push(
      Answer(422, R"({"detail":[{"loc":["query","limit"],"msg":"too big"},)"
                  R"({"loc":["query","offset"],"msg":"negative"}]})"));
  auto page = h.Page(Job("bjb-1"), 0);
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message() == "HTTP 422: too big; negative");
}

TEST_CASE("A long non-JSON error body is cut to one short line", "[client]") {
  Harness h;
  h.transport.Push(Answer(401, "<html>\r\n" + std::string(300, 'x')));
  auto page = h.Page(Job("bjb-1"), 0);
  REQUIRE_FALSE(page.ok());
  const std::string& message = page.error().message();
  CHECK(message.rfind("HTTP 401: <html>  xxx", 0) == 0);
  CHECK(message.size() == std::string("HTTP 401: ").size() + 200 + 3);
  CHECK(message.find('\n') == std::string::npos);
}

TEST_CASE("Retries stop at max_retries", "[client]") {
  Config config = TestConfig();
  config.max_retries = 2;
  Harness h(config);
  for (int i = 0; i < 5; ++i) h.transport.Push(Answer(500, ""));
  auto page = h.Page(Job("bjb-1"), 0);
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message() ==
        "HTTP 500 (no retries left after 3 attempts)");
  CHECK(h.transport.requests().size() == 3);
}

TEST_CASE("Retries give up when the deadline leaves no room", "[client]") {
  Harness h;
  for (int i = 0; i < 5; ++i) h.transport.Push(Answer(502, ""));
  auto page = h.Page(Job("bjb-1"), 0, milliseconds(1100));
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message() ==
        "HTTP 502 (no time left to retry before the deadline)");
  // 0 s, then 0.375..0.5 s; the next backoff (0.75..1 s) ends at 1.125 s or
  // later, past the 1.1 s deadline, whatever the jitter.
  CHECK(h.transport.requests().size() == 2);
  CHECK(h.clock.Elapsed() <= 0.5);
}

TEST_CASE("A request's timeout never runs past the deadline", "[client]") {
  Harness h;
  h.transport.Push(Answer(503, ""), milliseconds(300));
  h.transport.Push(Answer(200, kPage));
  auto page = h.Page(Job("bjb-1"), 0, seconds(2));
  REQUIRE(page.ok());
  const auto requests = h.transport.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].timeout == seconds(2));
  const auto expected =
      milliseconds(2000) -
      milliseconds(static_cast<int>(requests[1].at_seconds * 1000));
  CHECK(requests[1].timeout == expected);
}

TEST_CASE("A 429 pauses the requests of every job", "[client]") {
  Harness h;
  h.transport.Push(Answer(429, R"({"detail":"slow down"})", "5"));
  h.transport.Push(Answer(200, R"({"job":{"status":"running"}})"));

  // Job A cannot wait 5 s, so it fails at once...
  auto page = h.Page(Job("bjb-a"), 0, seconds(1));
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message() ==
        "HTTP 429: slow down (no time left to retry before the deadline)");
  CHECK(h.clock.Elapsed() == 0);

  // ...yet job B's request still waits out the server's 5 s.
  auto info = h.client.FetchJob(Job("bjb-b"), h.clock.Now() + seconds(30));
  REQUIRE(info.ok());
  CHECK_FALSE(info->final);
  const auto requests = h.transport.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].at_seconds == 5.0);
  CHECK(requests[1].url.find("bjb-b") != std::string::npos);
}

TEST_CASE("A paused client fails requests that cannot wait", "[client]") {
  Harness h;
  h.transport.Push(Answer(429, "", "10"));
  REQUIRE_FALSE(h.Page(Job("bjb-a"), 0, seconds(1)).ok());
  auto other = h.Page(Job("bjb-b"), 0, seconds(3));
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().message() ==
        "no request slot before the deadline (rate cap or 429 pause)");
  CHECK(h.transport.requests().size() == 1);
}

TEST_CASE("A 429 within the budget is retried after Retry-After", "[client]") {
  Harness h;
  h.transport.Push(Answer(429, "", "", "2500"));
  h.transport.Push(Answer(200, kPage));
  REQUIRE(h.Page(Job("bjb-a"), 0).ok());
  CHECK(h.transport.requests()[1].at_seconds == 2.5);
  CHECK(h.observer.codes == std::vector<std::string>{"429", "200"});
}

TEST_CASE("A Retry-After over the cap fails without waiting", "[client]") {
  Harness h;
  h.transport.Push(Answer(503, R"({"detail":"maintenance"})", "300"));
  auto page = h.Page(Job("bjb-1"), 0, seconds(1000));
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message() ==
        "HTTP 503: maintenance (the server asked to retry after 300 s, over "
        "the 60 s cap)");
  CHECK(h.clock.Elapsed() == 0);
}

TEST_CASE("An unreadable page is an error, not retried", "[client]") {
  Harness h;
  h.transport.Push(Answer(200, R"({"items":[{"item_id":"a"}]})"));
  auto page = h.Page(Job("bjb-1"), 0);
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message() ==
        "unreadable items page: item 0: has no "
        "status");
  CHECK(h.transport.requests().size() == 1);
}

TEST_CASE("Transport failures are labelled for the observer", "[client]") {
  Config config = TestConfig();
  config.max_retries = 3;
  Harness h(config);
  h.transport.Push(TransportError{TransportFailure::kConnect, "refused"});
  h.transport.Push(TransportError{TransportFailure::kResolve, "no host"});
  h.transport.Push(TransportError{TransportFailure::kTls, "bad cert"});
  h.transport.Push(TransportError{TransportFailure::kOther, "odd"});
  auto page = h.Page(Job("bjb-1"), 0);
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().message() ==
        "transport_error: odd (no retries left after 4 attempts)");
  CHECK(h.observer.codes == std::vector<std::string>{"connect_error",
                                                     "dns_error", "tls_error",
                                                     "transport_error"});
}

TEST_CASE("The rate cap spaces requests across jobs", "[client]") {
  Config config = TestConfig();
  config.max_requests_per_second = 2;
  Harness h(config);
  for (int i = 0; i < 3; ++i) h.transport.Push(Answer(200, kPage));
  REQUIRE(h.Page(Job("bjb-a"), 0).ok());
  REQUIRE(h.Page(Job("bjb-b"), 0).ok());
  REQUIRE(h.Page(Job("bjb-a"), 1000).ok());
  const auto requests = h.transport.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].at_seconds == 0);
  CHECK(requests[1].at_seconds == 0.5);
  CHECK(requests[2].at_seconds == 1.0);
}

}  // namespace
}  // namespace lcbe
