#include "api/page_parser.h"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/transport.h"

namespace lcbe {
namespace {

// An item copied out of its ItemView, so that it outlives the parse.
struct OwnedItem {
  std::string item_id;
  ItemStatus status = ItemStatus::kUnknown;
  std::string status_text;
  std::optional<UnixNanos> started_at;
  std::optional<UnixNanos> completed_at;
  std::string attempt_job_id;
  std::optional<std::string> skip_reason;
};

class RecordingConsumer : public ItemConsumer {
 public:
  void Consume(const ItemView& item) override {
    OwnedItem owned{std::string(item.item_id),
                    item.status,
                    std::string(item.status_text),
                    item.started_at,
                    item.completed_at,
                    std::string(item.attempt_job_id),
                    std::nullopt};
    if (item.skip_reason) owned.skip_reason = std::string(*item.skip_reason);
    items.push_back(std::move(owned));
  }
  std::vector<OwnedItem> items;
};

// Parses `json` as a page, with the padding the transport provides.
Result<PageSummary> Parse(std::string json, RecordingConsumer* consumer) {
  json.reserve(json.size() + kBodyPadding);
  return ParseItemPage(json, *consumer);
}

std::string ErrorOf(const std::string& json) {
  RecordingConsumer consumer;
  Result<PageSummary> result = Parse(json, &consumer);
  REQUIRE_FALSE(result.ok());
  return result.error().message();
}

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kBase = 1577470279 * kSecond;  // 2019-12-27T18:11:19Z

TEST_CASE("A full item is read field by field", "[parser]") {
  RecordingConsumer consumer;
  auto result = Parse(R"({"items":[{
      "item_id":"itm-1","item_name":"a \"quoted\" name.pdf",
      "status":"completed","started_at":"2019-12-27T18:11:19Z",
      "completed_at":"2019-12-27T18:11:21.5Z",
      "effective_at":"2019-12-27T18:11:21.5Z","error_message":null,
      "job_id":"pjb-9","job_record_id":"rec-1","skip_reason":null}],
      "next_page_token":null,"total_size":1})",
                      &consumer);
  REQUIRE(result.ok());
  CHECK(result->item_count == 1);
  CHECK(result->total_size == 1);
  REQUIRE(consumer.items.size() == 1);
  const OwnedItem& item = consumer.items[0];
  CHECK(item.item_id == "itm-1");
  CHECK(item.status == ItemStatus::kCompleted);
  CHECK(item.status_text == "completed");
  CHECK(item.started_at == kBase);
  CHECK(item.completed_at == kBase + 2 * kSecond + 500'000'000);
  CHECK(item.attempt_job_id == "pjb-9");
  CHECK_FALSE(item.skip_reason.has_value());
}

TEST_CASE("Optional fields may be missing, null, in any order", "[parser]") {
  RecordingConsumer consumer;
  auto result = Parse(R"({"total_size":3,"items":[
      {"status":"pending","item_id":"a"},
      {"item_id":"b","status":"skipped","skip_reason":"already_processed",
       "started_at":null,"completed_at":null,"job_id":null},
      {"skip_reason":"size_limit_exceeded","new_field":{"x":[1,2,{}]},
       "status":"brand_new","item_id":"c"}]})",
                      &consumer);
  REQUIRE(result.ok());
  CHECK(result->item_count == 3);
  CHECK(result->total_size == 3);
  REQUIRE(consumer.items.size() == 3);
  CHECK(consumer.items[0].item_id == "a");
  CHECK(consumer.items[0].status == ItemStatus::kPending);
  CHECK_FALSE(consumer.items[0].started_at.has_value());
  CHECK(consumer.items[0].attempt_job_id.empty());
  CHECK(consumer.items[1].skip_reason == "already_processed");
  CHECK(consumer.items[2].status == ItemStatus::kUnknown);
  CHECK(consumer.items[2].status_text == "brand_new");
  CHECK(consumer.items[2].skip_reason == "size_limit_exceeded");
}

TEST_CASE("Escaped strings are unescaped", "[parser]") {
  RecordingConsumer consumer;
  auto result =
      Parse(R"({"items":[{"item_id":"a\"b\u00e9\n","status":"fail\u0065d"}]})",
            &consumer);
  REQUIRE(result.ok());
  REQUIRE(consumer.items.size() == 1);
  CHECK(consumer.items[0].item_id == "a\"b\xc3\xa9\n");
  CHECK(consumer.items[0].status == ItemStatus::kFailed);
}

