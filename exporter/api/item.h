#ifndef LCBE_API_ITEM_H_
#define LCBE_API_ITEM_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lcbe {

// The status of a batch item. kUnknown stands for any value the API may add
// later; it is counted, never dropped.
enum class ItemStatus : uint8_t {
  kPending,
  kProcessing,
  kCompleted,
  kFailed,
  kSkipped,
  kCancelled,
  kUnknown,
};
inline constexpr int kItemStatusCount = 7;

// The label value of `status`: "pending", …, "unknown".
std::string_view ItemStatusName(ItemStatus status);
// Maps the API's text to a status; anything unrecognised is kUnknown.
ItemStatus ParseItemStatus(std::string_view text);

// Nanoseconds since the Unix epoch, UTC.
using UnixNanos = int64_t;

// ItemView is one item of a listing page as the parser hands it over. The
// views point into the page's body or the parser's buffers and are valid
// only during the ItemConsumer::Consume call that receives them.
struct ItemView {
  std::string_view item_id;
  ItemStatus status = ItemStatus::kUnknown;
  // The status exactly as sent, to name an unknown status in a log line.
  std::string_view status_text;
  // Absent when the field is missing, null or not a valid date-time. The
  // parser reads a date-time only where the exporter uses it, so these are
  // also absent for other statuses: started_at is read for processing,
  // completed and failed items, completed_at for completed and failed ones.
  std::optional<UnixNanos> started_at;
  std::optional<UnixNanos> completed_at;
  // The item's `job_id`: the processing job of its latest attempt. Empty
  // when missing or null.
  std::string_view attempt_job_id;
  // Absent when missing or null.
  std::optional<std::string_view> skip_reason;
};

// ItemConsumer receives the items of a page one by one, in page order.
class ItemConsumer {
 public:
  virtual ~ItemConsumer() = default;
  virtual void Consume(const ItemView& item) = 0;
};

// What a listing page says besides its items.
struct PageSummary {
  int64_t item_count = 0;
  // The server's `total_size`: a hint, absent when missing or null.
  std::optional<int64_t> total_size;
};

// What the exporter reads of a batch job (GET …/{job_id}).
struct JobInfo {
  // The job's status as sent, e.g. "running", "completed".
  std::string status;
  // True for the final statuses: completed, failed, cancelled.
  bool final = false;
};

}  // namespace lcbe

#endif  // LCBE_API_ITEM_H_
