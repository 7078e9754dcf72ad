#include "config/config_file.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string_view>

#include "config/values.h"

namespace lcbe::detail {
namespace {

// Walks the parsed YAML tree section by section. Each reader checks the
// node's type and value, stores it on success and reports a problem naming
// the key path and line otherwise; nothing stops at the first problem.
class FileLoader {
 public:
  FileLoader(std::string label, Config* config, FileSettings* settings,
             Problems* problems)
      : label_(std::move(label)),
        config_(config),
        settings_(settings),
        problems_(problems) {}

  void LoadRoot(const YAML::Node& root);

 private:
  using Handler =
      std::function<void(const YAML::Node& value, const std::string& path)>;
  struct KeyHandler {
    std::string_view key;
    Handler handle;
  };

  void ReadMap(const YAML::Node& map, const std::string& path,
               std::initializer_list<KeyHandler> handlers);
  void ReadLlamaCloud(const YAML::Node& node, const std::string& path);
  void ReadCollection(const YAML::Node& node, const std::string& path);
  void ReadMetrics(const YAML::Node& node, const std::string& path);
  void ReadWeb(const YAML::Node& node, const std::string& path);
  void ReadLog(const YAML::Node& node, const std::string& path);
  void ReadJobs(const YAML::Node& node, const std::string& path);
  void ReadJob(const YAML::Node& node, const std::string& path);

  bool ReadScalar(const YAML::Node& node, const std::string& path,
                  std::string* out);
  void ReadString(const YAML::Node& node, const std::string& path,
                  const std::function<Status(std::string_view)>& check,
                  std::string* out);
  void ReadInt(const YAML::Node& node, const std::string& path, int min,
               int max, int* out);
  void ReadRate(const YAML::Node& node, const std::string& path, double* out);
  void ReadDuration(const YAML::Node& node, const std::string& path,
                    bool allow_zero, Seconds* out);
  void ReadBuckets(const YAML::Node& node, const std::string& path,
                   std::vector<double>* out);

  std::string Where(const YAML::Node& node, const std::string& path) const;
  void Report(const YAML::Node& node, const std::string& path,
              std::string_view what) {
    problems_->Add(Where(node, path), what);
  }
  void Remember(const YAML::Node& node, const std::string& path) {
    settings_->where[path] = Where(node, path);
  }

  const std::string label_;
  Config* const config_;
  FileSettings* const settings_;
  Problems* const problems_;
};

std::string KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "a scalar";
  }
}

std::string Child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

