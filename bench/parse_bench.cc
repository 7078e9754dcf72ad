// Measures how fast a listing page is read: the exporter's simdjson parser
// against two nlohmann-json readings of the same fields (a DOM walk and a
// SAX handler). Prints one table row per parser.

#include <nlohmann/json.hpp>

#include <time.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "api/item.h"
#include "api/page_parser.h"
#include "api/time_parse.h"
#include "api/transport.h"

namespace lcbe {
namespace {

using nlohmann::json;

constexpr int kItemsPerPage = 1000;

// Folds items into a few sums, so that no parser's work can be optimised
// away and all three can be checked to agree.
class Totals : public ItemConsumer {
 public:
  void Consume(const ItemView& item) override {
    ++count;
    status_sum += static_cast<int>(item.status);
    id_bytes += item.item_id.size() + item.attempt_job_id.size();
    // Only these statuses carry their times (see ItemView).
    const bool timed = item.status == ItemStatus::kCompleted ||
                       item.status == ItemStatus::kFailed;
    if (timed && item.started_at && item.completed_at) {
      duration_sum += *item.completed_at - *item.started_at;
    }
    if (item.skip_reason) skip_bytes += item.skip_reason->size();
  }
  bool SameAs(const Totals& o) const {
    return count == o.count && status_sum == o.status_sum &&
           id_bytes == o.id_bytes && duration_sum == o.duration_sum &&
           skip_bytes == o.skip_bytes;
  }

