#include "collect/job_state.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "collect/listing_totals.h"

namespace lcbe {
namespace {

constexpr UnixNanos kSecond = 1'000'000'000;
constexpr UnixNanos kT0 = 1'700'000'000 * kSecond;

JobConfig TestJob() {
  JobConfig job;
  job.id = "bjb-test";
  job.max_skip_reasons = 2;
  job.duration_buckets = {1, 10, 100};
  return job;
}

struct Item {
  std::string id;
  ItemStatus status;
  std::optional<UnixNanos> started;
  std::optional<UnixNanos> completed;
  std::string attempt;
  std::optional<std::string> skip_reason;
};

ItemView ViewOf(const Item& item) {
  ItemView view;
  view.item_id = item.id;
  view.status = item.status;
  view.status_text = ItemStatusName(item.status);
  view.started_at = item.started;
  view.completed_at = item.completed;
  view.attempt_job_id = item.attempt;
  if (item.skip_reason) view.skip_reason = *item.skip_reason;
  return view;
}

// Lists `items` as one page and commits the listing into `state`.
std::shared_ptr<const JobSnapshot> List(JobState& state, const JobConfig& job,
                                        const std::vector<Item>& items) {
  PageAggregator page(&job.duration_buckets, &state.seen_failures());
  for (const Item& item : items) page.Consume(ViewOf(item));
  return state.Commit(std::move(page.totals()));
}

int64_t Count(const JobSnapshot& s, ItemStatus status) {
  return s.status_counts[static_cast<size_t>(status)];
}

Item Completed(std::string id, int seconds) {
  return {std::move(id), ItemStatus::kCompleted,
          kT0,           kT0 + seconds * kSecond,
          "pjb-1",       std::nullopt};
}

Item Failed(std::string id, std::string attempt, int seconds) {
  return {std::move(id),           ItemStatus::kFailed, kT0,
          kT0 + seconds * kSecond, std::move(attempt),  std::nullopt};
}

TEST_CASE("a listing is counted by status, with durations and timestamps") {
  const JobConfig job = TestJob();
  JobState state(&job);
  auto s = List(state, job,
                {Completed("a", 5),
                 Completed("b", 50),
                 Failed("c", "j1", 2),
                 {"d", ItemStatus::kProcessing, kT0 + 7 * kSecond, std::nullopt,
                  "", std::nullopt},
                 {"e", ItemStatus::kProcessing, kT0 + 3 * kSecond, std::nullopt,
                  "", std::nullopt},
                 {"f", ItemStatus::kPending, std::nullopt, std::nullopt, "",
                  std::nullopt},
                 {"g", ItemStatus::kUnknown, std::nullopt, std::nullopt, "",
                  std::nullopt}});
  CHECK(Count(*s, ItemStatus::kCompleted) == 2);
  CHECK(Count(*s, ItemStatus::kFailed) == 1);
  CHECK(Count(*s, ItemStatus::kProcessing) == 2);
  CHECK(Count(*s, ItemStatus::kPending) == 1);
  CHECK(Count(*s, ItemStatus::kUnknown) == 1);
  CHECK(Count(*s, ItemStatus::kSkipped) == 0);
  CHECK(s->completed_durations.count() == 2);
  CHECK(s->completed_durations.sum() == Approx(55));
  CHECK(s->completed_durations.Cumulative(1) == 1);  // le=10
  CHECK(s->failed_durations.count() == 1);
  CHECK(s->failures_total == 1);
  REQUIRE(s->last_completion_unix);
  CHECK(*s->last_completion_unix == Approx(1'700'000'050.0));
  REQUIRE(s->oldest_processing_start_unix);
  CHECK(*s->oldest_processing_start_unix == Approx(1'700'000'003.0));
}

TEST_CASE("items without a usable duration are counted, not observed") {
  const JobConfig job = TestJob();
  JobState state(&job);
  auto s = List(
      state, job,
      {{"a", ItemStatus::kCompleted, std::nullopt, kT0, "p", std::nullopt},
       {"b", ItemStatus::kCompleted, kT0, kT0 - kSecond, "p", std::nullopt},
       {"c", ItemStatus::kFailed, kT0, std::nullopt, "p", std::nullopt},
       Completed("d", 1)});
  CHECK(s->completed_without_duration == 2);
  CHECK(s->failed_without_duration == 1);
  CHECK(s->completed_durations.count() == 1);
  CHECK(s->failed_durations.count() == 0);
  // A failure without a duration is still a failure.
  CHECK(s->failures_total == 1);
  CHECK_FALSE(s->oldest_processing_start_unix);
}

TEST_CASE("a retried item that leaves failed lowers no failure series") {
  const JobConfig job = TestJob();
  JobState state(&job);
  auto first = List(state, job, {Failed("a", "j1", 5), Failed("b", "j1", 50)});
  CHECK(first->failures_total == 2);
  CHECK(first->failed_durations.count() == 2);

  // "a" is being retried: it is no longer failed.
  auto second = List(
      state, job,
      {{"a", ItemStatus::kProcessing, kT0, std::nullopt, "j2", std::nullopt},
       Failed("b", "j1", 50)});
  CHECK(second->failures_total == 2);
  CHECK(second->failed_durations.count() == 2);
  CHECK(second->failed_durations.sum() == Approx(55));
  CHECK(Count(*second, ItemStatus::kFailed) == 1);

  // The retry fails again: a new attempt, counted once, however often seen.
  auto third = List(state, job, {Failed("a", "j2", 7), Failed("b", "j1", 50)});
  CHECK(third->failures_total == 3);
  CHECK(third->failed_durations.count() == 3);
  auto fourth = List(state, job, {Failed("a", "j2", 7), Failed("b", "j1", 50)});
  CHECK(fourth->failures_total == 3);
  CHECK(fourth->failed_durations.count() == 3);
}

TEST_CASE(
    "failed attempts without a processing job id are told apart by "
    "their start") {
  const JobConfig job = TestJob();
  JobState state(&job);
  Item attempt1{"a", ItemStatus::kFailed, kT0, kT0 + kSecond, "", std::nullopt};
  Item attempt2{
      "a", ItemStatus::kFailed, kT0 + 60 * kSecond, kT0 + 61 * kSecond,
      "",  std::nullopt};
  CHECK(List(state, job, {attempt1})->failures_total == 1);
  CHECK(List(state, job, {attempt1})->failures_total == 1);
  CHECK(List(state, job, {attempt2})->failures_total == 2);
}

TEST_CASE("an item seen twice in one listing is one failure") {
  const JobConfig job = TestJob();
  JobState state(&job);
  auto s = List(state, job, {Failed("a", "j1", 5), Failed("a", "j1", 5)});
  CHECK(s->failures_total == 1);
  CHECK(s->failed_durations.count() == 1);
}

TEST_CASE("the completed histogram never decreases when items leave it") {
  const JobConfig job = TestJob();
  JobState state(&job);
  auto first = List(state, job, {Completed("a", 5), Completed("b", 500)});
  CHECK(first->completed_durations.count() == 2);
  auto second = List(state, job, {Completed("b", 500)});
  CHECK(second->completed_durations.count() == 2);
  CHECK(second->completed_durations.Cumulative(1) == 1);
  CHECK(second->completed_durations.sum() == Approx(505));
  auto third = List(state, job,
                    {Completed("b", 500), Completed("c", 0), Completed("d", 0),
                     Completed("e", 2)});
  CHECK(third->completed_durations.count() == 4);
  CHECK(third->completed_durations.Cumulative(0) == 2);
}

TEST_CASE("skip reasons: missing is unspecified, past the cap is other") {
  const JobConfig job = TestJob();  // max_skip_reasons = 2
  JobState state(&job);
  auto skipped = [](std::string id, std::optional<std::string> reason) {
    return Item{
        std::move(id),    ItemStatus::kSkipped, std::nullopt, std::nullopt, "",
        std::move(reason)};
  };
  auto s = List(
      state, job,
      {skipped("a", "already_processed"), skipped("b", "already_processed"),
       skipped("c", "already_processed"), skipped("d", std::nullopt),
       skipped("e", std::nullopt), skipped("f", "size_limit"),
       skipped("g", "zzz")});
  using Reasons = std::vector<std::pair<std::string, int64_t>>;
  CHECK(s->skip_reasons ==
        Reasons{{"already_processed", 3}, {"other", 2}, {"unspecified", 2}});
  CHECK(Count(*s, ItemStatus::kSkipped) == 7);
}

TEST_CASE("a skip reason is cut at a UTF-8 character boundary") {
  const JobConfig job = TestJob();
  JobState state(&job);
  std::string reason(kMaxSkipReasonBytes - 1, 'x');
  reason += "\xC3\xA9tail";  // "é" straddles the limit
  auto s = List(
      state, job,
      {{"a", ItemStatus::kSkipped, std::nullopt, std::nullopt, "", reason}});
  REQUIRE(s->skip_reasons.size() == 1);
  CHECK(s->skip_reasons[0].first == std::string(kMaxSkipReasonBytes - 1, 'x'));
}

TEST_CASE("control characters in a skip reason become spaces") {
  const JobConfig job = TestJob();
  JobState state(&job);
  auto s = List(state, job,
                {{"a", ItemStatus::kSkipped, std::nullopt, std::nullopt, "",
                  std::string("a\0b\nc", 5)}});
  REQUIRE(s->skip_reasons.size() == 1);
  CHECK(s->skip_reasons[0].first == "a b c");
}

TEST_CASE("pages merged in any grouping give the same totals") {
  const JobConfig job = TestJob();
  JobState state(&job);
  PageAggregator p1(&job.duration_buckets, &state.seen_failures());
  PageAggregator p2(&job.duration_buckets, &state.seen_failures());
  p1.Consume(ViewOf(Completed("a", 5)));
  p1.Consume(ViewOf(Failed("b", "j", 5)));
  p2.Consume(ViewOf(Completed("c", 50)));
  p2.Consume(ViewOf(Failed("d", "j", 5)));
  ListingTotals all;
  all.Merge(std::move(p1.totals()));
  all.Merge(std::move(p2.totals()));
  auto s = state.Commit(std::move(all));
  CHECK(Count(*s, ItemStatus::kCompleted) == 2);
  CHECK(s->completed_durations.count() == 2);
  CHECK(s->failures_total == 2);
}

}  // namespace
}  // namespace lcbe
