#include "query.h"

#include <algorithm>
#include <charconv>

#include "json_text.h"

namespace lcbe::sim {

const std::string_view kItemStatusNames[6] = {
    "pending", "processing", "completed", "failed", "skipped", "cancelled"};
const std::string_view kJobStatusNames[6] = {
    "pending", "running", "dispatched", "completed", "failed", "cancelled"};
const std::string_view kJobTypeNames[3] = {"parse", "extract", "classify"};

namespace {

constexpr int64_t kMaxLimit = 1000;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      decoded.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() &&
               HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 +
                                          HexValue(text[i + 2])));
      i += 2;
    } else {
      decoded.push_back(text[i]);
    }
  }
  return decoded;
}

// Reads an integer parameter the way the API's validator does: optional
// sign, digits only, within bounds.
void CheckInt(const std::map<std::string, std::string>& query,
              const std::string& name, int64_t min, std::optional<int64_t> max,
              int64_t* value, std::vector<ParamIssue>* issues) {
  const auto found = query.find(name);
  if (found == query.end()) return;
  std::string_view text = found->second;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t parsed = 0;
  const auto result =
      std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (text.empty() || result.ec != std::errc() ||
      result.ptr != text.data() + text.size()) {
    issues->push_back({name,
                       "Input should be a valid integer, unable to parse "
                       "string as an integer",
                       "int_parsing", found->second});
  } else if (parsed < min) {
    issues->push_back(
        {name,
         "Input should be greater than or equal to " + std::to_string(min),
         "greater_than_equal", found->second});
  } else if (max && parsed > *max) {
    issues->push_back(
        {name, "Input should be less than or equal to " + std::to_string(*max),
         "less_than_equal", found->second});
  } else {
    *value = parsed;
  }
}

std::string EnumMessage(std::span<const std::string_view> allowed) {
  std::string message = "Input should be ";
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (i > 0) message += i + 1 == allowed.size() ? " or " : ", ";
    message.push_back('\'');
    message.append(allowed[i]);
    message.push_back('\'');
  }
  return message;
}

void CheckEnum(const std::map<std::string, std::string>& query,
               const std::string& name,
               std::span<const std::string_view> allowed,
               std::optional<std::string>* value,
               std::vector<ParamIssue>* issues) {
  const auto found = query.find(name);
  if (found == query.end()) return;
  if (std::find(allowed.begin(), allowed.end(), found->second) ==
      allowed.end()) {
    issues->push_back({name, EnumMessage(allowed), "enum", found->second});
    return;
  }
  *value = found->second;
}

}  // namespace

std::map<std::string, std::string> ParseQuery(std::string_view raw) {
  std::map<std::string, std::string> query;
  while (!raw.empty()) {
    const size_t amp = raw.find('&');
    const std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view()
                                        : raw.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string name = Decode(pair.substr(0, eq));
    query[name] =
        eq == std::string_view::npos ? "" : Decode(pair.substr(eq + 1));
  }
  return query;
}

std::vector<ParamIssue> CheckListParams(
    const std::map<std::string, std::string>& query, const ListRules& rules,
    ListParams* params) {
  std::vector<ParamIssue> issues;
  params->limit = rules.default_limit;
  CheckInt(query, "limit", 1, kMaxLimit, &params->limit, &issues);
  CheckInt(query, "offset", 0, std::nullopt, &params->offset, &issues);
  CheckEnum(query, "status", rules.statuses, &params->status, &issues);
  if (!rules.job_types.empty()) {
    CheckEnum(query, "job_type", rules.job_types, &params->job_type, &issues);
  }
  if (const auto found = query.find("directory_id"); found != query.end()) {
    params->directory_id = found->second;
  }
  return issues;
}

std::string ValidationErrorBody(const std::vector<ParamIssue>& issues) {
  std::string body = "{\"detail\":[";
  for (size_t i = 0; i < issues.size(); ++i) {
    if (i > 0) body.push_back(',');
    body.append("{\"loc\":[\"query\",");
    AppendJsonString(issues[i].name, &body);
    body.append("],\"msg\":");
    AppendJsonString(issues[i].message, &body);
    body.append(",\"type\":");
    AppendJsonString(issues[i].type, &body);
    body.append(",\"input\":");
    AppendJsonString(issues[i].input, &body);
    body.push_back('}');
  }
  body.append("]}");
  return body;
}

}  // namespace lcbe::sim