Result<std::string> ReadWholeFile(const std::string& path) {
  if (const Status regular = CheckRegularFile(path); !regular) {
    return regular.error();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error("cannot read the file: " + std::string(std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error("cannot read the file");
  return text.str();
}

std::string FileLoader::Where(const YAML::Node& node,
                              const std::string& path) const {
  const int line = node.Mark().line;
  if (line < 0) return label_ + ": " + path;
  return label_ + ":" + std::to_string(line + 1) + ": " + path;
}

void FileLoader::ReadMap(const YAML::Node& map, const std::string& path,
                         std::initializer_list<KeyHandler> handlers) {
  if (map.IsNull()) return;
  if (!map.IsMap()) {
    Report(map, path.empty() ? "(top level)" : path,
           "must be a mapping, got " + KindName(map));
    return;
  }
  std::set<std::string> seen;
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    const std::string key_path = Child(path, key);
    if (!seen.insert(key).second) {
      Report(entry.first, key_path, "duplicate key");
      continue;
    }
    const KeyHandler* handler = nullptr;
    for (const KeyHandler& candidate : handlers) {
      if (candidate.key == key) handler = &candidate;
    }
    if (handler == nullptr) {
      Report(entry.first, key_path, "unknown key");
    } else if (!entry.second.IsNull()) {
      // An empty value ("key:") leaves the default in place.
      handler->handle(entry.second, key_path);
    }
  }
}

void FileLoader::LoadRoot(const YAML::Node& root) {
  auto section =
      [this](void (FileLoader::*read)(const YAML::Node&, const std::string&)) {
        return [this, read](const YAML::Node& n, const std::string& p) {
          (this->*read)(n, p);
        };
      };
  ReadMap(root, "",
          {{"llamacloud", section(&FileLoader::ReadLlamaCloud)},
           {"collection", section(&FileLoader::ReadCollection)},
           {"metrics", section(&FileLoader::ReadMetrics)},
           {"web", section(&FileLoader::ReadWeb)},
           {"log", section(&FileLoader::ReadLog)},
           {"jobs", section(&FileLoader::ReadJobs)}});
}

void FileLoader::ReadLlamaCloud(const YAML::Node& node,
                                const std::string& path) {
  Config& c = *config_;
  auto url = [this](const YAML::Node& n, const std::string& p) {
    std::string text;
    if (!ReadScalar(n, p, &text)) return;
    Result<std::string> normalized = NormalizeApiUrl(text);
    if (!normalized) return Report(n, p, normalized.error().message());
    config_->api_url = *normalized;
    Remember(n, p);
  };
  auto key_file = [this](const YAML::Node& n, const std::string& p) {
    const auto non_empty = [](std::string_view text) -> Status {
      if (text.empty()) return Error("must not be empty");
      return Status::Ok();
    };
    ReadString(n, p, non_empty, &settings_->api_key_file);
  };
  ReadMap(
      node, path,
      {{"url", url},
       {"api_key_file", key_file},
       {"project_id",
        [&](auto& n, auto& p) {
          ReadString(n, p, CheckScopeId, &c.project_id);
        }},
       {"organization_id",
        [&](auto& n, auto& p) {
          ReadString(n, p, CheckScopeId, &c.organization_id);
        }},
       {"max_requests_per_second",
        [&](auto& n, auto& p) { ReadRate(n, p, &c.max_requests_per_second); }},
       {"connect_timeout",
        [&](auto& n, auto& p) {
          ReadDuration(n, p, false, &c.connect_timeout);
        }},
       {"request_timeout",
        [&](auto& n, auto& p) {
          ReadDuration(n, p, false, &c.request_timeout);
        }},
       {"max_retries",
        [&](auto& n, auto& p) { ReadInt(n, p, 0, 100, &c.max_retries); }},
       {"max_retry_after",
        [&](auto& n, auto& p) {
          ReadDuration(n, p, true, &c.max_retry_after);
        }},
       {"page_size",
        [&](auto& n, auto& p) { ReadInt(n, p, 1, 1000, &c.page_size); }},
       {"max_pages",
        [&](auto& n, auto& p) { ReadInt(n, p, 1, 100000000, &c.max_pages); }}});
}

void FileLoader::ReadCollection(const YAML::Node& node,
                                const std::string& path) {
  Config& c = *config_;
  ReadMap(
      node, path,
      {{"max_concurrency",
        [&](auto& n, auto& p) { ReadInt(n, p, 1, 64, &c.max_concurrency); }},
       {"scrape_timeout",
        [&](auto& n, auto& p) {
          ReadDuration(n, p, false, &c.scrape_timeout);
        }},
       {"scrape_timeout_offset",
        [&](auto& n, auto& p) {
          ReadDuration(n, p, true, &c.scrape_timeout_offset);
        }},
       {"timeout",
        [&](auto& n, auto& p) {
          ReadDuration(n, p, false, &c.collection_timeout);
        }},
       {"min_interval",
        [&](auto& n, auto& p) { ReadDuration(n, p, true, &c.min_interval); }}});
}

void FileLoader::ReadMetrics(const YAML::Node& node, const std::string& path) {
  Config& c = *config_;
  ReadMap(node, path,
          {{"duration_buckets",
            [&](auto& n, auto& p) { ReadBuckets(n, p, &c.duration_buckets); }},
           {"max_skip_reasons", [&](auto& n, auto& p) {
              ReadInt(n, p, 1, 100000, &c.max_skip_reasons);
            }}});
}

void FileLoader::ReadWeb(const YAML::Node& node, const std::string& path) {
  Config& c = *config_;
  ReadMap(node, path,
          {{"listen_address",
            [&](auto& n, auto& p) {
              ReadString(n, p, CheckListenAddress, &c.listen_address);
            }},
           {"telemetry_path", [&](auto& n, auto& p) {
              ReadString(n, p, CheckTelemetryPath, &c.telemetry_path);
            }}});
}

void FileLoader::ReadLog(const YAML::Node& node, const std::string& path) {
  auto level = [this](const YAML::Node& n, const std::string& p) {
    std::string text;
    if (!ReadScalar(n, p, &text)) return;
    if (!ParseLogLevel(text, &config_->log_level)) {
      Report(n, p, "must be debug, info, warn or error, got " + Quote(text));
    }
  };
  auto format = [this](const YAML::Node& n, const std::string& p) {
    std::string text;
    if (!ReadScalar(n, p, &text)) return;
    if (!ParseLogFormat(text, &config_->log_format)) {
      Report(n, p, "must be logfmt or json, got " + Quote(text));
    }
  };
  ReadMap(node, path, {{"level", level}, {"format", format}});
}

void FileLoader::ReadJobs(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) {
    return Report(node, path, "must be a list of jobs, got " + KindName(node));
  }
  settings_->jobs_listed = node.size();
  for (size_t i = 0; i < node.size(); ++i) {
    ReadJob(node[i], path + "[" + std::to_string(i) + "]");
  }
}

void FileLoader::ReadJob(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) {
    return Report(
        node, path,
        "must be a mapping with at least an id, got " + KindName(node));
  }
  JobConfig job;
  std::string id_where;
  auto id = [&](const YAML::Node& n, const std::string& p) {
    ReadString(n, p, CheckJobId, &job.id);
    id_where = Where(n, p);
  };
  ReadMap(node, path,
          {{"id", id},
           {"project_id",
            [&](auto& n, auto& p) {
              ReadString(n, p, CheckScopeId, &job.project_id);
            }},
           {"organization_id",
            [&](auto& n, auto& p) {
              ReadString(n, p, CheckScopeId, &job.organization_id);
            }},
           {"max_skip_reasons",
            [&](auto& n, auto& p) {
              ReadInt(n, p, 1, 100000, &job.max_skip_reasons);
            }},
           {"duration_buckets", [&](auto& n, auto& p) {
              ReadBuckets(n, p, &job.duration_buckets);
            }}});
  if (id_where.empty()) {
    return Report(node, Child(path, "id"), "required: every job needs an id");
  }
  if (job.id.empty()) return;  // Its problem is already reported.
  config_->jobs.push_back(std::move(job));
  settings_->job_where.push_back(id_where);
}