TEST_CASE("Escapes in keys, ids, job ids and date-times are unescaped",
          "[parser]") {
  RecordingConsumer consumer;
  auto result = Parse(R"({"items":[{"item\u005fid":"x\/y","st\u0061tus":
      "completed","job_id":"j\u0031","started_at":"2019-12-27T18:11:19\u005a",
      "completed_at" : "2019-12-27T18:11:20Z" ,"skip_reason":"a\\b"}]})",
                      &consumer);
  REQUIRE(result.ok());
  REQUIRE(consumer.items.size() == 1);
  CHECK(consumer.items[0].item_id == "x/y");
  CHECK(consumer.items[0].status == ItemStatus::kCompleted);
  CHECK(consumer.items[0].attempt_job_id == "j1");
  CHECK(consumer.items[0].started_at == kBase);
  CHECK(consumer.items[0].completed_at == kBase + kSecond);
  CHECK(consumer.items[0].skip_reason == "a\\b");
}

TEST_CASE("Strings without escapes are read exactly, with odd spacing",
          "[parser]") {
  RecordingConsumer consumer;
  auto result = Parse(
      "{\"items\":[{ \"item_id\" \t:\n \"a b\" , \"status\":\"failed\"\r\n,"
      "\"job_id\":\"\",\"other\":\"\\\"\"}]}",
      &consumer);
  REQUIRE(result.ok());
  REQUIRE(consumer.items.size() == 1);
  CHECK(consumer.items[0].item_id == "a b");
  CHECK(consumer.items[0].status == ItemStatus::kFailed);
  CHECK(consumer.items[0].attempt_job_id.empty());
}

TEST_CASE("Date-times are read only for the statuses that use them",
          "[parser]") {
  RecordingConsumer consumer;
  const std::string times = R"("started_at":"2019-12-27T18:11:19Z",)"
                            R"("completed_at":"2019-12-27T18:11:20Z")";
  auto result =
      Parse(R"({"items":[{"item_id":"a","status":"pending",)" + times +
                R"(},{"item_id":"b","status":"processing",)" + times +
                R"(},{"item_id":"c","status":"failed",)" + times + R"(},{)" +
                times + R"(,"item_id":"d","status":"completed"}]})",
            &consumer);
  REQUIRE(result.ok());
  REQUIRE(consumer.items.size() == 4);
  CHECK_FALSE(consumer.items[0].started_at.has_value());
  CHECK_FALSE(consumer.items[0].completed_at.has_value());
  CHECK(consumer.items[1].started_at == kBase);
  CHECK_FALSE(consumer.items[1].completed_at.has_value());
  CHECK(consumer.items[2].started_at == kBase);
  CHECK(consumer.items[2].completed_at == kBase + kSecond);
  // The status may come after the times.
  CHECK(consumer.items[3].started_at == kBase);
  CHECK(consumer.items[3].completed_at == kBase + kSecond);
}

TEST_CASE("A date-time of the wrong type is an error whatever the status",
          "[parser]") {
  CHECK(ErrorOf(R"({"items":[{"item_id":"a","status":"pending",)"
                R"("completed_at":true}]})") ==
        "item 0: completed_at is a boolean, want a string or null");
}

