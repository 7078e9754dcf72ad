#include "api/item.h"

#include <array>

#include "api/transport.h"

namespace lcbe {
namespace {

// Indexed by ItemStatus; the order must match the enum.
constexpr std::array<std::string_view, kItemStatusCount> kStatusNames = {
    "pending", "processing", "completed", "failed",
    "skipped", "cancelled",  "unknown",
};

}  // namespace

std::string_view ItemStatusName(ItemStatus status) {
  const auto index = static_cast<size_t>(status);
  if (index >= kStatusNames.size()) return "unknown";
  return kStatusNames[index];
}

ItemStatus ParseItemStatus(std::string_view text) {
  // kUnknown is the last entry and never matches API text on purpose: an
  // item the API calls "unknown" is as unrecognised as any other new value.
  for (size_t i = 0; i + 1 < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == text) return static_cast<ItemStatus>(i);
  }
  return ItemStatus::kUnknown;
}

std::string_view TransportFailureLabel(TransportFailure failure) {
  switch (failure) {
    case TransportFailure::kTimeout:
      return "timeout";
    case TransportFailure::kConnect:
      return "connect_error";
    case TransportFailure::kResolve:
      return "dns_error";
    case TransportFailure::kTls:
      return "tls_error";
    case TransportFailure::kOther:
      break;
  }
  return "transport_error";
}

}  // namespace lcbe
