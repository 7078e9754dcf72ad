// libFuzzer target for the YAML configuration loader. The loader reads a
// path, so each input is written to a private temporary file first.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/config.h"
#include "config/config_file.h"
#include "config/problems.h"

namespace {

// The file lives for the whole run and is rewritten for each input.
const std::string& InputPath() {
  static const std::string path = [] {
    char pattern[] = "/tmp/lcbe_config_fuzz_XXXXXX";
    const int fd = mkstemp(pattern);
    if (fd < 0) std::abort();
    close(fd);
    return std::string(pattern);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = InputPath();
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, file) != size) std::abort();
  std::fclose(file);

  lcbe::Config config;
  lcbe::detail::FileSettings settings;
  lcbe::detail::Problems problems;
  lcbe::detail::LoadConfigFile(path, &config, &settings, &problems);
  // A file that did not parse must say why.
  if (!settings.parsed && problems.empty()) __builtin_trap();
  return 0;
}
