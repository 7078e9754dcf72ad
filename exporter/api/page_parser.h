#ifndef LCBE_API_PAGE_PARSER_H_
#define LCBE_API_PAGE_PARSER_H_

#include <string>

#include "api/item.h"
#include "common/result.h"

namespace lcbe {

// ParseItemPage reads one page of `GET …/{job_id}/items` and hands each
// item to `consumer`, in page order, as it is read. The page must be an
// object with an `items` array; `total_size` may be an integer, null or
// missing (a negative value reads as missing); other fields are ignored.
// Each item must be an object with string `item_id` and `status`; the
// optional fields the exporter reads may be missing or null, but a wrong
// type is an error naming the field and the item's index. A date-time
// string that does not parse reads as absent, not as an error. Invalid or
// truncated JSON and trailing content are errors too, with one known gap:
// the values of fields the parser does not read are skipped by their
// structure only, so a damaged literal inside one (`"x": tru`) goes
// unnoticed. simdjson's On-Demand API validates only what it visits, and
// visiting every value would cost more than the gap is worth.
//
// On error the consumer may already have seen some items; the caller
// discards them. Allocates nothing per item: the views passed to the
// consumer point into `body` and the parser's buffers. `body` is not
// changed in content, but its capacity is raised when it lacks
// kBodyPadding spare bytes. Thread-safe: threads share a few parsers, as
// many as there are CPUs, and wait for one when all are busy.
Result<PageSummary> ParseItemPage(std::string& body, ItemConsumer& consumer);

// ParseJob reads the body of `GET …/{job_id}`: `{"job": {"status": …}}`.
// The status is required; the job is final when it is completed, failed or
// cancelled. Thread-safe, as above.
Result<JobInfo> ParseJob(std::string& body);

}  // namespace lcbe

#endif  // LCBE_API_PAGE_PARSER_H_
