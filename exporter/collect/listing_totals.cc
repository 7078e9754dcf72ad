#include "collect/listing_totals.h"

#include <algorithm>

namespace lcbe {
namespace {

constexpr size_t kMaxUnknownStatuses = 4;
constexpr std::string_view kUnspecifiedReason = "unspecified";
constexpr std::string_view kOtherReason = "other";

std::optional<double> DurationSeconds(const ItemView& item) {
  if (!item.started_at || !item.completed_at) return std::nullopt;
  const UnixNanos nanos = *item.completed_at - *item.started_at;
  if (nanos < 0) return std::nullopt;
  return static_cast<double>(nanos) / 1e9;
}

template <typename T>
void KeepMax(std::optional<T>& slot, const std::optional<T>& value) {
  if (value && (!slot || *value > *slot)) slot = value;
}

template <typename T>
void KeepMin(std::optional<T>& slot, const std::optional<T>& value) {
  if (value && (!slot || *value < *slot)) slot = value;
}

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence.
std::string_view TruncateUtf8(std::string_view text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

void AddSkipReason(SkipReasonCounts& counts, std::string_view reason,
                   int64_t n) {
  if (auto it = counts.find(reason); it != counts.end()) {
    it->second += n;
    return;
  }
  if (counts.size() >= kMaxTrackedSkipReasons) reason = kOtherReason;
  counts[std::string(reason)] += n;
}

}  // namespace

AttemptKey FailedAttemptKey(const ItemView& item) {
  const size_t id = std::hash<std::string_view>{}(item.item_id);
  size_t attempt;
  if (!item.attempt_job_id.empty()) {
    attempt = std::hash<std::string_view>{}(item.attempt_job_id);
  } else {
    attempt = std::hash<int64_t>{}(item.started_at.value_or(-1)) ^
              0x9e3779b97f4a7c15ULL;
  }
  // Mix so that swapping the two parts yields another key.
  return id * 0xff51afd7ed558ccdULL ^
         (attempt + 0x9e3779b97f4a7c15ULL + (id << 6) + (id >> 2));
}

void ListingTotals::Merge(ListingTotals&& other) {
  for (int i = 0; i < kItemStatusCount; ++i) {
    status_counts[i] += other.status_counts[i];
  }
  for (const auto& [reason, n] : other.skip_reasons) {
    AddSkipReason(skip_reasons, reason, n);
  }
  completed_durations.Add(other.completed_durations);
  completed_without_duration += other.completed_without_duration;
  failed_without_duration += other.failed_without_duration;
  new_failures.insert(new_failures.end(), other.new_failures.begin(),
                      other.new_failures.end());
  KeepMax(newest_completion, other.newest_completion);
  KeepMin(oldest_processing_start, other.oldest_processing_start);
  for (auto& status : other.unknown_statuses) {
    if (unknown_statuses.size() < kMaxUnknownStatuses &&
        std::find(unknown_statuses.begin(), unknown_statuses.end(), status) ==
            unknown_statuses.end()) {
      unknown_statuses.push_back(std::move(status));
    }
  }
}

PageAggregator::PageAggregator(const std::vector<double>* bounds,
                               const AttemptSet* seen_failures)
    : bounds_(bounds), seen_failures_(seen_failures) {
  totals_.completed_durations = DurationHistogram(bounds->size());
}

void PageAggregator::Consume(const ItemView& item) {
  ++totals_.status_counts[static_cast<size_t>(item.status)];
  switch (item.status) {
    case ItemStatus::kCompleted: {
      const std::optional<double> seconds = DurationSeconds(item);
      if (seconds) {
        totals_.completed_durations.Observe(*seconds, *bounds_);
      } else {
        ++totals_.completed_without_duration;
      }
      KeepMax(totals_.newest_completion, item.completed_at);
      break;
    }
    case ItemStatus::kFailed: {
      const std::optional<double> seconds = DurationSeconds(item);
      if (!seconds) ++totals_.failed_without_duration;
      CountFailure(item, seconds);
      break;
    }
    case ItemStatus::kProcessing:
      KeepMin(totals_.oldest_processing_start, item.started_at);
      break;
    case ItemStatus::kSkipped:
      CountSkipReason(item);
      break;
    case ItemStatus::kUnknown:
      if (totals_.unknown_statuses.size() < kMaxUnknownStatuses &&
          std::find(totals_.unknown_statuses.begin(),
                    totals_.unknown_statuses.end(),
                    item.status_text) == totals_.unknown_statuses.end()) {
        totals_.unknown_statuses.emplace_back(item.status_text);
      }
      break;
    case ItemStatus::kPending:
    case ItemStatus::kCancelled:
      break;
  }
}

void PageAggregator::CountSkipReason(const ItemView& item) {
  std::string_view reason = kUnspecifiedReason;
  if (item.skip_reason && !item.skip_reason->empty()) {
    reason = TruncateUtf8(*item.skip_reason, kMaxSkipReasonBytes);
  }
  // Control characters (a NUL, a tab) are legal in a label value but trip
  // up the tools that read one; they are rare enough to copy for.
  const auto is_control = [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  };
  if (std::any_of(reason.begin(), reason.end(), is_control)) {
    std::string cleaned(reason);
    std::replace_if(cleaned.begin(), cleaned.end(), is_control, ' ');
    AddSkipReason(totals_.skip_reasons, cleaned, 1);
    return;
  }
  AddSkipReason(totals_.skip_reasons, reason, 1);
}

void PageAggregator::CountFailure(const ItemView& item,
                                  std::optional<double> seconds) {
  const AttemptKey key = FailedAttemptKey(item);
  if (seen_failures_->count(key) == 0) {
    totals_.new_failures.push_back({key, seconds});
  }
}

}  // namespace lcbe
