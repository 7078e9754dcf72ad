#ifndef LCBE_CONFIG_FLAGS_H_
#define LCBE_CONFIG_FLAGS_H_

#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "config/config.h"
#include "config/problems.h"

namespace lcbe::detail {

// The configuration values given on the command line, already checked
// (the URL normalised); each one present overrides file and environment.
struct FlagSettings {
  std::optional<std::string> api_url;          // --llamacloud.url
  std::optional<std::string> project_id;       // --llamacloud.project-id
  std::optional<std::string> organization_id;  // --llamacloud.organization-id
  std::optional<std::string> listen_address;   // --web.listen-address
  std::optional<std::string> telemetry_path;   // --web.telemetry-path
  std::optional<LogLevel> log_level;           // --log.level
  std::optional<LogFormat> log_format;         // --log.format
  std::vector<std::string> jobs;               // --llamacloud.job, repeated
};

// Parses argv (without argv[0]): "--name=value", "--name value", bare
// boolean flags and "-h". Unknown flags, missing values, stray arguments,
// repeats of a single-use flag and bad values are added to `problems`,
// each prefixed by the flag's name.
void ParseFlags(int argc, const char* const* argv, CommandLine* cmd,
                FlagSettings* flags, Problems* problems);

}  // namespace lcbe::detail

#endif  // LCBE_CONFIG_FLAGS_H_
