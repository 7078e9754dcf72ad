#include "api/page_parser.h"

#include <simdjson.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "api/time_parse.h"
#include "api/transport.h"

namespace lcbe {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

static_assert(kBodyPadding >= simdjson::SIMDJSON_PADDING,
              "transport bodies must carry the padding simdjson reads");

// A few parsers shared by all threads. Each one holds about 4 bytes of
// index per byte of the largest page it has read, so one per collector
// worker (8 by default) cost over 1 MiB each for ~300 KiB pages; a page
// takes well under a millisecond to parse, so workers rarely wait for one
// when there are as many parsers as CPUs.
class ParserPool {
 public:
  ParserPool()
      : limit_(std::max<size_t>(2, std::thread::hardware_concurrency())) {}

  std::unique_ptr<od::parser> Take() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !idle_.empty() || created_ < limit_; });
    if (idle_.empty()) {
      ++created_;
      return std::make_unique<od::parser>();
    }
    std::unique_ptr<od::parser> parser = std::move(idle_.back());
    idle_.pop_back();
    return parser;
  }

  void Give(std::unique_ptr<od::parser> parser) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      idle_.push_back(std::move(parser));
    }
    cv_.notify_one();
  }

 private:
  const size_t limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<od::parser>> idle_;
  size_t created_ = 0;
};

ParserPool& Pool() {
  static ParserPool* pool = new ParserPool();  // Never destroyed: workers
  return *pool;                                // may parse during exit.
}

// A parser borrowed from the pool for one parse; the document and every
// view it hands out must not outlive it.
class ParserLease {
 public:
  ParserLease() : parser_(Pool().Take()) {}
  ~ParserLease() { Pool().Give(std::move(parser_)); }
  ParserLease(const ParserLease&) = delete;
  ParserLease& operator=(const ParserLease&) = delete;

  od::parser& parser() { return *parser_; }

 private:
  std::unique_ptr<od::parser> parser_;
};

simdjson::padded_string_view Padded(std::string& body) {
  if (body.capacity() < body.size() + simdjson::SIMDJSON_PADDING) {
    body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  }
  return simdjson::padded_string_view(body.data(), body.size(),
                                      body.capacity());
}

std::string_view TypeName(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "an unknown value";
}

Error JsonError(error_code code) {
  return Error(std::string("invalid JSON: ") + simdjson::error_message(code));
}

// Why one field of an item could not be read. `json` is SUCCESS when the
// JSON was fine but the field had the wrong type, `found`.
struct FieldProblem {
  std::string_view field;
  std::string_view want;
  od::json_type found = od::json_type::null;
  error_code json = simdjson::SUCCESS;
};

Error ItemError(int64_t index, const FieldProblem& problem) {
  if (problem.json != simdjson::SUCCESS) return JsonError(problem.json);
  std::string message = "item " + std::to_string(index) + ": ";
  if (problem.want.empty()) {
    message += "has no ";
    message += problem.field;
    return Error(std::move(message));
  }
  message += problem.field;
  message += " is ";
  message += TypeName(problem.found);
  message += ", want ";
  message += problem.want;
  return Error(std::move(message));
}

// Reads a string, or null when `is_null` is given (then `*is_null` says
// which it was). Returns false and fills `problem` otherwise. Plain outputs
// rather than an optional: this runs for every field of every item.
bool ReadString(od::value& value, std::string_view field, std::string_view* out,
                bool* is_null, FieldProblem* problem) {
  problem->field = field;
  problem->want = is_null ? "a string or null" : "a string";
  if (error_code err = value.type().get(problem->found)) {
    problem->json = err;
    return false;
  }
  if (problem->found == od::json_type::null && is_null) {
    error_code err = value.is_null().get(*is_null);
    // type() only peeks at the first byte; a damaged literal like `nul`
    // must still read as invalid JSON.
    problem->json =
        err ? err : (*is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR);
    return *is_null && !err;
  }
  if (problem->found != od::json_type::string) return false;
  if (is_null) *is_null = false;
  if (error_code err = value.get_string().get(*out)) {
    problem->json = err;
    return false;
  }
  return true;
}