  int64_t count = 0;
  int64_t status_sum = 0;
  int64_t id_bytes = 0;
  int64_t duration_sum = 0;
  int64_t skip_bytes = 0;
};

// A page like the API's: every field set, about 300 bytes per item.
std::string MakePage() {
  static const char* kStatuses[] = {"completed",  "failed",  "skipped",
                                    "processing", "pending", "cancelled"};
  std::string page = R"({"items":[)";
  char item[512];
  for (int i = 0; i < kItemsPerPage; ++i) {
    std::snprintf(
        item, sizeof item,
        R"(%s{"item_id":"itm-%08d-4f1c-9a2b-7c3d5e6f","item_name":)"
        R"("reports/2024/quarterly_report_%05d.pdf","status":"%s",)"
        R"("started_at":"2024-05-01T12:%02d:%02d.%06dZ",)"
        R"("completed_at":"2024-05-01T13:%02d:%02d.%06dZ",)"
        R"("effective_at":"2024-05-01T13:%02d:%02d.%06dZ",)"
        R"("error_message":null,"job_id":"pjb-%08d-aa11-bb22",)"
        R"("job_record_id":"rec-%08d","skip_reason":"already_processed"})",
        i == 0 ? "" : ",", i, i, kStatuses[i % 6], i % 60, (i * 7) % 60,
        i * 37 % 1000000, i % 60, (i * 11) % 60, i * 41 % 1000000, i % 60,
        (i * 11) % 60, i * 41 % 1000000, i, i);
    page += item;
  }
  page += R"(],"next_page_token":null,"total_size":1000000})";
  return page;
}

std::optional<std::string_view> OptionalString(const json& item,
                                               const char* key) {
  const auto it = item.find(key);
  if (it == item.end() || it->is_null()) return std::nullopt;
  return std::string_view(it->get_ref<const std::string&>());
}

void ParseWithDom(const std::string& body, Totals* totals) {
  const json page = json::parse(body);
  for (const json& item : page.at("items")) {
    ItemView view;
    view.item_id = item.at("item_id").get_ref<const std::string&>();
    view.status_text = item.at("status").get_ref<const std::string&>();
    view.status = ParseItemStatus(view.status_text);
    if (auto text = OptionalString(item, "started_at")) {
      view.started_at = ParseDateTime(*text);
    }
    if (auto text = OptionalString(item, "completed_at")) {
      view.completed_at = ParseDateTime(*text);
    }
    view.attempt_job_id =
        OptionalString(item, "job_id").value_or(std::string_view());
    view.skip_reason = OptionalString(item, "skip_reason");
    totals->Consume(view);
  }
}

// Reads the same fields as the other two from SAX events: depth 3 is an
// item's fields, depth 1 the page's.
class SaxHandler : public nlohmann::json_sax<json> {
 public:
  explicit SaxHandler(ItemConsumer* consumer) : consumer_(consumer) {}

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool start_object(std::size_t) override {
    if (++depth_ == 3) {
      item_ = ItemView();
      for (auto& value : values_) value.clear();
      for (bool& seen : seen_) seen = false;
    }
    return true;
  }
  bool end_object() override {
    if (depth_-- == 3) Emit();
    return true;
  }
  bool key(string_t& key) override {
    field_ = -1;
    if (depth_ != 3) return true;
    for (int i = 0; i < kFieldCount; ++i) {
      if (key == kFields[i]) field_ = i;
    }
    return true;
  }
  bool string(string_t& value) override {
    if (depth_ == 3 && field_ >= 0) {
      values_[field_] = std::move(value);
      seen_[field_] = true;
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  static constexpr int kFieldCount = 6;
  static constexpr const char* kFields[kFieldCount] = {
      "item_id",      "status", "started_at",
      "completed_at", "job_id", "skip_reason"};

  void Emit() {
    item_.item_id = values_[0];
    item_.status_text = values_[1];
    item_.status = ParseItemStatus(values_[1]);
    if (seen_[2]) item_.started_at = ParseDateTime(values_[2]);
    if (seen_[3]) item_.completed_at = ParseDateTime(values_[3]);
    item_.attempt_job_id = values_[4];
    if (seen_[5]) item_.skip_reason = values_[5];
    consumer_->Consume(item_);
  }

  ItemConsumer* consumer_;
  int depth_ = 0;
  int field_ = -1;
  ItemView item_;
  std::string values_[kFieldCount];
  bool seen_[kFieldCount] = {};
};

void ParseWithSimdjson(std::string& body, Totals* totals) {
  Result<PageSummary> page = ParseItemPage(body, *totals);
  if (!page.ok()) {
    std::fprintf(stderr, "parse failed: %s\n", page.error().message().c_str());
    std::exit(1);
  }
}

void ParseWithSax(const std::string& body, Totals* totals) {
  SaxHandler handler(totals);
  if (!json::sax_parse(body, &handler)) {
    std::fprintf(stderr, "SAX parse failed\n");
    std::exit(1);
  }
}

struct Measurement {
  double items_per_second;
  double megabytes_per_second;
  Totals totals;
};

// CPU time of this thread, so that other processes competing for the
// cores do not count against the parser.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Best of several rounds of about 0.3 CPU seconds each, so that cache and
// frequency noise on a shared machine skews the result less.
Measurement Measure(const std::function<void(Totals*)>& parse,
                    size_t page_bytes) {
  constexpr int kRounds = 5;
  double best = 0;
  Totals totals;
  for (int round = 0; round < kRounds; ++round) {
    const double start = ThreadCpuSeconds();
    int pages = 0;
    double elapsed = 0;
    while (elapsed < 0.3) {
      totals = Totals();
      parse(&totals);
      ++pages;
      elapsed = ThreadCpuSeconds() - start;
    }
    best = std::max(best, pages / elapsed);
  }
  return {best * kItemsPerPage, best * static_cast<double>(page_bytes) / 1e6,
          totals};
}

}  // namespace
}  // namespace lcbe

int main(int argc, char** argv) {
  // An argument names the one parser to run, e.g. under a profiler.
  const std::string only = argc > 1 ? argv[1] : "";
  std::string page = lcbe::MakePage();
  page.reserve(page.size() + lcbe::kBodyPadding);
  std::printf("page: %d items, %zu bytes (%.0f bytes/item)\n\n",
              lcbe::kItemsPerPage, page.size(),
              static_cast<double>(page.size()) / lcbe::kItemsPerPage);

  struct Parser {
    const char* key;
    const char* name;
    std::function<void(lcbe::Totals*)> parse;
  };
  const Parser parsers[] = {
      {"simdjson", "simdjson on-demand",
       [&](lcbe::Totals* t) { lcbe::ParseWithSimdjson(page, t); }},
      {"dom", "nlohmann DOM + walk",
       [&](lcbe::Totals* t) { lcbe::ParseWithDom(page, t); }},
      {"sax", "nlohmann SAX",
       [&](lcbe::Totals* t) { lcbe::ParseWithSax(page, t); }},
  };

  std::printf("%-22s %12s %9s %16s\n", "parser", "items/s", "MB/s",
              "CPU s/1M items");
  std::optional<lcbe::Totals> first;
  bool agree = true;
  for (const Parser& parser : parsers) {
    if (!only.empty() && only != parser.key) continue;
    const lcbe::Measurement m = lcbe::Measure(parser.parse, page.size());
    std::printf("%-22s %12.0f %9.1f %16.3f\n", parser.name, m.items_per_second,
                m.megabytes_per_second, 1e6 / m.items_per_second);
    if (first && !first->SameAs(m.totals)) agree = false;
    if (!first) first = m.totals;
  }
  if (!agree) {
    std::printf("\nMISMATCH: the parsers read different values\n");
    return 1;
  }
  return 0;
}
