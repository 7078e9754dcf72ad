#include "json_text.h"

#include <catch2/catch.hpp>
#include <string>

namespace lcbe::sim {
namespace {

std::string Timestamp(int64_t unix_ms) {
  std::string out;
  AppendTimestamp(unix_ms, &out);
  return out;
}

TEST_CASE("Timestamps are RFC 3339 UTC with milliseconds") {
  CHECK(Timestamp(0) == "\"1970-01-01T00:00:00.000Z\"");
  CHECK(Timestamp(951782400123) == "\"2000-02-29T00:00:00.123Z\"");
  CHECK(Timestamp(1772366645678) == "\"2026-03-01T12:04:05.678Z\"");
  CHECK(Timestamp(-1) == "\"1969-12-31T23:59:59.999Z\"");
}

TEST_CASE("Strings escape quotes, backslashes and control characters") {
  std::string out;
  AppendJsonString("a\"b\\c\nd\te\x01 \xc3\xa9", &out);
  CHECK(out == "\"a\\\"b\\\\c\\nd\\te\\u0001 \xc3\xa9\"");
}

TEST_CASE("Numbers are short and integers have no fraction") {
  std::string out;
  AppendNumber(98.0, &out);
  out.push_back(' ');
  AppendNumber(12.5, &out);
  out.push_back(' ');
  AppendNumber(100.0 / 3, &out);
  CHECK(out == "98 12.5 33.333333");
}

TEST_CASE("Padded integers and hex have fixed widths") {
  std::string out;
  AppendPadded(42, 7, &out);
  AppendHex64(0xabcULL, &out);
  CHECK(out == "00000420000000000000abc");
}

}  // namespace
}  // namespace lcbe::sim
