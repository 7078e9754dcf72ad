// libFuzzer target for the RFC 3339 date-time parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/time_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<lcbe::UnixNanos> nanos = lcbe::ParseDateTime(text);
  // Every accepted form is at least "YYYY-MM-DDThh:mm:ss".
  if (nanos && size < 19) __builtin_trap();
  return 0;
}
