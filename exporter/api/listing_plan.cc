#include "api/listing_plan.h"

#include <algorithm>

namespace lcbe {

ListingPlan::ListingPlan(int page_size, int max_pages, int lookahead)
    : page_size_(page_size),
      max_pages_(max_pages),
      lookahead_(std::max(1, lookahead)) {}

std::optional<int> ListingPlan::NextPage() {
  if (overflowed_ || next_ > std::min(frontier_, stop_) ||
      next_ >= unanswered_ + lookahead_) {
    return std::nullopt;
  }
  if (next_ >= max_pages_) {
    overflowed_ = true;
    return std::nullopt;
  }
  return next_++;
}

void ListingPlan::OnPage(int index, const PageSummary& summary) {
  if (static_cast<size_t>(index) >= answered_.size()) {
    answered_.resize(index + 1, false);
  }
  answered_[index] = true;
  while (static_cast<size_t>(unanswered_) < answered_.size() &&
         answered_[unanswered_]) {
    ++unanswered_;
  }

  if (summary.item_count < page_size_) {
    stop_ = std::min(stop_, index);
    return;
  }
  // A full page means the page after it is needed; the hint may point
  // further, up to the page holding offset total_size (empty if the total is
  // a multiple of the page size, which confirms the end).
  int64_t want = static_cast<int64_t>(index) + 1;
  if (summary.total_size) {
    want = std::max(want, *summary.total_size / page_size_);
  }
  frontier_ = static_cast<int>(
      std::min<int64_t>(std::max<int64_t>(frontier_, want), max_pages_));
}

bool ListingPlan::Done() const {
  return stop_ != kNoStop && unanswered_ > stop_;
}

}  // namespace lcbe
