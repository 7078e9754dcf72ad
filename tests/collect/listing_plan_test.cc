#include "api/listing_plan.h"

#include <catch2/catch.hpp>
#include <vector>

namespace lcbe {
namespace {

PageSummary Page(int64_t items, std::optional<int64_t> total = std::nullopt) {
  return PageSummary{items, total};
}

// Requests every page the plan allows right now.
std::vector<int> Drain(ListingPlan& plan) {
  std::vector<int> pages;
  while (auto page = plan.NextPage()) pages.push_back(*page);
  return pages;
}

TEST_CASE("a listing without total_size pages one request at a time") {
  ListingPlan plan(100, 50, 8);
  CHECK(Drain(plan) == std::vector<int>{0});
  plan.OnPage(0, Page(100));
  CHECK(Drain(plan) == std::vector<int>{1});
  plan.OnPage(1, Page(100));
  CHECK(Drain(plan) == std::vector<int>{2});
  plan.OnPage(2, Page(40));
  CHECK(plan.Done());
  CHECK(plan.LastPage() == 2);
  CHECK(Drain(plan).empty());
}

TEST_CASE(
    "an exact total_size fetches the remaining pages at once, "
    "then the empty page that confirms the end") {
  ListingPlan plan(100, 50, 8);
  Drain(plan);
  plan.OnPage(0, Page(100, 400));
  CHECK(Drain(plan) == std::vector<int>{1, 2, 3, 4});
  plan.OnPage(3, Page(100, 400));
  plan.OnPage(4, Page(0, 400));
  CHECK_FALSE(plan.Done());
  plan.OnPage(1, Page(100, 400));
  plan.OnPage(2, Page(100, 400));
  CHECK(plan.Done());
  CHECK(plan.LastPage() == 4);
}

TEST_CASE("a short last page ends the listing without an empty page") {
  ListingPlan plan(100, 50, 8);
  Drain(plan);
  plan.OnPage(0, Page(100, 250));
  CHECK(Drain(plan) == std::vector<int>{1, 2});
  plan.OnPage(1, Page(100, 250));
  plan.OnPage(2, Page(50, 250));
  CHECK(plan.Done());
  CHECK(plan.LastPage() == 2);
}

TEST_CASE("a total_size that is too low is followed past, page by page") {
  ListingPlan plan(100, 50, 8);
  Drain(plan);
  plan.OnPage(0, Page(100, 150));
  CHECK(Drain(plan) == std::vector<int>{1});
  plan.OnPage(1, Page(100, 150));
  CHECK(Drain(plan) == std::vector<int>{2});
  plan.OnPage(2, Page(100, 150));
  CHECK(Drain(plan) == std::vector<int>{3});
  plan.OnPage(3, Page(0, 150));
  CHECK(plan.Done());
  CHECK(plan.LastPage() == 3);
}

TEST_CASE("a total_size that is too high wastes at most the lookahead") {
  ListingPlan plan(100, 1000, 4);
  Drain(plan);
  plan.OnPage(0, Page(100, 1000000));
  CHECK(Drain(plan) == std::vector<int>{1, 2, 3, 4});
  plan.OnPage(1, Page(30, 1000000));
  CHECK(Drain(plan).empty());
  plan.OnPage(2, Page(0, 1000000));
  plan.OnPage(3, Page(0, 1000000));
  plan.OnPage(4, Page(0, 1000000));
  CHECK(plan.Done());
  CHECK(plan.LastPage() == 1);
}

TEST_CASE(
    "the first short page ends the listing even if later pages hold "
    "items") {
  ListingPlan plan(100, 50, 8);
  Drain(plan);
  plan.OnPage(0, Page(100, 300));
  Drain(plan);
  plan.OnPage(2, Page(100, 300));
  plan.OnPage(1, Page(99, 300));
  plan.OnPage(3, Page(0, 300));
  CHECK(plan.Done());
  CHECK(plan.LastPage() == 1);
}

TEST_CASE("an empty first page is a complete, empty listing") {
  ListingPlan plan(1000, 50, 8);
  Drain(plan);
  plan.OnPage(0, Page(0, 0));
  CHECK(plan.Done());
  CHECK(plan.LastPage() == 0);
}

TEST_CASE("a listing that never ends overflows at max_pages") {
  ListingPlan plan(10, 3, 8);
  for (int i = 0; i < 3; ++i) {
    auto page = plan.NextPage();
    REQUIRE(page == i);
    plan.OnPage(i, Page(10));
  }
  CHECK_FALSE(plan.NextPage());
  CHECK(plan.Overflowed());
  CHECK_FALSE(plan.Done());
}

TEST_CASE("offsets are page index times page size") {
  ListingPlan plan(1000, 10, 8);
  CHECK(plan.Offset(0) == 0);
  CHECK(plan.Offset(7) == 7000);
}

}  // namespace
}  // namespace lcbe
