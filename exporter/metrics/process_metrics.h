#ifndef LCBE_METRICS_PROCESS_METRICS_H_
#define LCBE_METRICS_PROCESS_METRICS_H_

#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace lcbe {

// Where the process figures are read from; tests point these elsewhere.
struct ProcSources {
  // This process's stat file (pid, comm, state, ... as in proc(5)).
  std::string self_stat = "/proc/self/stat";
  // Directory holding one entry per open file descriptor.
  std::string self_fd_dir = "/proc/self/fd";
  // The system stat file holding the "btime" line.
  std::string system_stat = "/proc/stat";
};

// Returns the standard Prometheus process metrics for this process, named
// as the Go and Python clients name them: process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds and process_start_time_seconds. A
// figure that cannot be read is left out; the call never throws on bad
// input. Thread-safe.
std::vector<prometheus::MetricFamily> CollectProcessMetrics();

// As above, reading from `sources` (process_max_fds still comes from this
// process's RLIMIT_NOFILE).
std::vector<prometheus::MetricFamily> CollectProcessMetrics(
    const ProcSources& sources);

}  // namespace lcbe

#endif  // LCBE_METRICS_PROCESS_METRICS_H_
