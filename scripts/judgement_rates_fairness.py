"""False-alarm and detection rates of the fairness and explanation judgements, over many seeds.

Each scenario plants a known truth (nothing, a gap the data really has, a gap only the model makes, a column with no
effect, a column with a real effect) and counts how often each check speaks up, and how loudly. Null scenarios
report the false-alarm rate (a warning or worse where nothing was planted; the stated level is 5% per check and
column), planted scenarios the detection rate and the reported number next to the planted one.

Run from the repository root: `python scripts/judgement_rates_fairness.py [--seeds 30] [--quick]`
(the scenarios with real model fits take a few minutes on a busy 2-core machine; --quick runs only the
statistic-level scenarios).
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlready import Settings, build_context, threads  # noqa: E402
from mlready.checks.fairness import Outcome, check_group_gaps, judge_classification, judge_regression  # noqa: E402
from mlready.checks.interpretability import check_explanation_stability, check_global_importance  # noqa: E402
from mlready.config import Thresholds  # noqa: E402

T = Thresholds()
FAST = Settings(explain_rows=60, explain_background_rows=20, latency_repeats=20, throughput_rows=500)
FAVOURABLE = Outcome(label="1", favourable=True, words="1", other="0")
UNKNOWN = Outcome(label="1", favourable=False, words="1", other="0")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def decisions(rng, n: int, groups: np.ndarray, data_shift: dict | None = None, model_shift: dict | None = None,
              refuse_deserving: dict | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Truth, a model's decisions and its chances of the favourable outcome '1' for n people.

    The model sees each person's x with noise and never the group. `data_shift` moves a group's real x (a gap
    the data has), `model_shift` lowers only the model's scores for a group (a gap the model makes), and
    `refuse_deserving` turns down that share of a group's deserving people without touching the chances."""
    x = rng.normal(size=n) + np.array([(data_shift or {}).get(g, 0.0) for g in groups])
    truth = (rng.random(n) < sigmoid(1.5 * x)).astype(int)
    seen = x + rng.normal(scale=0.5, size=n)
    chances = sigmoid(1.3 * seen + np.array([(model_shift or {}).get(g, 0.0) for g in groups]))
    predicted = (chances > 0.5).astype(int)
    for group, share in (refuse_deserving or {}).items():
        hit = (groups == group) & (truth == 1) & (rng.random(n) < share)
        predicted[hit] = 0
    return truth.astype(str), predicted.astype(str), chances


def severities(findings, code: str) -> str:
    found = [f.severity.value for f in findings if f.code == code]
    return "critical" if "critical" in found else "warning" if "warning" in found else "none"


class Tally:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, scenario: str, check: str, planted: str, outcomes: list[str], numbers: list[float] | None = None,
            truth: float | None = None) -> None:
        counts = pd.Series(outcomes).value_counts()
        row = {"scenario": scenario, "check": check, "planted": planted, "seeds": len(outcomes),
               "warning+": f"{(counts.get('warning', 0) + counts.get('critical', 0)) / len(outcomes):.0%}",
               "critical": f"{counts.get('critical', 0) / len(outcomes):.0%}"}
        if numbers:
            row["reported (median)"] = f"{np.median(numbers):.2f}"
            row["planted value"] = "" if truth is None else f"{truth:.2f}"
        self.rows.append(row)

    def show(self) -> None:
        with pd.option_context("display.width", 200, "display.max_colwidth", 60):
            print(pd.DataFrame(self.rows).fillna("").to_string(index=False))


