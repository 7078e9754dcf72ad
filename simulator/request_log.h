#ifndef LCBE_SIMULATOR_REQUEST_LOG_H_
#define LCBE_SIMULATOR_REQUEST_LOG_H_

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lcbe::sim {

// One API request as the simulator answered it.
struct RequestRecord {
  double seconds = 0;  // wall-clock seconds since the simulator started
  std::string method;
  std::string path;
  std::string query;
  int status = 0;
  std::optional<std::string> job_id;
  std::optional<std::string> fault;  // the fault kind that shaped the answer
};

// RequestLog remembers every API request so tests can check what a client
// asked for. Thread-safe.
class RequestLog {
 public:
  void Add(RequestRecord record);

  // Forgets every record.
  void Clear();

  size_t size() const;

  // The records as a JSON array, oldest first.
  std::string ToJson() const;

 private:
  mutable std::mutex mutex_;
  std::vector<RequestRecord> records_;
};

}  // namespace lcbe::sim

#endif  // LCBE_SIMULATOR_REQUEST_LOG_H_
