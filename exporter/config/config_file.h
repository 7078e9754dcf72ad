#ifndef LCBE_CONFIG_CONFIG_FILE_H_
#define LCBE_CONFIG_CONFIG_FILE_H_

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/problems.h"

namespace lcbe::detail {

// What a configuration file says beyond the fields of Config, and where it
// says it, so that later checks can point at the right line.
struct FileSettings {
  // `llamacloud.api_key_file` as written; empty when absent.
  std::string api_key_file;
  // For each key path set in the file ("collection.scrape_timeout"), its
  // location prefix, e.g. "config.yaml:12: collection.scrape_timeout".
  std::map<std::string, std::string> where;
  // For each job appended to Config::jobs, the location of its id.
  std::vector<std::string> job_where;
  // Entries under `jobs:`, valid or not.
  size_t jobs_listed = 0;
  // False when the file could not be read or parsed at all.
  bool parsed = false;
};

// Reads the YAML file at `path` over `config`, which holds the defaults:
// every key the file sets replaces the field, and each entry of `jobs:` is
// appended to config->jobs with only the overrides it states. Every problem
// (unreadable file, syntax error, unknown key, wrong type, value out of
// range, missing job id) is added to `problems` with its line.
void LoadConfigFile(const std::string& path, Config* config,
                    FileSettings* settings, Problems* problems);

}  // namespace lcbe::detail

#endif  // LCBE_CONFIG_CONFIG_FILE_H_