def statistic_scenarios(seeds: int, tally: Tally) -> None:
    """The fairness statistic called directly on simulated decisions (no model fit)."""
    runs = {
        "null: 2 groups, group-blind model, 500 rows": dict(k=2, n=500),
        "null: 10 random groups, 400 rows": dict(k=10, n=400),
        "null: 4 groups of ~40 rows": dict(k=4, n=160),
    }
    for name, spec in runs.items():
        outcome_codes, error_codes, unknown_codes = [], [], []
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            groups = rng.choice([f"g{i}" for i in range(spec["k"])], spec["n"])
            truth, predicted, chances = decisions(rng, spec["n"], groups)
            _, found, _ = judge_classification("group", groups, truth, predicted, FAVOURABLE, T, chances)
            outcome_codes.append(severities(found, "fairness.outcome_gap"))
            error_codes.append(severities(found, "fairness.performance_gap"))
            _, found, _ = judge_classification("group", groups, truth, predicted, UNKNOWN, T, chances)
            unknown_codes.append(severities(found, "fairness.outcome_gap"))
        tally.add(name, "outcome gap", "nothing", outcome_codes)
        tally.add(name, "performance gap", "nothing", error_codes)
        tally.add(name, "outcome gap (favourable not said)", "nothing", unknown_codes)

    # a real gap in the data, mirrored by a group-blind model: a warning that asks for judgement, never critical
    codes, errors, ratios, observed = [], [], [], []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        groups = rng.choice(["older", "younger"], 600)
        truth, predicted, chances = decisions(rng, 600, groups, data_shift={"younger": -0.9})
        _, found, _ = judge_classification("age", groups, truth, predicted, FAVOURABLE, T, chances)
        codes.append(severities(found, "fairness.outcome_gap"))
        errors.append(severities(found, "fairness.performance_gap"))
        gap = next((f for f in found if f.code == "fairness.outcome_gap"), None)
        if gap is not None:
            ratios.append(gap.evidence["outcome_ratio"])
            observed.append(gap.evidence["observed_ratio"])
    tally.add("data gap mirrored (younger really fare worse), 600 rows", "outcome gap", "data gap", codes, ratios,
              float(np.median(observed)) if observed else None)
    tally.add("data gap mirrored (younger really fare worse), 600 rows", "performance gap", "data gap", errors)

    # a gap only the model makes (it under-scores group b; truth equal in both groups)
    codes, errors, ratios, planted = [], [], [], []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        groups = rng.choice(["a", "b"], 600)
        truth, predicted, chances = decisions(rng, 600, groups, model_shift={"b": -2.0})
        _, found, _ = judge_classification("group", groups, truth, predicted, FAVOURABLE, T, chances)
        codes.append(severities(found, "fairness.outcome_gap"))
        errors.append(severities(found, "fairness.performance_gap"))
        gap = next((f for f in found if f.code == "fairness.outcome_gap"), None)
        if gap is not None:
            ratios.append(gap.evidence["outcome_ratio"])
        rates = pd.Series(predicted == "1").groupby(groups).mean()
        planted.append(rates["b"] / rates["a"])
    tally.add("model-made gap (b under-scored), 600 rows", "outcome gap", "widening", codes, ratios,
              float(np.median(planted)))
    tally.add("model-made gap (b under-scored), 600 rows", "performance gap", "widening", errors)

    # deserving people of one group turned down 35% more often, by decisions alone (the chances are unchanged)
    codes, gaps = [], []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        groups = rng.choice(["a", "b"], 800)
        truth, predicted, chances = decisions(rng, 800, groups, refuse_deserving={"b": 0.35})
        _, found, _ = judge_classification("group", groups, truth, predicted, FAVOURABLE, T, chances)
        codes.append(severities(found, "fairness.performance_gap"))
        gap = next((f for f in found if f.code == "fairness.performance_gap"), None)
        if gap is not None and "equal_opportunity_gap" in gap.evidence:
            gaps.append(gap.evidence["equal_opportunity_gap"])
    tally.add("deserving turned down more in b (decisions only), 800 rows", "performance gap", "equal opportunity",
              codes, gaps, 0.35 * 0.8)  # 35% of the deserving the model would have accepted (about 80%)

    # regression: no gap; then one group's errors three times as large
    codes, big, ratios = [], [], []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        groups = rng.choice(["north", "south", "east"], 450)
        truth = rng.normal(size=450)
        predicted = truth + rng.normal(scale=0.5, size=450)
        _, found, _ = judge_regression("region", groups, truth, predicted, "price", T)
        codes.append(max(severities(found, "fairness.performance_gap"), severities(found, "fairness.outcome_gap"),
                         key=["none", "warning", "critical"].index))
        noisy = truth + rng.normal(scale=np.where(groups == "south", 1.5, 0.5), size=450)
        _, found, _ = judge_regression("region", groups, truth, noisy, "price", T)
        big.append(severities(found, "fairness.performance_gap"))
        gap = next((f for f in found if f.code == "fairness.performance_gap"), None)
        if gap is not None:
            ratios.append(gap.evidence["error_ratio"])
    tally.add("regression, 3 groups, 450 rows", "performance/outcome gap", "nothing", codes)
    tally.add("regression, errors 3x in one group", "performance gap", "error ratio 3", big, ratios, 3.0)


