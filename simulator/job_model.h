#ifndef LCBE_SIMULATOR_JOB_MODEL_H_
#define LCBE_SIMULATOR_JOB_MODEL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "item_source.h"
#include "scenario.h"

namespace lcbe::sim {

// JobModel is one batch job as the API shows it: the job object and its
// item listing at a given virtual time. Immutable; safe to share between
// threads.
class JobModel {
 public:
  // `default_project_id` is used when the job names no project of its own.
  JobModel(JobSpec spec, uint64_t seed, int64_t start_ms,
           std::optional<std::string> default_project_id);

  const std::string& id() const { return spec_.id; }
  const JobSpec& spec() const { return spec_; }
  const ItemSource& items() const { return *items_; }

  // The job's status at `elapsed`: the configured one if set, otherwise
  // `completed` once every item is final, `pending` before any item
  // started, `running` in between.
  std::string Status(double elapsed) const;

  // Appends the job as the JSON object the API calls Job.
  void AppendJob(double elapsed, std::string* out) const;

  // Appends {"job": Job, "progress_percentage": x}.
  void AppendJobResponse(double elapsed, std::string* out) const;

 private:
  std::string ComputedStatus(const StatusCounts& counts,
                             const JobTimes& times) const;

  const JobSpec spec_;
  const std::unique_ptr<ItemSource> items_;
  const std::optional<std::string> project_id_;
};

}  // namespace lcbe::sim

#endif  // LCBE_SIMULATOR_JOB_MODEL_H_
