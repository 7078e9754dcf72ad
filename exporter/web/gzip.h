#ifndef LCBE_WEB_GZIP_H_
#define LCBE_WEB_GZIP_H_

#include <string>
#include <string_view>

#include "common/result.h"

namespace lcbe {

// Returns true when an Accept-Encoding header value admits gzip: it lists
// "gzip" (any case) with no q-value or one above 0. "*" is not taken as
// consent, so a client only gets gzip when it names it.
bool AcceptsGzip(std::string_view accept_encoding);

// Compresses `data` into one gzip member (RFC 1952) with zlib's fastest
// level: scrape pages are large and repetitive, so higher levels cost
// twice the CPU for a quarter less output. Fails only when zlib does,
// e.g. out of memory.
Result<std::string> GzipCompress(std::string_view data);

}  // namespace lcbe

#endif  // LCBE_WEB_GZIP_H_
