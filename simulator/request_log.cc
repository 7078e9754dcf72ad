#include "request_log.h"

#include <cstdio>
#include <utility>

#include "json_text.h"

namespace lcbe::sim {

void RequestLog::Add(RequestRecord record) {
  std::lock_guard lock(mutex_);
  records_.push_back(std::move(record));
}

void RequestLog::Clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
}

size_t RequestLog::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

std::string RequestLog::ToJson() const {
  std::lock_guard lock(mutex_);
  std::string out = "[";
  out.reserve(records_.size() * 160);
  for (size_t i = 0; i < records_.size(); ++i) {
    const RequestRecord& record = records_[i];
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.6f", record.seconds);
    if (i > 0) out.push_back(',');
    out.append("\n{\"time\":");
    out.append(seconds);
    out.append(",\"method\":");
    AppendJsonString(record.method, &out);
    out.append(",\"path\":");
    AppendJsonString(record.path, &out);
    out.append(",\"query\":");
    AppendJsonString(record.query, &out);
    out.append(",\"status\":");
    AppendInt(record.status, &out);
    out.append(",\"job_id\":");
    AppendJsonStringOrNull(record.job_id, &out);
    out.append(",\"fault\":");
    AppendJsonStringOrNull(record.fault, &out);
    out.push_back('}');
  }
  out.append("\n]");
  return out;
}

}  // namespace lcbe::sim
