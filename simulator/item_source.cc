#include "item_source.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <vector>

#include "json_text.h"

namespace lcbe::sim {
namespace {

constexpr std::string_view kFinalStatuses[] = {"completed", "failed", "skipped",
                                               "cancelled"};

// Failures worth seeing in a dashboard, one of them over two lines.
constexpr std::string_view kErrorMessages[] = {
    "Parsing timed out after 300 seconds",
    "Unsupported file type",
    "Document is password protected\nRemove the password and retry",
    "Internal error while extracting tables",
};

const std::vector<SkipReasonWeight> kDefaultSkipReasons = {
    {"already_processed", 3}, {"size_limit_exceeded", 1}, {std::nullopt, 1}};

// SplitMix64's finalizer: a cheap bijective scramble, good enough to make
// per-item values look independent.
uint64_t Scramble(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t HashText(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  return hash;
}

// Salts that keep the draws for one item independent of each other.
enum class Draw : uint64_t {
  kStart = 1,
  kDuration,
  kFailure,
  kRetry,
  kSkip,
  kSkipReason,
  kError,
  kAttemptId,
  kRecordId,
};

uint64_t HashOf(uint64_t job_hash, int64_t index, Draw draw, int attempt = 0) {
  const uint64_t key = static_cast<uint64_t>(index) * 0x100 +
                       static_cast<uint64_t>(draw) * 0x10 +
                       static_cast<uint64_t>(attempt);
  return Scramble(job_hash ^ Scramble(key));
}

double UnitOf(uint64_t job_hash, int64_t index, Draw draw, int attempt = 0) {
  return static_cast<double>(HashOf(job_hash, index, draw, attempt) >> 11) *
         0x1.0p-53;
}

int64_t ToMs(double seconds) {
  return static_cast<int64_t>(std::llround(seconds * 1000));
}

const std::optional<std::string>& PickSkipReason(
    const std::vector<SkipReasonWeight>& reasons, double unit) {
  const auto& choices = reasons.empty() ? kDefaultSkipReasons : reasons;
  double total = 0;
  for (const auto& choice : choices) total += choice.weight;
  double point = unit * total;
  for (const auto& choice : choices) {
    if (point < choice.weight) return choice.reason;
    point -= choice.weight;
  }
  return choices.back().reason;
}

// The fields of one generated item; the rest are derived from its index.
struct GeneratedItem {
  std::string_view status;
  std::optional<int64_t> started_ms;
  std::optional<int64_t> completed_ms;
  int64_t effective_ms = 0;
  std::optional<std::string_view> error_message;
  std::optional<uint64_t> attempt_hash;
  std::optional<uint64_t> record_hash;
  const std::optional<std::string>* skip_reason = nullptr;
};

void AppendOptionalTimestamp(std::optional<int64_t> ms, std::string* out) {
  if (ms) {
    AppendTimestamp(*ms, out);
  } else {
    out->append("null");
  }
}

void AppendGeneratedItem(const std::string& id_prefix, int64_t index,
                         const GeneratedItem& item, std::string* out) {
  out->append("{\"item_id\":\"");
  out->append(id_prefix);
  AppendPadded(index, 7, out);
  out->append("\",\"item_name\":\"document-");
  AppendPadded(index, 7, out);
  out->append(".pdf\",\"status\":\"");
  out->append(item.status);
  out->append("\",\"started_at\":");
  AppendOptionalTimestamp(item.started_ms, out);
  out->append(",\"completed_at\":");
  AppendOptionalTimestamp(item.completed_ms, out);
  out->append(",\"effective_at\":");
  AppendTimestamp(item.effective_ms, out);
  out->append(",\"error_message\":");
  if (item.error_message) {
    AppendJsonString(*item.error_message, out);
  } else {
    out->append("null");
  }
  out->append(",\"job_id\":");
  if (item.attempt_hash) {
    out->append("\"pjb-");
    AppendHex64(*item.attempt_hash, out);
    out->push_back('"');
  } else {
    out->append("null");
  }
  out->append(",\"job_record_id\":");
  if (item.record_hash) {
    out->append("\"rec-");
    AppendHex64(*item.record_hash, out);
    out->push_back('"');
  } else {
    out->append("null");
  }
  out->append(",\"skip_reason\":");
  if (item.skip_reason) {
    AppendJsonStringOrNull(*item.skip_reason, out);
  } else {
    out->append("null");
  }
  out->push_back('}');
}

std::string IdPrefix(uint64_t job_hash) {
  std::string hex;
  AppendHex64(job_hash, &hex);
  return "itm-" + hex.substr(0, 8) + "-";
}

// Literal items from the scenario, sent exactly as written.
class FixedSource : public ItemSource {
 public:
  FixedSource(const FixedItems& items, int64_t created_ms)
      : items_(items), created_ms_(created_ms) {
    all_final_ = !items_.status.empty();
    for (const auto& status : items_.status) {
      all_final_ = all_final_ && status && IsFinalStatus(*status);
    }
  }

  int64_t size() const override {
    return static_cast<int64_t>(items_.json.size());
  }

  std::string_view StatusAt(int64_t index, double) const override {
    const auto& status = items_.status[static_cast<size_t>(index)];
    return status ? std::string_view(*status) : std::string_view();
  }

  void AppendItem(int64_t index, double, std::string* out) const override {
    out->append(items_.json[static_cast<size_t>(index)]);
  }

  JobTimes Times(double) const override {
    JobTimes times;
    times.created_ms = created_ms_;
    times.last_update_ms = created_ms_;
    if (all_final_) times.all_final_ms = created_ms_;
    return times;
  }

 private:
  const FixedItems items_;
  const int64_t created_ms_;
  bool all_final_ = false;
};

// Items whose statuses follow exact counts, scattered over the index range
// by an affine permutation (index * a + b) mod count, so any item can be
// generated alone and each status still gets exactly its count.
class SyntheticSource : public ItemSource {
 public:
  SyntheticSource(const JobSpec& job, uint64_t job_hash, int64_t start_ms)
      : spec_(job.synthetic),
        job_hash_(job_hash),
        id_prefix_(IdPrefix(job_hash)) {
    const double span = spec_.start_spread_seconds + spec_.duration.max_seconds;
    end_ms_ = start_ms;
    timeline_start_ms_ = start_ms - ToMs(span);
    created_ms_ = timeline_start_ms_ - ToMs(job.created_seconds_ago);
    int64_t upper = 0;
    for (const auto& [status, count] : spec_.status_counts) {
      upper += count;
      slot_ends_.push_back(upper);
      counts_.total += count;
      counts_.Add(status, count);
    }
    ChoosePermutation();
  }

  int64_t size() const override { return spec_.count; }

  std::string_view StatusAt(int64_t index, double) const override {
    return spec_.status_counts[Slot(index)].first;
  }

  void AppendItem(int64_t index, double, std::string* out) const override {
    GeneratedItem item;
    item.status = StatusAt(index, 0);
    item.effective_ms = created_ms_;
    if (item.status == "skipped" || item.status == "cancelled") {
      item.effective_ms = StartMs(index);
      item.record_hash = HashOf(job_hash_, index, Draw::kRecordId);
      if (item.status == "skipped") {
        item.skip_reason = &PickSkipReason(
            spec_.skip_reasons, UnitOf(job_hash_, index, Draw::kSkipReason));
      }
    } else if (item.status != "pending") {
      item.started_ms = StartMs(index);
      item.effective_ms = *item.started_ms;
      item.attempt_hash = HashOf(job_hash_, index, Draw::kAttemptId);
      item.record_hash = HashOf(job_hash_, index, Draw::kRecordId);
      if (item.status != "processing") {
        item.completed_ms = *item.started_ms + DurationMs(index);
        item.effective_ms = *item.completed_ms;
      }
      if (item.status == "failed") {
        item.error_message =
            kErrorMessages[HashOf(job_hash_, index, Draw::kError) %
                           std::size(kErrorMessages)];
      }
    }
    AppendGeneratedItem(id_prefix_, index, item, out);
  }

  int64_t AppendPage(std::optional<std::string_view> status, int64_t offset,
                     int64_t limit, double elapsed,
                     std::string* out) const override {
    if (!status) {
      return ItemSource::AppendPage(status, offset, limit, elapsed, out);
    }
    const auto slot = FindSlot(*status);
    if (!slot) return 0;
    std::call_once(grouped_once_, [this] { GroupBySlot(); });
    const int64_t begin = *slot == 0 ? 0 : slot_ends_[*slot - 1];
    const int64_t total = slot_ends_[*slot] - begin;
    for (int64_t rank = offset; rank < std::min(total, offset + limit);
         ++rank) {
      if (rank > offset) out->push_back(',');
      AppendItem(grouped_[static_cast<size_t>(begin + rank)], elapsed, out);
    }
    return total;
  }

  StatusCounts Count(double) const override { return counts_; }

  JobTimes Times(double) const override {
    JobTimes times;
    times.created_ms = created_ms_;
    times.last_update_ms = end_ms_;
    if (counts_.pending < counts_.total) {
      times.first_started_ms = timeline_start_ms_;
    }
    if (counts_.pending + counts_.processing == 0) times.all_final_ms = end_ms_;
    return times;
  }

 private:
  void ChoosePermutation() {
    const auto n = static_cast<uint64_t>(std::max<int64_t>(spec_.count, 1));
    multiplier_ = Scramble(job_hash_) % n;
    while (std::gcd(multiplier_, n) != 1) multiplier_ = (multiplier_ + 1) % n;
    increment_ = Scramble(job_hash_ + 1) % n;
  }

  size_t Slot(int64_t index) const {
    const auto n = static_cast<unsigned __int128>(spec_.count);
    const auto position =
        static_cast<int64_t>((static_cast<unsigned __int128>(multiplier_) *
                                  static_cast<uint64_t>(index) +
                              increment_) %
                             n);
    return static_cast<size_t>(
        std::upper_bound(slot_ends_.begin(), slot_ends_.end(), position) -
        slot_ends_.begin());
  }

  std::optional<size_t> FindSlot(std::string_view status) const {
    for (size_t i = 0; i < spec_.status_counts.size(); ++i) {
      if (spec_.status_counts[i].first == status) return i;
    }
    return std::nullopt;
  }

  // Lists item indices grouped by status slot, each group in index order,
  // so a filtered page is a slice. Built once, on the first filtered call.
  void GroupBySlot() const {
    std::vector<int64_t> next(slot_ends_.size());
    for (size_t i = 1; i < next.size(); ++i) next[i] = slot_ends_[i - 1];
    grouped_.resize(static_cast<size_t>(spec_.count));
    for (int64_t index = 0; index < spec_.count; ++index) {
      grouped_[static_cast<size_t>(next[Slot(index)]++)] = index;
    }
  }

  int64_t StartMs(int64_t index) const {
    return timeline_start_ms_ + ToMs(UnitOf(job_hash_, index, Draw::kStart) *
                                     spec_.start_spread_seconds);
  }

  int64_t DurationMs(int64_t index) const {
    const auto& range = spec_.duration;
    return ToMs(range.min_seconds +
                UnitOf(job_hash_, index, Draw::kDuration) *
                    (range.max_seconds - range.min_seconds));
  }

  const SyntheticItems spec_;
  const uint64_t job_hash_;
  const std::string id_prefix_;
  int64_t timeline_start_ms_ = 0;
  int64_t end_ms_ = 0;
  int64_t created_ms_ = 0;
  std::vector<int64_t> slot_ends_;
  StatusCounts counts_;
  uint64_t multiplier_ = 1;
  uint64_t increment_ = 0;
  mutable std::once_flag grouped_once_;
  mutable std::vector<int64_t> grouped_;
};

// Where a live item stands at one moment. Times are virtual seconds.
struct LiveState {
  std::string_view status = "pending";
  int attempt = 0;
  double started = 0;
  double ended = 0;
  bool final = false;
};

// Items that move through their lifecycle as virtual time passes. The
// state of an item is a pure function of (seed, job, index, time): each
// attempt's duration and outcome are drawn from the item's hash, so every
// thread and every request sees the same history without shared state.
class LiveSource : public ItemSource {
 public:
  LiveSource(const JobSpec& job, uint64_t job_hash, int64_t start_ms)
      : spec_(job.live),
        job_hash_(job_hash),
        id_prefix_(IdPrefix(job_hash)),
        start_ms_(start_ms),
        created_ms_(start_ms - ToMs(job.created_seconds_ago)) {
    constexpr double kForever = std::numeric_limits<double>::infinity();
    for (int64_t index = 0; index < spec_.count; ++index) {
      all_final_at_ = std::max(all_final_at_, StateAt(index, kForever).ended);
    }
  }

  int64_t size() const override { return spec_.count; }

  std::string_view StatusAt(int64_t index, double elapsed) const override {
    return StateAt(index, elapsed).status;
  }

  void AppendItem(int64_t index, double elapsed,
                  std::string* out) const override {
    const LiveState state = StateAt(index, elapsed);
    GeneratedItem item;
    item.status = state.status;
    item.effective_ms = created_ms_;
    if (state.status == "skipped") {
      item.effective_ms = WallMs(state.started);
      item.record_hash = HashOf(job_hash_, index, Draw::kRecordId);
      item.skip_reason = &PickSkipReason(
          spec_.skip_reasons, UnitOf(job_hash_, index, Draw::kSkipReason));
    } else if (state.status != "pending") {
      item.started_ms = WallMs(state.started);
      item.effective_ms = *item.started_ms;
      item.attempt_hash =
          HashOf(job_hash_, index, Draw::kAttemptId, state.attempt);
      item.record_hash =
          HashOf(job_hash_, index, Draw::kRecordId, state.attempt);
    }
    if (state.status == "completed" || state.status == "failed") {
      item.completed_ms = WallMs(state.ended);
      item.effective_ms = *item.completed_ms;
    }
    if (state.status == "failed") {
      item.error_message =
          kErrorMessages[HashOf(job_hash_, index, Draw::kError, state.attempt) %
                         std::size(kErrorMessages)];
    }
    AppendGeneratedItem(id_prefix_, index, item, out);
  }

  JobTimes Times(double elapsed) const override {
    JobTimes times;
    times.created_ms = created_ms_;
    times.last_update_ms = created_ms_;
    if (spec_.count > 0 && elapsed >= spec_.start_delay_seconds) {
      times.first_started_ms = WallMs(spec_.start_delay_seconds);
      times.last_update_ms = WallMs(std::min(elapsed, all_final_at_));
    }
    if (elapsed >= all_final_at_) times.all_final_ms = WallMs(all_final_at_);
    return times;
  }

 private:
  int64_t WallMs(double seconds) const { return start_ms_ + ToMs(seconds); }

  double FailureProbability(double at) const {
    const bool in_spike = spec_.spike_from && spec_.spike_to &&
                          at >= *spec_.spike_from && at < *spec_.spike_to;
    return in_spike ? spec_.spike_probability : spec_.failure_probability;
  }

  // Replays the item's attempts up to `elapsed`.
  LiveState StateAt(int64_t index, double elapsed) const {
    LiveState state;
    double start = spec_.start_delay_seconds +
                   static_cast<double>(index) / spec_.items_per_second;
    if (elapsed < start) return state;
    if (UnitOf(job_hash_, index, Draw::kSkip) < spec_.skip_probability) {
      return {"skipped", 0, start, start, true};
    }
    const auto& range = spec_.duration;
    for (int attempt = 0;; ++attempt) {
      const double end = start + range.min_seconds +
                         UnitOf(job_hash_, index, Draw::kDuration, attempt) *
                             (range.max_seconds - range.min_seconds);
      if (elapsed < end) return {"processing", attempt, start, end, false};
      if (UnitOf(job_hash_, index, Draw::kFailure, attempt) >=
          FailureProbability(end)) {
        return {"completed", attempt, start, end, true};
      }
      const bool retried = attempt + 1 < spec_.max_attempts &&
                           UnitOf(job_hash_, index, Draw::kRetry, attempt) <
                               spec_.retry_probability;
      const double next_start = end + spec_.retry_delay_seconds;
      if (!retried || elapsed < next_start) {
        return {"failed", attempt, start, end, !retried};
      }
      start = next_start;
    }
  }

  const LiveItems spec_;
  const uint64_t job_hash_;
  const std::string id_prefix_;
  const int64_t start_ms_;
  const int64_t created_ms_;
  double all_final_at_ = 0;
};

}  // namespace

void StatusCounts::Add(std::string_view status, int64_t n) {
  if (status == "pending") {
    pending += n;
  } else if (status == "processing") {
    processing += n;
  } else if (status == "completed") {
    completed += n;
  } else if (status == "failed") {
    failed += n;
  } else if (status == "skipped") {
    skipped += n;
  } else if (status == "cancelled") {
    cancelled += n;
  }
}

int64_t ItemSource::AppendPage(std::optional<std::string_view> status,
                               int64_t offset, int64_t limit, double elapsed,
                               std::string* out) const {
  const int64_t end = offset + limit;
  if (!status) {
    for (int64_t index = offset; index < std::min(size(), end); ++index) {
      if (index > offset) out->push_back(',');
      AppendItem(index, elapsed, out);
    }
    return size();
  }
  int64_t rank = 0;
  for (int64_t index = 0; index < size(); ++index) {
    if (StatusAt(index, elapsed) != *status) continue;
    if (rank >= offset && rank < end) {
      if (rank > offset) out->push_back(',');
      AppendItem(index, elapsed, out);
    }
    ++rank;
  }
  return rank;
}

StatusCounts ItemSource::Count(double elapsed) const {
  StatusCounts counts;
  counts.total = size();
  for (int64_t index = 0; index < size(); ++index) {
    counts.Add(StatusAt(index, elapsed));
  }
  return counts;
}

bool IsFinalStatus(std::string_view status) {
  return std::find(std::begin(kFinalStatuses), std::end(kFinalStatuses),
                   status) != std::end(kFinalStatuses);
}

std::unique_ptr<ItemSource> MakeItemSource(const JobSpec& job, uint64_t seed,
                                           int64_t start_ms) {
  const uint64_t job_hash = Scramble(seed ^ HashText(job.id));
  switch (job.kind) {
    case ItemsKind::kSynthetic:
      return std::make_unique<SyntheticSource>(job, job_hash, start_ms);
    case ItemsKind::kLive:
      return std::make_unique<LiveSource>(job, job_hash, start_ms);
    case ItemsKind::kFixed:
      break;
  }
  return std::make_unique<FixedSource>(
      job.fixed, start_ms - ToMs(job.created_seconds_ago));
}

}  // namespace lcbe::sim
