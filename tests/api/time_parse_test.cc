#include "api/time_parse.h"

#include <catch2/catch.hpp>

#include <string>

namespace lcbe {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
// 2019-12-27T18:11:19Z, checked with `date -u -d ... +%s`.
constexpr int64_t kBase = 1577470279 * kSecond;

TEST_CASE("ParseDateTime reads the API's example form", "[time]") {
  CHECK(ParseDateTime("2019-12-27T18:11:19.117Z") == kBase + 117'000'000);
  CHECK(ParseDateTime("2019-12-27T18:11:19Z") == kBase);
  CHECK(ParseDateTime("1970-01-01T00:00:00Z") == 0);
}

TEST_CASE("ParseDateTime accepts every separator and zone form", "[time]") {
  for (const char* text : {
           "2019-12-27T18:11:19Z",
           "2019-12-27t18:11:19z",
           "2019-12-27 18:11:19Z",
           "2019-12-27T18:11:19",
           "2019-12-27T18:11:19+00:00",
           "2019-12-27T18:11:19-00:00",
           "2019-12-27T20:11:19+02:00",
           "2019-12-27T20:11:19+0200",
           "2019-12-27T20:11:19+02",
           "2019-12-27T23:41:19+05:30",
           "2019-12-27T12:41:19-05:30",
           "2019-12-27T12:41:19-0530",
           "2019-12-28T18:10:19+23:59",
       }) {
    INFO(text);
    CHECK(ParseDateTime(text) == kBase);
  }
}

TEST_CASE("ParseDateTime reads 0 to 9 fraction digits", "[time]") {
  CHECK(ParseDateTime("2019-12-27T18:11:19.1Z") == kBase + 100'000'000);
  CHECK(ParseDateTime("2019-12-27T18:11:19.12Z") == kBase + 120'000'000);
  CHECK(ParseDateTime("2019-12-27T18:11:19.123456Z") == kBase + 123'456'000);
  CHECK(ParseDateTime("2019-12-27T18:11:19.123456789Z") == kBase + 123'456'789);
  CHECK(ParseDateTime("2019-12-27T18:11:19.000000001") == kBase + 1);
  CHECK(ParseDateTime("2019-12-27T18:11:19.5+01:00") ==
        kBase - 3600 * kSecond + 500'000'000);
}

TEST_CASE("ParseDateTime handles leap years and month ends", "[time]") {
  // 2020-02-29 is day 18321 after the epoch; 2000 was a leap year.
  CHECK(ParseDateTime("2020-02-29T00:00:00Z") == 18321 * 86400 * kSecond);
  CHECK(ParseDateTime("2000-02-29T00:00:00Z") == 11016 * 86400 * kSecond);
  CHECK(ParseDateTime("2020-03-01T00:00:00Z") == 18322 * 86400 * kSecond);
  CHECK(ParseDateTime("2021-12-31T23:59:59Z") == 1640995199 * kSecond);
  CHECK(ParseDateTime("1969-12-31T23:59:59Z") == -kSecond);
  CHECK(ParseDateTime("1900-01-01T00:00:00Z") == -2208988800 * kSecond);
  CHECK(ParseDateTime("2019-02-28T00:00:00Z").has_value());
  CHECK(ParseDateTime("2019-04-30T00:00:00Z").has_value());
}

TEST_CASE("ParseDateTime clamps a leap second inside its minute", "[time]") {
  const int64_t midnight = 1483228800 * kSecond;  // 2017-01-01T00:00:00Z
  CHECK(ParseDateTime("2016-12-31T23:59:60Z") == midnight - 1);
  CHECK(ParseDateTime("2016-12-31T23:59:60.5Z") == midnight - 1);
  CHECK(ParseDateTime("2017-01-01T05:29:60+05:30") == midnight - 1);
}

TEST_CASE("ParseDateTime rejects malformed values", "[time]") {
  for (const char* text : {
           "",
           " ",
           "2019",
           "2019-12-27",
           "2019-12-27T",
           "2019-12-27T18:11",
           "2019-12-27T18:11Z",
           "2019-12-27T18:11:19.Z",
           "2019-12-27T18:11:19.",
           "2019-12-27T18:11:19.1234567890Z",
           "2019-12-27T18:11:19ZZ",
           "2019-12-27T18:11:19Z ",
           " 2019-12-27T18:11:19Z",
           "2019-12-27T18:11:19 Z",
           "2019-12-27T18:11:19+",
           "2019-12-27T18:11:19+1",
           "2019-12-27T18:11:19+01:",
           "2019-12-27T18:11:19+01:0",
           "2019-12-27T18:11:19+010",
           "2019-12-27T18:11:19+01:00:00",
           "2019-12-27T18:11:19+24:00",
           "2019-12-27T18:11:19+01:60",
           "2019-12-27T18:11:19GMT",
           "2019-12-27T18:11:19UTC",
           "2019-12-27X18:11:19Z",
           "2019-12-27_18:11:19Z",
           "2019/12/27T18:11:19Z",
           "19-12-27T18:11:19Z",
           "+2019-12-27T18:11:19Z",
           "2019-1-27T18:11:19Z",
           "2019-12-7T18:11:19Z",
           "2019-12-27T8:11:19Z",
           "2019-12-27T18:1:19Z",
           "2019-12-27T18:11:9Z",
           "2019-00-27T18:11:19Z",
           "2019-13-27T18:11:19Z",
           "2019-12-00T18:11:19Z",
           "2019-12-32T18:11:19Z",
           "2019-02-29T18:11:19Z",
           "1900-02-29T18:11:19Z",
           "2019-04-31T18:11:19Z",
           "2019-12-27T24:00:00Z",
           "2019-12-27T18:60:19Z",
           "2019-12-27T18:11:61Z",
           "2019-12-27T18:11:19,5Z",
           "2019-12-27T18:11:19.5e3Z",
           "2019-12-27T18:11:19.-5Z",
           "２０１９-12-27T18:11:19Z",
           "null",
           "1577470279",
       }) {
    INFO('"' << text << '"');
    CHECK_FALSE(ParseDateTime(text).has_value());
  }
}

TEST_CASE("ParseDateTime rejects instants outside int64 nanoseconds",
          "[time]") {
  CHECK(ParseDateTime("2262-04-11T23:47:15Z").has_value());
  CHECK_FALSE(ParseDateTime("2262-04-11T23:47:17Z").has_value());
  CHECK_FALSE(ParseDateTime("9999-12-31T23:59:59Z").has_value());
  CHECK(ParseDateTime("1677-09-21T00:12:44Z").has_value());
  CHECK_FALSE(ParseDateTime("1677-09-21T00:12:43Z").has_value());
  CHECK_FALSE(ParseDateTime("0000-01-01T00:00:00Z").has_value());
}

TEST_CASE("ParseDateTime does not read past the view", "[time]") {
  const std::string text = "2019-12-27T18:11:19.117Zjunk";
  CHECK(ParseDateTime(std::string_view(text).substr(0, 24)) ==
        kBase + 117'000'000);
  CHECK(ParseDateTime(std::string_view(text).substr(0, 23)) ==
        kBase + 117'000'000);
  CHECK_FALSE(ParseDateTime(std::string_view(text).substr(0, 20)).has_value());
}

TEST_CASE("ParseDateTime gives the same answers whatever it read before",
          "[time]") {
  const int64_t leap_day = 18321 * 86400 * kSecond;  // 2020-02-29
  // A date read again is served from the last one; a damaged one with the
  // same first bytes, and a different one, still read on their own.
  for (int round = 0; round < 3; ++round) {
    CHECK(ParseDateTime("2020-02-29T00:00:00Z") == leap_day);
    CHECK(ParseDateTime("2020-02-29T00:00:01Z") == leap_day + kSecond);
    CHECK(ParseDateTime("2020-02-29 01:00:00+01:00") == leap_day);
    CHECK_FALSE(ParseDateTime("2020-02-2").has_value());
    CHECK_FALSE(ParseDateTime("2020-02-29").has_value());
    CHECK_FALSE(ParseDateTime("2020-02-29X00:00:00Z").has_value());
    CHECK_FALSE(ParseDateTime("2019-02-29T00:00:00Z").has_value());
    CHECK(ParseDateTime("2020-03-01T00:00:00Z") == leap_day + 86400 * kSecond);
  }
}

}  // namespace
}  // namespace lcbe
