#include "api/item.h"

#include <catch2/catch.hpp>

#include "api/transport.h"

namespace lcbe {
namespace {

TEST_CASE("Every item status round-trips through its name", "[item]") {
  for (int i = 0; i < kItemStatusCount - 1; ++i) {
    const auto status = static_cast<ItemStatus>(i);
    CHECK(ParseItemStatus(ItemStatusName(status)) == status);
  }
  CHECK(ItemStatusName(ItemStatus::kPending) == "pending");
  CHECK(ItemStatusName(ItemStatus::kCancelled) == "cancelled");
  CHECK(ItemStatusName(ItemStatus::kUnknown) == "unknown");
}

TEST_CASE("Unrecognised item statuses parse as unknown", "[item]") {
  CHECK(ParseItemStatus("") == ItemStatus::kUnknown);
  CHECK(ParseItemStatus("PENDING") == ItemStatus::kUnknown);
  CHECK(ParseItemStatus("completed ") == ItemStatus::kUnknown);
  CHECK(ParseItemStatus("retrying") == ItemStatus::kUnknown);
  CHECK(ParseItemStatus("unknown") == ItemStatus::kUnknown);
}

TEST_CASE("Transport failures have stable code labels", "[item]") {
  CHECK(TransportFailureLabel(TransportFailure::kTimeout) == "timeout");
  CHECK(TransportFailureLabel(TransportFailure::kConnect) == "connect_error");
  CHECK(TransportFailureLabel(TransportFailure::kResolve) == "dns_error");
  CHECK(TransportFailureLabel(TransportFailure::kTls) == "tls_error");
  CHECK(TransportFailureLabel(TransportFailure::kOther) == "transport_error");
}

}  // namespace
}  // namespace lcbe
