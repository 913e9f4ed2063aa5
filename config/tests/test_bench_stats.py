"""The benchmarks' percentile: nearest rank, as their reports state."""

import pytest

from bench.stats import percentile, ratio


@pytest.mark.parametrize(
    ("samples", "q", "expected"),
    [
        ([3.0], 50, 3.0),
        ([3.0], 99, 3.0),
        ([4.0, 1.0, 3.0, 2.0], 50, 2.0),  # even count: the lower middle sample
        ([5.0, 1.0, 4.0, 2.0, 3.0], 50, 3.0),
        ([float(i) for i in range(1, 101)], 99, 99.0),
        ([float(i) for i in range(1, 101)], 100, 100.0),
        ([float(i) for i in range(1, 101)], 0, 1.0),
        ([float(i) for i in range(1, 1001)], 99, 990.0),
    ],
)
def test_percentile_is_the_nearest_rank(samples, q, expected):
    assert percentile(samples, q) == expected


@pytest.mark.parametrize(("samples", "q"), [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_refuses_no_samples_and_out_of_range(samples, q):
    with pytest.raises(ValueError):
        percentile(samples, q)


def test_ratio_reads_as_times():
    assert ratio(3.0, 2.0) == "1.50x"
