#include "query.h"

#include <catch2/catch.hpp>

namespace lcbe::sim {
namespace {

const ListRules kItemRules{100, kItemStatusNames, {}};

TEST_CASE("Query strings are decoded and the last repeat wins") {
  const auto query = ParseQuery("a=1&b=x%20y+z&a=2&flag&&c=%2F");
  CHECK(query.at("a") == "2");
  CHECK(query.at("b") == "x y z");
  CHECK(query.at("flag").empty());
  CHECK(query.at("c") == "/");
  CHECK(query.size() == 4);
}

TEST_CASE("Listing parameters default to limit 100 and offset 0") {
  ListParams params;
  CHECK(CheckListParams({}, kItemRules, &params).empty());
  CHECK(params.limit == 100);
  CHECK(params.offset == 0);
  CHECK_FALSE(params.status.has_value());
}

TEST_CASE("Valid paging and status are taken") {
  ListParams params;
  const auto issues = CheckListParams(
      ParseQuery("limit=1000&offset=2500&status=failed"), kItemRules, &params);
  CHECK(issues.empty());
  CHECK(params.limit == 1000);
  CHECK(params.offset == 2500);
  CHECK(params.status == "failed");
}

TEST_CASE("Out-of-range and non-integer values are each reported") {
  ListParams params;
  const auto issues = CheckListParams(
      ParseQuery("limit=0&offset=abc&status=archived"), kItemRules, &params);
  REQUIRE(issues.size() == 3);
  CHECK(issues[0].name == "limit");
  CHECK(issues[0].type == "greater_than_equal");
  CHECK(issues[1].name == "offset");
  CHECK(issues[1].type == "int_parsing");
  CHECK(issues[2].name == "status");
  CHECK(issues[2].type == "enum");

  CHECK(
      CheckListParams(ParseQuery("limit=1001"), kItemRules, &params)[0].type ==
      "less_than_equal");
  CHECK(CheckListParams(ParseQuery("limit=1.5"), kItemRules, &params)[0].type ==
        "int_parsing");
  CHECK(CheckListParams(ParseQuery("limit="), kItemRules, &params)[0].type ==
        "int_parsing");
}

TEST_CASE("The 422 body has the API's detail shape") {
  const std::string body =
      ValidationErrorBody({{"limit", "Input should be x", "t", "0"}});
  CHECK(body ==
        R"({"detail":[{"loc":["query","limit"],"msg":"Input should be x",)"
        R"("type":"t","input":"0"}]})");
}

}  // namespace
}  // namespace lcbe::sim