bool ReadNullableString(od::value& value, std::string_view field,
                        std::optional<std::string_view>* out,
                        FieldProblem* problem) {
  std::string_view text;
  bool is_null = false;
  if (!ReadString(value, field, &text, &is_null, problem)) return false;
  if (is_null) {
    out->reset();
  } else {
    *out = text;
  }
  return true;
}

// The fields of an item read so far, besides those that go straight into
// its ItemView.
struct ItemFields {
  bool has_id = false;
  bool has_status = false;
  // Date-times as sent; parsed once the status says whether they are used.
  std::optional<std::string_view> started_at;
  std::optional<std::string_view> completed_at;
};

// Whether `a` and `b` hold the same Word at `offset`.
template <typename Word>
bool SameWordAt(const char* a, const char* b, size_t offset) {
  Word x;
  Word y;
  std::memcpy(&x, a + offset, sizeof x);
  std::memcpy(&y, b + offset, sizeof y);
  return x == y;
}

// Compares with a literal of 4 to 16 bytes as two overlapping word loads.
// GCC 12 calls memcmp even at a constant length, and that call per key
// was 6% of the exporter's time.
template <size_t N>
bool KeyIs(std::string_view key, const char (&literal)[N]) {
  constexpr size_t kLength = N - 1;
  static_assert(kLength >= 4 && kLength <= 16, "a key of 4 to 16 bytes");
  if (key.size() != kLength) return false;
  if constexpr (kLength >= 8) {
    return SameWordAt<uint64_t>(key.data(), literal, 0) &&
           SameWordAt<uint64_t>(key.data(), literal, kLength - 8);
  } else {
    return SameWordAt<uint32_t>(key.data(), literal, 0) &&
           SameWordAt<uint32_t>(key.data(), literal, kLength - 4);
  }
}

// ParseItemStatus for the statuses the API sends today, matched by length
// and then by word compares; its loop of string compares called memcmp two
// or three times per item. Anything else goes
// to ParseItemStatus, which stays the one definition of the mapping.
ItemStatus StatusOf(std::string_view text) {
  switch (text.size()) {
    case 6:
      if (KeyIs(text, "failed")) return ItemStatus::kFailed;
      break;
    case 7:
      if (KeyIs(text, "pending")) return ItemStatus::kPending;
      if (KeyIs(text, "skipped")) return ItemStatus::kSkipped;
      break;
    case 9:
      if (KeyIs(text, "completed")) return ItemStatus::kCompleted;
      if (KeyIs(text, "cancelled")) return ItemStatus::kCancelled;
      break;
    case 10:
      if (KeyIs(text, "processing")) return ItemStatus::kProcessing;
      break;
  }
  return ParseItemStatus(text);
}

// Reads one field of an item into `item`; unknown fields are skipped.
bool ReadItemField(std::string_view key, od::value value, ItemView* item,
                   ItemFields* fields, FieldProblem* problem) {
  if (KeyIs(key, "item_id")) {
    fields->has_id = true;
    return ReadString(value, key, &item->item_id, nullptr, problem);
  }
  if (KeyIs(key, "status")) {
    if (!ReadString(value, key, &item->status_text, nullptr, problem)) {
      return false;
    }
    item->status = StatusOf(item->status_text);
    fields->has_status = true;
    return true;
  }
  if (KeyIs(key, "started_at")) {
    return ReadNullableString(value, key, &fields->started_at, problem);
  }
  if (KeyIs(key, "completed_at")) {
    return ReadNullableString(value, key, &fields->completed_at, problem);
  }
  if (KeyIs(key, "job_id")) {
    bool is_null = false;
    if (!ReadString(value, key, &item->attempt_job_id, &is_null, problem)) {
      return false;
    }
    if (is_null) item->attempt_job_id = std::string_view();
    return true;
  }
  if (KeyIs(key, "skip_reason")) {
    return ReadNullableString(value, key, &item->skip_reason, problem);
  }
  return true;
}

