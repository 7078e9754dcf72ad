#include "job_model.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "json_text.h"

namespace lcbe::sim {
namespace {

int64_t ProcessedItems(const StatusCounts& counts) {
  return counts.completed + counts.failed + counts.skipped + counts.cancelled;
}

void AppendOptionalTime(const std::optional<int64_t>& ms, std::string* out) {
  if (ms) {
    AppendTimestamp(*ms, out);
  } else {
    out->append("null");
  }
}

// Collects the job's fields in API order, so that scenario overrides can
// replace a value in place or add a field at the end.
class FieldList {
 public:
  void Add(std::string name, std::string json) {
    fields_.emplace_back(std::move(name), std::move(json));
  }

  void Override(const std::string& name, const std::string& json) {
    for (auto& field : fields_) {
      if (field.first == name) {
        field.second = json;
        return;
      }
    }
    Add(name, json);
  }

  void AppendObject(std::string* out) const {
    out->push_back('{');
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendJsonString(fields_[i].first, out);
      out->push_back(':');
      out->append(fields_[i].second);
    }
    out->push_back('}');
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

std::string StringOrNull(const std::optional<std::string>& value) {
  std::string json;
  AppendJsonStringOrNull(value, &json);
  return json;
}

std::string TimeOrNull(const std::optional<int64_t>& ms) {
  std::string json;
  AppendOptionalTime(ms, &json);
  return json;
}

}  // namespace

JobModel::JobModel(JobSpec spec, uint64_t seed, int64_t start_ms,
                   std::optional<std::string> default_project_id)
    : spec_(std::move(spec)),
      items_(MakeItemSource(spec_, seed, start_ms)),
      project_id_(spec_.project_id ? spec_.project_id
                                   : std::move(default_project_id)) {}

std::string JobModel::ComputedStatus(const StatusCounts& counts,
                                     const JobTimes& times) const {
  if (times.all_final_ms) return "completed";
  if (!times.first_started_ms && counts.pending == counts.total) {
    return "pending";
  }
  return "running";
}

std::string JobModel::Status(double elapsed) const {
  if (spec_.status) return *spec_.status;
  return ComputedStatus(items_->Count(elapsed), items_->Times(elapsed));
}

void JobModel::AppendJob(double elapsed, std::string* out) const {
  const StatusCounts counts = items_->Count(elapsed);
  const JobTimes times = items_->Times(elapsed);
  const std::string status =
      spec_.status ? *spec_.status : ComputedStatus(counts, times);
  const std::optional<int64_t> effective =
      times.all_final_ms ? times.all_final_ms
                         : times.first_started_ms.value_or(times.created_ms);

  FieldList fields;
  fields.Add("id", StringOrNull(spec_.id));
  fields.Add("project_id", StringOrNull(project_id_));
  fields.Add("job_type", StringOrNull(spec_.job_type));
  fields.Add("status", StringOrNull(status));
  fields.Add("total_items", std::to_string(counts.total));
  fields.Add("processed_items", std::to_string(ProcessedItems(counts)));
  fields.Add("failed_items", std::to_string(counts.failed));
  fields.Add("skipped_items", std::to_string(counts.skipped));
  fields.Add("created_at", TimeOrNull(times.created_ms));
  fields.Add("updated_at", TimeOrNull(times.last_update_ms));
  fields.Add("started_at", TimeOrNull(times.first_started_ms));
  fields.Add("completed_at", TimeOrNull(times.all_final_ms));
  fields.Add("effective_at", TimeOrNull(effective));
  fields.Add("directory_id", StringOrNull(spec_.directory_id));
  fields.Add("error_message", "null");
  fields.Add("job_record_id", "null");
  fields.Add("workflow_id", StringOrNull(spec_.workflow_id));
  for (const auto& [name, json] : spec_.job_overrides) {
    fields.Override(name, json);
  }
  fields.AppendObject(out);
}

void JobModel::AppendJobResponse(double elapsed, std::string* out) const {
  const StatusCounts counts = items_->Count(elapsed);
  const double percentage =
      counts.total == 0 ? 0.0
                        : 100.0 * static_cast<double>(ProcessedItems(counts)) /
                              static_cast<double>(counts.total);
  out->append("{\"job\":");
  AppendJob(elapsed, out);
  out->append(",\"progress_percentage\":");
  AppendNumber(percentage, out);
  out->push_back('}');
}

}  // namespace lcbe::sim