TEST_CASE("Many threads parse at once through the shared parsers", "[parser]") {
  constexpr int kThreads = 8;
  constexpr int kPagesPerThread = 50;
  std::vector<int> good(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &good] {
      for (int page = 0; page < kPagesPerThread; ++page) {
        const std::string id =
            "t" + std::to_string(t) + "-" + std::to_string(page);
        RecordingConsumer consumer;
        auto result = Parse(R"({"items":[{"item_id":")" + id +
                                R"(","status":"processing",)"
                                R"("started_at":"2019-12-27T18:11:19Z"}]})",
                            &consumer);
        if (result.ok() && consumer.items.size() == 1 &&
            consumer.items[0].item_id == id &&
            consumer.items[0].started_at == kBase) {
          ++good[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) CHECK(good[t] == kPagesPerThread);
}

TEST_CASE("Every status reads as ParseItemStatus reads it", "[parser]") {
  const std::vector<std::string> texts = {
      "pending",   "processing", "completed",  "failed", "skipped",
      "cancelled", "unknown",    "COMPLETED",  "faile",  "cancelledx",
      "pendinG",   "skippeD",    "processinG", "Failed", "completes",
      "",          "brand_new",  "processing1"};
  for (const std::string& text : texts) {
    RecordingConsumer consumer;
    auto result = Parse(
        R"({"items":[{"item_id":"a","status":")" + text + R"("}]})", &consumer);
    REQUIRE(result.ok());
    REQUIRE(consumer.items.size() == 1);
    INFO(text);
    CHECK(consumer.items[0].status == ParseItemStatus(text));
    CHECK(consumer.items[0].status_text == text);
  }
}

TEST_CASE("Unparsable date-times read as absent", "[parser]") {
  RecordingConsumer consumer;
  auto result = Parse(R"({"items":[{"item_id":"a","status":"completed",
      "started_at":"yesterday","completed_at":"2019-12-27T18:11:19+0200"},
      {"item_id":"b","status":"completed","started_at":"",
       "completed_at":"2019-13-27T18:11:19Z"}]})",
                      &consumer);
  REQUIRE(result.ok());
  REQUIRE(consumer.items.size() == 2);
  CHECK_FALSE(consumer.items[0].started_at.has_value());
  CHECK(consumer.items[0].completed_at == kBase - 7200 * kSecond);
  CHECK_FALSE(consumer.items[1].started_at.has_value());
  CHECK_FALSE(consumer.items[1].completed_at.has_value());
}

