// Runs the simulator on an ephemeral loopback port in-process and talks to
// it over HTTP, as the exporter would.

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http_client.h"
#include "http_server.h"
#include "scenario.h"
#include "simulator.h"

namespace lcbe::sim {
namespace {

using testing::Fetch;
using testing::Fetched;

constexpr char kScenario[] = R"(
api_key: secret
project_id: prj-1
seed: 5
start_time: 2026-03-01T12:00:00Z
jobs:
  - id: bjb-a
    synthetic: {count: 2500, statuses: {completed: 0.9, failed: 0.1}}
  - id: bjb-b
    job_type: extract
    items:
      - {item_id: x, status: completed}
faults:
  - {kind: error, status: 503, job: bjb-b, endpoint: job, requests: 2,
     should_retry: true}
  - {kind: rate_limit, job: bjb-b, endpoint: items, requests: 1,
     retry_after: 3, retry_after_ms: 2500}
  - {kind: missing_total_size, job: bjb-a, offset: 2000, requests: 1}
)";

class Fixture {
 public:
  Fixture() {
    auto scenario = ParseScenario(kScenario);
    REQUIRE(scenario.ok());
    simulator_ = std::make_unique<Simulator>(std::move(scenario).value(), 0);
    auto server =
        HttpServer::Start("127.0.0.1:0", 4, [this](const HttpRequest& request) {
          return simulator_->Handle(request);
        });
    REQUIRE(server.ok());
    server_ = std::move(server).value();
    root_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  Fetched Get(const std::string& path, bool authorized = true) {
    if (!authorized) return Fetch(root_ + path);
    return Fetch(root_ + path, {"Authorization: Bearer secret"});
  }

  nlohmann::json GetJson(const std::string& path) {
    const Fetched fetched = Get(path);
    REQUIRE(fetched.status == 200);
    return nlohmann::json::parse(fetched.body);
  }

  std::string root_;

 private:
  std::unique_ptr<Simulator> simulator_;
  std::unique_ptr<HttpServer> server_;
};

constexpr char kItems[] = "/api/v1/beta/batch-processing/bjb-a/items";

TEST_CASE("Pages cover the listing: full pages, a short last one, then none") {
  Fixture sim;
  const auto first = sim.GetJson(std::string(kItems) + "?limit=1000");
  CHECK(first["items"].size() == 1000);
  CHECK(first["total_size"] == 2500);
  CHECK(first["next_page_token"] == "pt-1000");
  const auto last =
      sim.GetJson(std::string(kItems) + "?limit=1000&offset=1500");
  CHECK(last["items"].size() == 1000);
  CHECK(last["items"][999]["item_name"] == "document-0002499.pdf");
  const auto past =
      sim.GetJson(std::string(kItems) + "?limit=1000&offset=2600");
  CHECK(past["items"].empty());
  CHECK(past["next_page_token"].is_null());
  CHECK(past["total_size"] == 2500);
  const auto fallback = sim.GetJson(std::string(kItems));
  CHECK(fallback["items"].size() == 100);
}

TEST_CASE("The offset-scoped fault drops total_size once") {
  Fixture sim;
  const auto faulty =
      sim.GetJson(std::string(kItems) + "?limit=1000&offset=2000");
  CHECK(faulty["items"].size() == 500);
  CHECK_FALSE(faulty.contains("total_size"));
  const auto healed =
      sim.GetJson(std::string(kItems) + "?limit=1000&offset=2000");
  CHECK(healed["total_size"] == 2500);
}

TEST_CASE("Bad parameters get 422 with the API's detail list") {
  Fixture sim;
  const Fetched fetched = sim.Get(std::string(kItems) + "?limit=abc&offset=-5");
  CHECK(fetched.status == 422);
  const auto body = nlohmann::json::parse(fetched.body);
  REQUIRE(body["detail"].size() == 2);
  CHECK(body["detail"][0]["loc"] == nlohmann::json({"query", "limit"}));
  CHECK(body["detail"][0]["type"] == "int_parsing");
  CHECK(body["detail"][1]["loc"] == nlohmann::json({"query", "offset"}));
}

TEST_CASE("Authentication, project scope, unknown jobs and methods") {
  Fixture sim;
  CHECK(sim.Get(kItems, false).status == 401);
  CHECK(Fetch(sim.root_ + kItems, {"Authorization: Bearer wrong"}).status ==
        401);
  CHECK(sim.Get(std::string(kItems) + "?project_id=prj-2").status == 403);
  CHECK(sim.Get(std::string(kItems) + "?project_id=prj-1").status == 200);
  const Fetched unknown = sim.Get("/api/v1/beta/batch-processing/nope/items");
  CHECK(unknown.status == 404);
  CHECK(nlohmann::json::parse(unknown.body)["detail"].is_string());
  CHECK(sim.Get("/api/v1/other").status == 404);
  CHECK(Fetch(sim.root_ + kItems, {"Authorization: Bearer secret"}, "POST")
            .status == 405);
}

TEST_CASE("A 5xx burst carries x-should-retry, then the job is served") {
  Fixture sim;
  const std::string job = "/api/v1/beta/batch-processing/bjb-b";
  for (int i = 0; i < 2; ++i) {
    const Fetched failed = sim.Get(job);
    CHECK(failed.status == 503);
    CHECK(failed.headers.find("x-should-retry: true") != std::string::npos);
  }
  const auto body = sim.GetJson(job);
  CHECK(body["job"]["id"] == "bjb-b");
  CHECK(body["job"]["job_type"] == "extract");
  CHECK(body["job"]["total_items"] == 1);
  CHECK(body["progress_percentage"] == 100);
}

TEST_CASE("A 429 carries both retry headers") {
  Fixture sim;
  const Fetched limited = sim.Get("/api/v1/beta/batch-processing/bjb-b/items");
  CHECK(limited.status == 429);
  CHECK(limited.headers.find("retry-after: 3\r\n") != std::string::npos);
  CHECK(limited.headers.find("retry-after-ms: 2500") != std::string::npos);
  CHECK(sim.Get("/api/v1/beta/batch-processing/bjb-b/items").status == 200);
}

TEST_CASE("Job listing pages and filters") {
  Fixture sim;
  const auto all = sim.GetJson("/api/v1/beta/batch-processing?limit=1");
  CHECK(all["total_size"] == 2);
  CHECK(all["items"][0]["id"] == "bjb-a");
  const auto extract =
      sim.GetJson("/api/v1/beta/batch-processing?job_type=extract");
  REQUIRE(extract["items"].size() == 1);
  CHECK(extract["items"][0]["id"] == "bjb-b");
  CHECK(sim.Get("/api/v1/beta/batch-processing?status=bogus").status == 422);
}

TEST_CASE("Admin endpoints log requests and list every item") {
  Fixture sim;
  sim.Get(std::string(kItems) + "?limit=10&offset=20");
  sim.Get(kItems, false);
  const auto log = nlohmann::json::parse(sim.Get("/-/sim/requests").body);
  REQUIRE(log.size() == 2);
  CHECK(log[0]["path"] == kItems);
  CHECK(log[0]["query"] == "limit=10&offset=20");
  CHECK(log[0]["status"] == 200);
  CHECK(log[0]["job_id"] == "bjb-a");
  CHECK(log[1]["status"] == 401);
  CHECK(log[1]["time"].get<double>() >= log[0]["time"].get<double>());

  CHECK(Fetch(sim.root_ + "/-/sim/requests/reset", {}, "POST").status == 200);
  CHECK(nlohmann::json::parse(sim.Get("/-/sim/requests").body).empty());

  const auto items = sim.GetJson("/-/sim/items?job_id=bjb-a");
  CHECK(items["items"].size() == 2500);
  const auto page = sim.GetJson(std::string(kItems) + "?limit=5&offset=100");
  for (int i = 0; i < 5; ++i)
    CHECK(page["items"][i] == items["items"][100 + i]);
  CHECK(sim.Get("/-/sim/healthy").status == 200);
  CHECK(sim.Get("/-/sim/items?job_id=nope").status == 404);
}

TEST_CASE("Faults can be injected at run time") {
  Fixture sim;
  const Fetched added = Fetch(sim.root_ + "/-/sim/faults", {}, "POST",
                              "{\"kind\": \"truncate\", \"at\": 10, "
                              "\"requests\": 1}");
  CHECK(added.status == 200);
  const Fetched cut = sim.Get(kItems);
  CHECK(cut.status == 200);
  CHECK(cut.body == "{\"items\":[");
  CHECK(Fetch(sim.root_ + "/-/sim/faults", {}, "POST", "kind: nope").status ==
        400);
}

TEST_CASE("Concurrent clients get consistent pages") {
  Fixture sim;
  const std::string url =
      std::string(kItems) + "?status=failed&limit=50&offset=100";
  const std::string expected = sim.Get(url).body;
  std::vector<std::string> bodies(8);
  std::vector<std::thread> clients;
  for (size_t i = 0; i < bodies.size(); ++i) {
    clients.emplace_back([&sim, &bodies, &url, i] {
      for (int round = 0; round < 5; ++round) bodies[i] = sim.Get(url).body;
    });
  }
  for (auto& client : clients) client.join();
  for (const auto& body : bodies) CHECK(body == expected);
  CHECK(nlohmann::json::parse(expected)["items"].size() == 50);
  CHECK(nlohmann::json::parse(sim.Get("/-/sim/requests").body).size() == 41);
}

TEST_CASE("Small responses on a kept-alive connection do not stall") {
  // Head and body once went out in two writes, and each small response
  // then waited 40 ms for the client's delayed ACK (Nagle's algorithm).
  Fixture sim;
  CURL* curl = curl_easy_init();
  const std::string url = sim.root_ + "/-/sim/healthy";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION,
      +[](char*, size_t size, size_t count, void*) { return size * count; });
  const auto start = std::chrono::steady_clock::now();
  int ok = 0;
  for (int i = 0; i < 100; ++i) {
    ok += curl_easy_perform(curl) == CURLE_OK ? 1 : 0;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  curl_easy_cleanup(curl);
  CHECK(ok == 100);
  CHECK(elapsed < std::chrono::seconds(2));  // 4 s with the stall
}

}  // namespace
}  // namespace lcbe::sim
