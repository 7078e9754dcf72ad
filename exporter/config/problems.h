#ifndef LCBE_CONFIG_PROBLEMS_H_
#define LCBE_CONFIG_PROBLEMS_H_

#include <string>
#include <string_view>
#include <vector>

namespace lcbe::detail {

// Problems collects every configuration error found, so that an operator
// sees them all at once instead of fixing one per start. Each entry reads
// "<where>: <what>", e.g. "config.yaml:12: web.telemetry_path: must ...".
class Problems {
 public:
  void Add(std::string_view where, std::string_view what) {
    entries_.push_back(std::string(where) + ": " + std::string(what));
  }

  bool empty() const { return entries_.empty(); }
  const std::vector<std::string>& entries() const { return entries_; }

  // All entries, one per line, without a trailing newline.
  std::string Join() const {
    std::string out;
    for (const std::string& entry : entries_) {
      if (!out.empty()) out.push_back('\n');
      out += entry;
    }
    return out;
  }

 private:
  std::vector<std::string> entries_;
};

// `text` in double quotes, with control characters shown as "?" so that a
// value can never break the one-problem-per-line layout.
inline std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const bool control = static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
    out.push_back(control ? '?' : c);
  }
  out.push_back('"');
  return out;
}

}  // namespace lcbe::detail

#endif  // LCBE_CONFIG_PROBLEMS_H_
