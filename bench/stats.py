"""Order statistics of latency samples, as the benchmarks report them."""

import math


def percentile(samples: list[float], q: float) -> float:
    """The `q`-th percentile (0-100) of `samples` by the nearest-rank method: the smallest
    sample at or above q% of them, so p50 of an even count is the lower middle sample and
    p99 of 100 samples is the second largest. An empty list has none (ValueError)."""
    if not samples:
        raise ValueError("no samples")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0-100")
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(numerator: float, denominator: float) -> str:
    """`1.23x`: how many times the denominator the numerator is."""
    return f"{numerator / denominator:.2f}x"
