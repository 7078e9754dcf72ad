#include "collect/duration_histogram.h"

#include <catch2/catch.hpp>
#include <vector>

namespace lcbe {
namespace {

const std::vector<double> kBounds = {1, 10, 100};

std::vector<uint64_t> CumulativeOf(const DurationHistogram& h) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i < h.bucket_count(); ++i) out.push_back(h.Cumulative(i));
  return out;
}

TEST_CASE("observations land in the first bucket whose bound holds them") {
  DurationHistogram h(kBounds.size());
  h.Observe(0.5, kBounds);
  h.Observe(1, kBounds);  // le="1" includes the bound itself
  h.Observe(50, kBounds);
  h.Observe(1000, kBounds);
  CHECK(CumulativeOf(h) == std::vector<uint64_t>{2, 2, 3, 4});
  CHECK(h.count() == 4);
  CHECK(h.sum() == Approx(1051.5));
}

TEST_CASE("adding histograms adds every bucket, the count and the sum") {
  DurationHistogram a(kBounds.size());
  DurationHistogram b(kBounds.size());
  a.Observe(5, kBounds);
  b.Observe(5, kBounds);
  b.Observe(500, kBounds);
  a.Add(b);
  CHECK(CumulativeOf(a) == std::vector<uint64_t>{0, 2, 2, 3});
  CHECK(a.sum() == Approx(510));
}

TEST_CASE("raising keeps every cumulative bucket at its highest reading") {
  DurationHistogram high(kBounds.size());
  high.Observe(0.5, kBounds);
  high.Observe(50, kBounds);  // cumulative {1, 1, 2, 2}, sum 50.5

  // One item left the first bucket, another finished in the third.
  DurationHistogram fresh(kBounds.size());
  fresh.Observe(50, kBounds);
  fresh.Observe(60, kBounds);  // cumulative {0, 0, 2, 2}, sum 110
  high.RaiseTo(fresh);
  CHECK(CumulativeOf(high) == std::vector<uint64_t>{1, 1, 2, 2});
  CHECK(high.count() == 2);
  CHECK(high.sum() == Approx(110));

  DurationHistogram grown = fresh;
  grown.Observe(5, kBounds);  // cumulative {0, 1, 3, 3}
  high.RaiseTo(grown);
  CHECK(CumulativeOf(high) == std::vector<uint64_t>{1, 1, 3, 3});
  CHECK(high.count() == 3);
}

TEST_CASE("raising an empty histogram copies the other") {
  DurationHistogram empty;
  DurationHistogram other(kBounds.size());
  other.Observe(2, kBounds);
  empty.RaiseTo(other);
  CHECK(CumulativeOf(empty) == std::vector<uint64_t>{0, 1, 1, 1});
}

}  // namespace
}  // namespace lcbe