bool FileLoader::ReadScalar(const YAML::Node& node, const std::string& path,
                            std::string* out) {
  if (!node.IsScalar()) {
    Report(node, path, "must be a single value, got " + KindName(node));
    return false;
  }
  *out = node.Scalar();
  return true;
}

void FileLoader::ReadString(
    const YAML::Node& node, const std::string& path,
    const std::function<Status(std::string_view)>& check, std::string* out) {
  std::string text;
  if (!ReadScalar(node, path, &text)) return;
  if (const Status status = check(text); !status) {
    return Report(node, path, status.error().message());
  }
  *out = std::move(text);
  Remember(node, path);
}

void FileLoader::ReadInt(const YAML::Node& node, const std::string& path,
                         int min, int max, int* out) {
  std::string text;
  if (!ReadScalar(node, path, &text)) return;
  const Result<long long> value = ParseInteger(text, min, max);
  if (!value) return Report(node, path, value.error().message());
  *out = static_cast<int>(*value);
  Remember(node, path);
}

void FileLoader::ReadRate(const YAML::Node& node, const std::string& path,
                          double* out) {
  std::string text;
  if (!ReadScalar(node, path, &text)) return;
  const Result<double> value = ParseNumber(text);
  if (!value) return Report(node, path, value.error().message());
  // Below one request a day, the spacing would overflow the limiter's clock.
  constexpr double kSlowestRate = 1.0 / (24 * 3600);
  if (*value < 0 || (*value > 0 && *value < kSlowestRate)) {
    return Report(node, path,
                  "must be 0 (no cap) or at least one request a day "
                  "(0.0000116), got " +
                      text);
  }
  *out = *value;
  Remember(node, path);
}

void FileLoader::ReadDuration(const YAML::Node& node, const std::string& path,
                              bool allow_zero, Seconds* out) {
  std::string text;
  if (!ReadScalar(node, path, &text)) return;
  const Result<Seconds> value = ParseDuration(text);
  if (!value) return Report(node, path, value.error().message());
  if (!allow_zero && value->count() <= 0) {
    return Report(node, path, "must be longer than 0s, got " + text);
  }
  *out = *value;
  Remember(node, path);
}

void FileLoader::ReadBuckets(const YAML::Node& node, const std::string& path,
                             std::vector<double>* out) {
  if (!node.IsSequence() || node.size() == 0) {
    return Report(node, path,
                  "must be a non-empty list of numbers, got " + KindName(node));
  }
  std::vector<double> buckets;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    std::string text;
    if (!ReadScalar(node[i], item_path, &text)) return;
    const Result<double> value = ParseNumber(text);
    if (!value) return Report(node[i], item_path, value.error().message());
    if (*value <= 0) {
      return Report(node[i], item_path, "must be positive, got " + text);
    }
    if (!buckets.empty() && *value <= buckets.back()) {
      return Report(node[i], item_path,
                    "must be greater than the bucket before it, got " + text);
    }
    buckets.push_back(*value);
  }
  *out = std::move(buckets);
  Remember(node, path);
}

}  // namespace

void LoadConfigFile(const std::string& path, Config* config,
                    FileSettings* settings, Problems* problems) {
  const Result<std::string> text = ReadWholeFile(path);
  if (!text) return problems->Add(path, text.error().message());

  FileLoader loader(path, config, settings, problems);
  try {
    const YAML::Node root = YAML::Load(*text);
    settings->parsed = true;
    loader.LoadRoot(root);
  } catch (const YAML::Exception& e) {
    const std::string where =
        e.mark.is_null() ? path : path + ":" + std::to_string(e.mark.line + 1);
    problems->Add(where, "YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    problems->Add(path, std::string("cannot load: ") + e.what());
  }
}

}  // namespace lcbe::detail