std::optional<UnixNanos> DateTime(std::optional<std::string_view> text) {
  return text ? ParseDateTime(*text) : std::nullopt;
}

// Date-time parsing is a large part of a page's cost, and most items do not
// use theirs; ItemView documents which statuses carry which.
void ParseTimes(const ItemFields& fields, ItemView* item) {
  switch (item->status) {
    case ItemStatus::kCompleted:
    case ItemStatus::kFailed:
      item->completed_at = DateTime(fields.completed_at);
      [[fallthrough]];
    case ItemStatus::kProcessing:
      item->started_at = DateTime(fields.started_at);
      break;
    default:
      break;
  }
}

bool ReadItem(od::value element, ItemView* item, FieldProblem* problem) {
  od::object object;
  if (error_code err = element.type().get(problem->found)) {
    problem->json = err;
    return false;
  }
  if (problem->found != od::json_type::object) {
    problem->field = "the item";
    problem->want = "an object";
    return false;
  }
  if (error_code err = element.get_object().get(object)) {
    problem->json = err;
    return false;
  }

  ItemFields fields;
  for (auto field : object) {
    std::string_view key;
    od::value value;
    if (error_code err = field.unescaped_key().get(key)) {
      problem->json = err;
      return false;
    }
    if (error_code err = field.value().get(value)) {
      problem->json = err;
      return false;
    }
    if (!ReadItemField(key, value, item, &fields, problem)) {
      return false;
    }
  }

  if (!fields.has_id || !fields.has_status) {
    *problem = FieldProblem{fields.has_id ? "status" : "item_id", {}};
    return false;
  }
  ParseTimes(fields, item);
  return true;
}

Result<int64_t> ReadItems(od::value value, ItemConsumer& consumer) {
  od::json_type type;
  if (error_code err = value.type().get(type)) return JsonError(err);
  if (type != od::json_type::array) {
    return Error("page items is " + std::string(TypeName(type)) +
                 ", want an array");
  }
  od::array items;
  if (error_code err = value.get_array().get(items)) return JsonError(err);

  int64_t index = 0;
  for (auto element : items) {
    od::value item_value;
    if (error_code err = element.get(item_value)) return JsonError(err);
    ItemView item;
    FieldProblem problem;
    if (!ReadItem(item_value, &item, &problem)) {
      return ItemError(index, problem);
    }
    consumer.Consume(item);
    ++index;
  }
  return index;
}

// total_size is only a hint, so anything but a non-negative integer that
// fits reads as absent, except a wrong type, which says the page is not
// what this parser understands.
Result<std::optional<int64_t>> ReadTotalSize(od::value value) {
  od::json_type type;
  if (error_code err = value.type().get(type)) return JsonError(err);
  if (type == od::json_type::null) {
    bool is_null = false;
    if (error_code err = value.is_null().get(is_null)) return JsonError(err);
    if (!is_null) return JsonError(simdjson::N_ATOM_ERROR);
    return std::optional<int64_t>();
  }
  if (type != od::json_type::number) {
    return Error("page total_size is " + std::string(TypeName(type)) +
                 ", want an integer or null");
  }
  // total_size is only a hint: a number that is no usable count (3.5,
  // 1e300, 2^63) reads as absent rather than failing the listing.
  int64_t total = 0;
  if (error_code err = value.get_int64().get(total)) {
    if (err == simdjson::INCORRECT_TYPE ||
        err == simdjson::NUMBER_OUT_OF_RANGE) {
      return std::optional<int64_t>();
    }
    return JsonError(err);
  }
  if (total < 0) return std::optional<int64_t>();
  return std::optional<int64_t>(total);
}