TEST_CASE(
    "total_size is a hint: null, missing, negative or no count is "
    "absent",
    "[parser]") {
  RecordingConsumer consumer;
  for (const char* json :
       {R"({"items":[]})", R"({"items":[],"total_size":null})",
        R"({"items":[],"total_size":-1})", R"({"total_size":5.5,"items":[]})",
        R"({"total_size":1e300,"items":[]})",
        R"({"total_size":9223372036854775808,"items":[]})"}) {
    INFO(json);
    auto result = Parse(json, &consumer);
    REQUIRE(result.ok());
    CHECK(result->item_count == 0);
    CHECK_FALSE(result->total_size.has_value());
  }
  auto big = Parse(R"({"items":[],"total_size":9000000000})", &consumer);
  REQUIRE(big.ok());
  CHECK(big->total_size == 9'000'000'000);
}

TEST_CASE("A page that is not an object with an items array fails",
          "[parser]") {
  CHECK(ErrorOf("[]") == "page is an array, want an object");
  CHECK(ErrorOf("null") == "page is null, want an object");
  CHECK(ErrorOf(R"("items")") == "page is a string, want an object");
  CHECK(ErrorOf("{}") == "page has no items array");
  CHECK(ErrorOf(R"({"detail":"Not Found"})") == "page has no items array");
  CHECK(ErrorOf(R"({"items":{}})") == "page items is an object, want an array");
  CHECK(ErrorOf(R"({"items":null})") == "page items is null, want an array");
  CHECK(ErrorOf(R"({"items":[],"items":[]})") == "page has two items arrays");
  CHECK(ErrorOf(R"({"items":[],"total_size":"5"})") ==
        "page total_size is a string, want an integer or null");
}

TEST_CASE("Items with missing or mistyped fields fail with the field",
          "[parser]") {
  const std::string ok_item = R"({"item_id":"a","status":"pending"},)";
  CHECK(ErrorOf(R"({"items":[)" + ok_item + R"(5]})") ==
        "item 1: the item is a number, want an object");
  CHECK(ErrorOf(R"({"items":[{"status":"pending"}]})") ==
        "item 0: has no item_id");
  CHECK(ErrorOf(R"({"items":[)" + ok_item + R"({"item_id":"b"}]})") ==
        "item 1: has no status");
  CHECK(ErrorOf(R"({"items":[{"item_id":null,"status":"pending"}]})") ==
        "item 0: item_id is null, want a string");
  CHECK(ErrorOf(R"({"items":[{"item_id":7,"status":"pending"}]})") ==
        "item 0: item_id is a number, want a string");
  CHECK(ErrorOf(R"({"items":[{"item_id":"a","status":["x"]}]})") ==
        "item 0: status is an array, want a string");
  CHECK(ErrorOf(R"({"items":[)" + ok_item + ok_item +
                R"({"item_id":"a","status":"failed","started_at":5}]})") ==
        "item 2: started_at is a number, want a string or null");
  CHECK(ErrorOf(R"({"items":[{"item_id":"a","status":"failed",)"
                R"("completed_at":true}]})") ==
        "item 0: completed_at is a boolean, want a string or null");
  CHECK(ErrorOf(R"({"items":[{"item_id":"a","status":"skipped",)"
                R"("skip_reason":{}}]})") ==
        "item 0: skip_reason is an object, want a string or null");
  CHECK(ErrorOf(R"({"items":[{"item_id":"a","status":"failed",)"
                R"("job_id":1}]})") ==
        "item 0: job_id is a number, want a string or null");
}

TEST_CASE("Invalid, truncated or trailing JSON fails", "[parser]") {
  const std::string page =
      R"({"items":[{"item_id":"a","status":"pending"},)"
      R"({"item_id":"b","status":"completed"}],"total_size":2})";
  for (size_t cut = 0; cut < page.size(); ++cut) {
    INFO("cut at " << cut);
    RecordingConsumer consumer;
    CHECK_FALSE(Parse(page.substr(0, cut), &consumer).ok());
  }
  for (const char* json : {
           R"({"items":[]} x)",
           R"({"items":[]}{})",
           R"({"items":[]}])",
           R"({"items":[],})",
           R"({"items":[,]})",
           R"({"items" [])",
           R"({items:[]})",
           R"({"items":[{"item_id":"a","status":"pending",}]})",
           R"({"items":[{"item_id":"a" "status":"pending"}]})",
           R"({"items":[{"item_id":"a","status":"pending","job_id":nul}]})",
           R"({"items":[{"item_id":"a","status":"pending"}}])",
           "{\"items\":[{\"item_id\":\"a\xff\",\"status\":\"pending\"}]}",
           "{\"items\":[{\"item_id\":\"a\nb\",\"status\":\"pending\"}]}",
       }) {
    INFO(json);
    const std::string message = ErrorOf(json);
    CHECK(message.rfind("invalid JSON: ", 0) == 0);
  }
}

TEST_CASE("A body without spare capacity is padded, not copied wrong",
          "[parser]") {
  std::string body = R"({"items":[{"item_id":"a","status":"pending"}]})";
  body.shrink_to_fit();
  RecordingConsumer consumer;
  auto result = ParseItemPage(body, consumer);
  REQUIRE(result.ok());
  CHECK(body.capacity() >= body.size() + kBodyPadding);
  REQUIRE(consumer.items.size() == 1);
  CHECK(consumer.items[0].item_id == "a");
}

Result<JobInfo> Job(std::string json) {
  json.reserve(json.size() + kBodyPadding);
  return ParseJob(json);
}

TEST_CASE("ParseJob reads the status and whether it is final", "[parser]") {
  struct Case {
    const char* status;
    bool final;
  };
  for (Case c : {Case{"pending", false}, Case{"running", false},
                 Case{"dispatched", false}, Case{"completed", true},
                 Case{"failed", true}, Case{"cancelled", true},
                 Case{"new_status", false}}) {
    INFO(c.status);
    auto job = Job(std::string(R"({"progress_percentage":50.5,"job":)") +
                   R"({"id":"bjb-1","total_items":3,"created_at":null,)" +
                   R"("status":")" + c.status + R"("}})");
    REQUIRE(job.ok());
    CHECK(job->status == c.status);
    CHECK(job->final == c.final);
  }
}

TEST_CASE("ParseJob fails on a malformed job", "[parser]") {
  auto message = [](const char* json) {
    auto job = Job(json);
    REQUIRE_FALSE(job.ok());
    return job.error().message();
  };
  CHECK(message("[]") == "response is an array, want an object");
  CHECK(message(R"({"status":"running"})") == "response has no job object");
  CHECK(message(R"({"job":null})") == "job is null, want an object");
  CHECK(message(R"({"job":{"id":"bjb-1"}})") == "job has no status");
  CHECK(message(R"({"job":{"status":3}})") ==
        "job status is a number, want a string");
  CHECK(
      message(R"({"job":{"status":"running"}} [)").rfind("invalid JSON: ", 0) ==
      0);
  CHECK(message(R"({"job":{"status":"running")").rfind("invalid JSON: ", 0) ==
        0);
}

}  // namespace
}  // namespace lcbe
