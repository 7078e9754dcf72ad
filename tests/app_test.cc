#include "app.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>

namespace lcbe {
namespace {

double Budget(std::optional<std::string> header) {
  Config config;  // scrape_timeout 10 s, offset 0.5 s
  return ScrapeBudget(header, config).count();
}

TEST_CASE("the scrape budget is Prometheus's timeout less the offset") {
  CHECK(Budget("30") == Approx(29.5));
  CHECK(Budget("4.5") == Approx(4.0));
  CHECK(Budget(std::nullopt) == Approx(9.5));
}

TEST_CASE("the budget never drops below half the timeout") {
  CHECK(Budget("0.6") == Approx(0.3));
}

TEST_CASE("a garbled timeout header falls back to the configured timeout") {
  for (const char* bad : {"abc", "", "nan", "inf", "1e999", "10s", " 5"}) {
    INFO(bad);
    CHECK(Budget(bad) == Approx(9.5));
  }
}

TEST_CASE("an absurd timeout header is clamped, not trusted") {
  CHECK(Budget("-1") == Approx(0.005));
  CHECK(Budget("1e308") == Approx(599.5));
}

}  // namespace
}  // namespace lcbe
