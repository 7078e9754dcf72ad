#ifndef LCBE_SIMULATOR_QUERY_H_
#define LCBE_SIMULATOR_QUERY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Query-string handling for the API endpoints: decoding, then the same
// checks the real API makes, reported in its 422 shape.
namespace lcbe::sim {

// Decodes `a=1&b=x%20y` into name -> value; `+` is a space, a repeated
// name keeps its last value, a name without `=` maps to "".
std::map<std::string, std::string> ParseQuery(std::string_view raw);

// One rejected query parameter, as a 422 `detail` entry.
struct ParamIssue {
  std::string name;
  std::string message;
  std::string type;
  std::string input;
};

// Paging and filters of a listing request, after validation.
struct ListParams {
  int64_t limit = 100;
  int64_t offset = 0;
  std::optional<std::string> status;
  std::optional<std::string> job_type;
  std::optional<std::string> directory_id;
};

// What a listing endpoint accepts.
struct ListRules {
  int64_t default_limit = 100;
  std::span<const std::string_view> statuses;
  std::span<const std::string_view> job_types;  // empty: no job_type filter
};

// The item statuses and job statuses and types the API defines.
extern const std::string_view kItemStatusNames[6];
extern const std::string_view kJobStatusNames[6];
extern const std::string_view kJobTypeNames[3];

// Validates `query` against `rules`: limit 1..1000, offset >= 0, status
// and job_type from their lists. Fills `params` and returns the issues,
// empty when the request is acceptable.
std::vector<ParamIssue> CheckListParams(
    const std::map<std::string, std::string>& query, const ListRules& rules,
    ListParams* params);

// The 422 body for `issues`: {"detail":[{"loc":["query",name],...}]}.
std::string ValidationErrorBody(const std::vector<ParamIssue>& issues);

}  // namespace lcbe::sim

#endif  // LCBE_SIMULATOR_QUERY_H_
