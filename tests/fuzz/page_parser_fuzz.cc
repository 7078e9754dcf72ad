// libFuzzer target for the listing-page and job parsers. Every input must
// come back as a value or an Error; sanitizers catch what would not.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/item.h"
#include "api/page_parser.h"

namespace {

// Touches every view so that a dangling one shows up under ASan.
class TouchingConsumer : public lcbe::ItemConsumer {
 public:
  void Consume(const lcbe::ItemView& item) override {
    for (char c : item.item_id) sum_ += static_cast<unsigned char>(c);
    for (char c : item.status_text) sum_ += static_cast<unsigned char>(c);
    for (char c : item.attempt_job_id) sum_ += static_cast<unsigned char>(c);
    if (item.skip_reason) {
      for (char c : *item.skip_reason) sum_ += static_cast<unsigned char>(c);
    }
    ++count_;
  }
  int64_t count() const { return count_; }

 private:
  uint64_t sum_ = 0;
  int64_t count_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  std::string page_body = input;
  TouchingConsumer consumer;
  lcbe::Result<lcbe::PageSummary> page =
      lcbe::ParseItemPage(page_body, consumer);
  if (page.ok()) {
    // A successful parse reports exactly the items it handed over.
    if (page->item_count != consumer.count()) __builtin_trap();
    if (page->total_size && *page->total_size < 0) __builtin_trap();
  } else if (page.error().message().empty()) {
    __builtin_trap();
  }
  // The body's content must be unchanged.
  if (page_body != input) __builtin_trap();

  std::string job_body = input;
  lcbe::Result<lcbe::JobInfo> job = lcbe::ParseJob(job_body);
  if (!job.ok() && job.error().message().empty()) __builtin_trap();
  return 0;
}
