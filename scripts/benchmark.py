"""Measure how long an assessment takes and how much memory it needs, on the sample and on larger data.

Run: python scripts/benchmark.py [--rows 200000]. Prints one line per case; nothing here is a unit test.
"""
from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

import mlready
from mlready.sample import SAMPLE_DATA, SAMPLE_MODEL, SAMPLE_OPTIONS


def synthetic(rows: int, seed: int = 0) -> pd.DataFrame:
    """A wide-ish table with numbers, categories, missing values and a learnable outcome."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(rows, 12)), columns=[f"x{i}" for i in range(12)])
    frame["region"] = rng.choice(["north", "south", "east", "west"], rows)
    frame["plan"] = rng.choice([f"plan_{i}" for i in range(30)], rows)
    frame.loc[rng.random(rows) < 0.1, "x3"] = np.nan
    logit = frame["x0"] - 0.7 * frame["x1"].fillna(0) + (frame["region"] == "south")
    frame["churn"] = np.where(rng.random(rows) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame


def measure(label: str, run) -> None:
    start = time.perf_counter()
    assessment = run()
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<34} {seconds:7.1f} s   process peak {peak_mb:7.0f} MB   score {assessment.score:3d}  "
          f"{assessment.verdict}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the large synthetic table")
    args = parser.parse_args()
    measure("sample (1,000 rows, its model)", lambda: mlready.assess(SAMPLE_DATA, model=str(SAMPLE_MODEL),
                                                                      **SAMPLE_OPTIONS))
    measure("synthetic 20,000 rows", lambda: mlready.assess(synthetic(20_000), "churn", sensitive=["region"]))
    measure(f"synthetic {args.rows:,} rows", lambda: mlready.assess(synthetic(args.rows), "churn", sensitive=["region"]))


if __name__ == "__main__":
    main()
