#include "fault_book.h"

#include <catch2/catch.hpp>

namespace lcbe::sim {
namespace {

FaultSpec ErrorFault() {
  FaultSpec fault;
  fault.kind = FaultKind::kError;
  fault.name = "error";
  fault.status = 503;
  return fault;
}

int Fired(FaultBook* book, const FaultTarget& target, int requests) {
  int fired = 0;
  for (int i = 0; i < requests; ++i) {
    fired += book->Decide(target).response_fault.has_value() ? 1 : 0;
  }
  return fired;
}

TEST_CASE("A counted fault fires for the next N matching requests only") {
  FaultSpec fault = ErrorFault();
  fault.requests = 3;
  FaultBook book({fault});
  CHECK(Fired(&book, {Endpoint::kItems, "j", 0, 0}, 10) == 3);
}

TEST_CASE("Skip and every pick which matches fire") {
  FaultSpec fault = ErrorFault();
  fault.skip = 2;
  fault.every = 3;
  FaultBook book({fault});
  std::vector<bool> fired;
  for (int i = 0; i < 9; ++i) {
    fired.push_back(
        book.Decide({Endpoint::kJob, "j", {}, 0}).response_fault.has_value());
  }
  CHECK(fired == std::vector<bool>{false, false, false, false, true, false,
                                   false, true, false});
}

TEST_CASE("Scope by job, endpoint, offset and window") {
  FaultSpec fault = ErrorFault();
  fault.job_id = "j";
  fault.endpoint = Endpoint::kItems;
  fault.offset = 1000;
  fault.window_from = 10;
  fault.window_to = 20;
  FaultBook book({fault});
  CHECK_FALSE(book.Decide({Endpoint::kItems, "k", 1000, 15}).response_fault);
  CHECK_FALSE(book.Decide({Endpoint::kJob, "j", {}, 15}).response_fault);
  CHECK_FALSE(book.Decide({Endpoint::kItems, "j", 0, 15}).response_fault);
  CHECK_FALSE(book.Decide({Endpoint::kItems, "j", 1000, 20}).response_fault);
  CHECK_FALSE(book.Decide({Endpoint::kItems, "j", 1000, 9.9}).response_fault);
  CHECK(book.Decide({Endpoint::kItems, "j", 1000, 10}).response_fault);
}

TEST_CASE("Latency faults add up and the first response fault wins") {
  FaultSpec slow;
  slow.kind = FaultKind::kLatency;
  slow.delay_seconds = 0.25;
  FaultSpec first = ErrorFault();
  first.requests = 1;
  FaultSpec second = ErrorFault();
  second.status = 502;
  FaultBook book({slow, first, slow, second});
  FaultPlan plan = book.Decide({Endpoint::kItems, "j", 0, 0});
  CHECK(plan.delay_seconds == Approx(0.5));
  REQUIRE(plan.response_fault);
  CHECK(plan.response_fault->status == 503);
  plan = book.Decide({Endpoint::kItems, "j", 0, 0});
  REQUIRE(plan.response_fault);
  CHECK(plan.response_fault->status == 502);
}

TEST_CASE("Faults can be added and cleared at run time") {
  FaultBook book({});
  CHECK_FALSE(book.Decide({Endpoint::kItems, "j", 0, 0}).response_fault);
  book.Add({ErrorFault()});
  CHECK(book.size() == 1);
  CHECK(book.Decide({Endpoint::kItems, "j", 0, 0}).response_fault);
  book.Clear();
  CHECK_FALSE(book.Decide({Endpoint::kItems, "j", 0, 0}).response_fault);
}

}  // namespace
}  // namespace lcbe::sim