// Opens `body` and checks that it holds an object.
Result<od::object> OpenObject(od::document& doc, std::string_view what) {
  od::json_type type;
  if (error_code err = doc.type().get(type)) return JsonError(err);
  if (type != od::json_type::object) {
    return Error(std::string(what) + " is " + std::string(TypeName(type)) +
                 ", want an object");
  }
  od::object object;
  if (error_code err = doc.get_object().get(object)) return JsonError(err);
  return object;
}

// simdjson 3.0 has no document::at_end(); a location past the last token
// is its way of saying the whole input was read.
Status CheckEnd(od::document& doc) {
  if (doc.current_location().error() == simdjson::OUT_OF_BOUNDS) {
    return Status::Ok();
  }
  return JsonError(simdjson::TRAILING_CONTENT);
}

bool IsFinalJobStatus(std::string_view status) {
  return status == "completed" || status == "failed" || status == "cancelled";
}

Result<JobInfo> ReadJob(od::value value) {
  od::json_type type;
  if (error_code err = value.type().get(type)) return JsonError(err);
  if (type != od::json_type::object) {
    return Error("job is " + std::string(TypeName(type)) + ", want an object");
  }
  od::object job;
  if (error_code err = value.get_object().get(job)) return JsonError(err);

  std::optional<std::string_view> status;
  for (auto field : job) {
    std::string_view key;
    od::value field_value;
    if (error_code err = field.unescaped_key().get(key)) return JsonError(err);
    if (error_code err = field.value().get(field_value)) return JsonError(err);
    if (key != "status") continue;
    FieldProblem problem;
    std::string_view text;
    if (!ReadString(field_value, key, &text, nullptr, &problem)) {
      if (problem.json != simdjson::SUCCESS) return JsonError(problem.json);
      return Error("job status is " + std::string(TypeName(problem.found)) +
                   ", want a string");
    }
    status = text;
  }

  if (!status) return Error("job has no status");
  JobInfo info;
  info.status = std::string(*status);
  info.final = IsFinalJobStatus(*status);
  return info;
}

}  // namespace

Result<PageSummary> ParseItemPage(std::string& body, ItemConsumer& consumer) {
  ParserLease lease;
  od::document doc;
  if (error_code err = lease.parser().iterate(Padded(body)).get(doc)) {
    return JsonError(err);
  }
  Result<od::object> page = OpenObject(doc, "page");
  if (!page.ok()) return page.error();

  PageSummary summary;
  bool has_items = false;
  for (auto field : page.value()) {
    std::string_view key;
    od::value value;
    if (error_code err = field.unescaped_key().get(key)) return JsonError(err);
    if (error_code err = field.value().get(value)) return JsonError(err);
    if (key == "items") {
      if (has_items) return Error("page has two items arrays");
      Result<int64_t> count = ReadItems(value, consumer);
      if (!count.ok()) return count.error();
      summary.item_count = *count;
      has_items = true;
    } else if (key == "total_size") {
      Result<std::optional<int64_t>> total = ReadTotalSize(value);
      if (!total.ok()) return total.error();
      summary.total_size = *total;
    }
  }

  if (!has_items) return Error("page has no items array");
  if (Status end = CheckEnd(doc); !end.ok()) return end.error();
  return summary;
}

Result<JobInfo> ParseJob(std::string& body) {
  ParserLease lease;
  od::document doc;
  if (error_code err = lease.parser().iterate(Padded(body)).get(doc)) {
    return JsonError(err);
  }
  Result<od::object> top = OpenObject(doc, "response");
  if (!top.ok()) return top.error();

  std::optional<JobInfo> info;
  for (auto field : top.value()) {
    std::string_view key;
    od::value value;
    if (error_code err = field.unescaped_key().get(key)) return JsonError(err);
    if (error_code err = field.value().get(value)) return JsonError(err);
    if (key != "job") continue;
    Result<JobInfo> job = ReadJob(value);
    if (!job.ok()) return job.error();
    info = *std::move(job);
  }

  if (!info) return Error("response has no job object");
  if (Status end = CheckEnd(doc); !end.ok()) return end.error();
  return *std::move(info);
}

}  // namespace lcbe
