#ifndef LCBE_COMMON_TEXT_H_
#define LCBE_COMMON_TEXT_H_

#include <algorithm>
#include <string_view>

namespace lcbe {

// `text` without leading and trailing spaces, tabs, CRs and LFs, as HTTP
// header values and list entries are read.
inline std::string_view TrimBlanks(std::string_view text) {
  const auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// True when `a` and `b` are equal but for the case of ASCII letters, as
// HTTP header names and tokens compare. Locale-independent.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  const auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
  };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace lcbe

#endif  // LCBE_COMMON_TEXT_H_