def _people(seed: int, n: int, sensitive_effect: float = 0.0, groups: int = 2) -> pd.DataFrame:
    """Three real columns and a sensitive one ('sex', or ten random groups); being 'f' raises the log-odds of
    'refused' by `sensitive_effect`."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"debt": rng.normal(size=n), "savings": rng.normal(size=n), "income": rng.normal(size=n)})
    names = ["f", "m"] if groups == 2 else [f"g{i}" for i in range(groups)]
    frame["sex" if groups == 2 else "group"] = rng.choice(names, n)
    logit = 1.2 * frame["debt"] - 1.0 * frame["savings"] + 0.5 * frame["income"]
    if groups == 2:
        logit = logit + sensitive_effect * (frame["sex"] == "f")
    frame["decision"] = np.where(rng.random(n) < sigmoid(logit), "refused", "approved")
    return frame


def _logistic(frame: pd.DataFrame):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    prepare = ColumnTransformer([("cat", OneHotEncoder(), ["sex"]),
                                 ("num", StandardScaler(), ["debt", "savings", "income"])])
    return Pipeline([("prepare", prepare), ("model", LogisticRegression())]).fit(frame.drop(columns="decision"),
                                                                               frame["decision"])


def _sex_entry(frame: pd.DataFrame, kind: str, positive: str) -> dict:
    if kind == "reference":
        ctx = build_context(frame, "decision", positive_class=positive, settings=FAST)
    else:
        cut = int(len(frame) * 0.8)
        ctx = build_context(frame.iloc[:cut], "decision", positive_class=positive, settings=FAST,
                            model=_logistic(frame.iloc[:cut]), test=frame.iloc[cut:])
    with threads.limited("small"):
        return next(e for e in check_global_importance(ctx).data["global"] if e["feature"] == "sex")


def model_scenarios(seeds: int, tally: Tally) -> None:
    """Real fits: mlready's reference model (which never reads sensitive columns), an uploaded logistic regression
    that reads 'sex', and their explanations."""
    for groups, name in ((2, "sex"), (10, "group")):
        codes = []
        for seed in range(seeds):
            frame = _people(seed, 1500, groups=groups)
            ctx = build_context(frame, "decision", sensitive=[name], settings=FAST)
            with threads.limited("small"):
                found = check_group_gaps(ctx).findings
            codes.append(max(severities(found, "fairness.outcome_gap"), severities(found, "fairness.performance_gap"),
                             key=["none", "warning", "critical"].index))
        tally.add(f"reference model, random '{name}' ({groups} groups), 300 held-out rows", "any fairness gap",
                  "nothing", codes)

    for kind, rows in (("reference", 800), ("uploaded logistic", 600)):
        stated, share_alone = [], []
        for seed in range(seeds):
            entry = _sex_entry(_people(seed, rows), kind, "approved")
            stated.append("warning" if entry["effect"] == "clear" else "none")
            share_alone.append("warning" if entry["share"] >= T.influence_share_min else "none")
        tally.add(f"random 'sex', {kind} model, {rows} rows", "direction stated for 'sex'", "nothing", stated)
        tally.add(f"random 'sex', {kind} model, {rows} rows", "(share alone would state it)", "nothing", share_alone)
        right = []
        for seed in range(seeds):
            entry = _sex_entry(_people(seed, rows, sensitive_effect=1.0), kind, "refused")
            ok = entry["effect"] == "clear" and (("'f'" in entry["sentence"] and entry["direction"] == "raises")
                                                  or ("'m'" in entry["sentence"] and entry["direction"] == "lowers"))
            right.append("warning" if ok else "none")
        tally.add(f"'sex' raises 'refused' by 1 log-odds, {kind} model, {rows} rows", "right direction stated",
                  "effect", right)

    steady, noisy = [], []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        frame = pd.DataFrame(rng.normal(size=(1200, 15)), columns=[f"c{i}" for i in range(15)])
        frame["y"] = np.where(rng.random(1200) < sigmoid(1.5 * frame.c0 - 1.2 * frame.c1 + frame.c2), "yes", "no")
        noise = pd.DataFrame(rng.normal(size=(1200, 25)), columns=[f"n{i}" for i in range(25)])
        noise["y"] = rng.choice(["a", "b"], 1200)
        with threads.limited("small"):
            steady.append(severities(check_explanation_stability(build_context(frame, "y", settings=FAST)).findings,
                                     "explain.unstable_explanations"))
            noisy.append(severities(check_explanation_stability(build_context(noise, "y", settings=FAST)).findings,
                                    "explain.unstable_explanations"))
    tally.add("3 real columns + 12 noise, 1200 rows", "unstable explanations", "nothing", steady)
    tally.add("pure noise, 25 columns, 1200 rows", "unstable explanations", "no real driver", noisy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="only the statistic-level scenarios")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    started = time.time()
    tally = Tally()
    statistic_scenarios(args.seeds, tally)
    if not args.quick:
        model_scenarios(args.seeds, tally)
    tally.show()
    print(f"\nseeds 0..{args.seeds - 1}; 'warning+' is a warning or a critical; {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
