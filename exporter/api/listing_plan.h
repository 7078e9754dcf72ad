#ifndef LCBE_API_LISTING_PLAN_H_
#define LCBE_API_LISTING_PLAN_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "api/item.h"

namespace lcbe {

// ListingPlan decides which pages of one job's item listing to request, from
// the answers received so far; it performs no I/O, so one listing can keep
// several requests in flight while the plan stays a plain, testable object.
//
// Page i starts at offset i * page_size. The listing ends at the first page
// that comes back shorter than page_size (an empty page included); pages
// after it do not belong to the listing. `total_size` only lets the plan
// request pages ahead of the answers: never more than `lookahead` pages past
// the lowest page still unanswered, so a wrong hint wastes at most that many
// requests. Not thread-safe.
class ListingPlan {
 public:
  ListingPlan(int page_size, int max_pages, int lookahead);

  // The next page to request, or nullopt when none may start before more
  // answers arrive (or the listing is complete or overflowed).
  std::optional<int> NextPage();

  // Records the answer for page `index`, which NextPage() returned.
  void OnPage(int index, const PageSummary& summary);

  // True once the last page and every page before it has been answered.
  bool Done() const;
  // True when the listing would need more than max_pages pages.
  bool Overflowed() const { return overflowed_; }
  // The index of the listing's last page. REQUIRES: Done().
  int LastPage() const { return stop_; }

  int64_t Offset(int index) const {
    return static_cast<int64_t>(index) * page_size_;
  }

 private:
  static constexpr int kNoStop = std::numeric_limits<int>::max();

  const int page_size_;
  const int max_pages_;
  const int lookahead_;
  int next_ = 0;        // lowest page never requested
  int frontier_ = 0;    // highest page known to be worth requesting
  int stop_ = kNoStop;  // first short page seen
  int unanswered_ = 0;  // lowest page without an answer
  bool overflowed_ = false;
  std::vector<bool> answered_;
};

}  // namespace lcbe

#endif  // LCBE_API_LISTING_PLAN_H_
