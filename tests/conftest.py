"""Shared fixtures: real and planted tables, and settings that keep the suite quick."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from threadpoolctl import threadpool_limits

# The runner runs every check on one OpenMP thread (mlready.threads). Tests that call a check directly get the same
# limit here: without it, the booster's threads wait for each other on a busy machine and a 1-second test takes
# minutes (three tests of the suite took 530 s instead of 5). Tests that need more threads ask for them with
# mlready.threads.limited, which sets the limit for its own block.
_ONE_OPENMP_THREAD = threadpool_limits(limits=1, user_api="openmp")

# The app's own modules (ui/, views/) sit beside the package, not in it: importable in every test process (with
# pytest-xdist a worker may reach a test that imports `ui` before any AppTest has put the app's folder on the path)
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The longest test files start first (each file runs in one worker: --dist loadfile in pyproject.toml), so that the
# two workers end together instead of one waiting for the other to finish a long file it began last.
LONGEST_FIRST = ("test_browser.py", "test_load.py", "test_app.py", "test_board.py", "test_assessment.py",
                 "test_model_judgements.py", "test_cli.py", "test_words.py")


def pytest_collection_modifyitems(config, items):
    rank = {name: number for number, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


from mlready import Settings, build_context
from mlready.sample import SAMPLE_DATA

FAST = Settings(explain_rows=60, explain_background_rows=20, latency_repeats=20, throughput_rows=500)


@pytest.fixture(scope="session")
def german() -> pd.DataFrame:
    return pd.read_csv(SAMPLE_DATA)


# Whole assessments are the suite's most expensive fixtures: each is made once per session and shared by every
# test that only reads it (assessments are frozen values).
@pytest.fixture(scope="session")
def sample_assessment():
    """The sample with its own model, as the app's sample path runs it (quick settings)."""
    import mlready
    from mlready.sample import SAMPLE_MODEL, SAMPLE_OPTIONS

    return mlready.assess(SAMPLE_DATA, model=str(SAMPLE_MODEL), settings=FAST, **SAMPLE_OPTIONS)


@pytest.fixture(scope="session")
def sample_reference_assessment():
    """The sample data with mlready's reference model and the sample's options (quick settings)."""
    import mlready
    from mlready.sample import SAMPLE_OPTIONS

    return mlready.assess(SAMPLE_DATA, settings=FAST, **SAMPLE_OPTIONS)


@pytest.fixture(scope="session")
def breast_cancer() -> pd.DataFrame:
    """A real, clean public table (569 rows, 30 numeric columns) bundled with scikit-learn."""
    bunch = load_breast_cancer(as_frame=True)
    frame = bunch.frame.copy()
    frame["diagnosis"] = np.where(frame.pop("target") == 0, "malignant", "benign")
    return frame


@pytest.fixture
def clean_frame() -> pd.DataFrame:
    """A synthetic table with a learnable signal and no planted problem."""
    rng = np.random.default_rng(0)
    n = 1200
    frame = pd.DataFrame({
        "income": rng.normal(50, 12, n).round(1),
        "tenure": rng.integers(0, 30, n),
        "region": rng.choice(["north", "south", "east", "west"], n),
        "score": rng.normal(0, 1, n),
    })
    logit = 0.08 * (frame["income"] - 50) + 0.6 * frame["score"] + (frame["region"] == "south") * 0.7
    frame["outcome"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame


@pytest.fixture
def quick_cli(monkeypatch):
    """`mlready assess` on the command line with the suite's quick sample sizes (FAST, the data profile in its quick
    mode): every option the command line sets (seed, targets, thresholds, threads) still applies; what the
    command-line tests check is the command line."""
    from dataclasses import replace

    import mlready.cli

    monkeypatch.setattr(mlready.cli, "Settings", lambda **options: replace(FAST, profile_full_max_cells=0, **options))


def context(frame: pd.DataFrame, target: str, **options):
    """A context with the quick settings unless others are given."""
    options.setdefault("settings", FAST)
    return build_context(frame, target, **options)


def noisy_table(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    """Six normal columns; 'label' ('up'/'down') from x0 + 0.5 x1 plus heavy noise: a model can overfit it."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(n, 6)), columns=[f"x{i}" for i in range(6)])
    signal = frame["x0"] + 0.5 * frame["x1"] + rng.normal(scale=1.5, size=n)
    frame["label"] = np.where(signal > 0, "up", "down")
    return frame


def codes(findings) -> set[str]:
    return {f.code for f in findings}
