"""False-alarm and detection rates of the generalization pillar's judgements, over many seeds.

Null cases have nothing to find (for calibration and weak segments, a model that predicts the TRUE probability, so
every finding is a false alarm); planted cases have a known problem, and the reported number is compared with the
planted one. Where the old rule can be computed on the same data, its rate is printed beside the new one. Then the
verdict of a few real tables. Run from the repository root:

    python scripts/judgement_rates_model.py [--seeds 20] [--no-tables]

Everything runs on one thread; it takes several minutes.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mlready import Settings, Thresholds, threads  # noqa: E402
from mlready.api import assess, build_context  # noqa: E402
from mlready.checks import generalization as gen  # noqa: E402
from mlready.checks.calibration import calibration_severity, calibration_test, expected_calibration_error  # noqa: E402
from mlready.checks.segments import search_weak_segments  # noqa: E402
from mlready.context import roc_auc  # noqa: E402

T = Thresholds()
QUICK = Settings(explain_rows=30, explain_background_rows=10, latency_repeats=10, throughput_rows=200)


def logistic(z):
    return 1 / (1 + np.exp(-z))


def rate(hits: int, runs: int) -> str:
    return f"{hits:>3}/{runs:<3} ({100 * hits / max(runs, 1):4.0f}%)"


def noisy(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(n, 6)), columns=[f"x{i}" for i in range(6)])
    frame["label"] = np.where(frame["x0"] + 0.5 * frame["x1"] + rng.normal(scale=1.5, size=n) > 0, "up", "down")
    return frame


# ----- held-out rows the model has seen ---------------------------------------------------------------------------
def held_out_seen(seeds: int) -> None:
    from sklearn.base import clone
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    print("\n== Held-out rows an uploaded model has seen (600 rows, no held-out file; 'seen' = model.overfitting "
          "variant held_out_seen) ==")
    kinds = {"unpruned tree": DecisionTreeClassifier(), "random forest": RandomForestClassifier(50),
             "boosted trees": HistGradientBoostingClassifier(max_iter=100), "logistic": LogisticRegression()}
    print(f"{'model':15} {'null: own split':>18} {'null: other rows':>18} {'planted: all rows':>18} "
          f"{'planted: other 80%':>18}   held-out score inflation when trained on all rows (old rule: graded on it)")
    for name, estimator in kinds.items():
        hits = {k: 0 for k in ("own", "other", "all", "split")}
        inflation = []
        for seed in range(seeds):
            np.random.seed(seed)  # the estimators' own randomness (random_state=None) follows the seed
            frame, other = noisy(600, seed), noisy(600, 10_000 + seed)
            base = build_context(frame, "label", settings=QUICK)
            x, y = frame.drop(columns="label"), frame["label"]
            shuffled = frame.sample(frac=1.0, random_state=seed + 1)
            models = {"own": clone(estimator).fit(base.X_train, base.y_train),
                      "other": clone(estimator).fit(other.drop(columns="label"), other["label"]),
                      "all": clone(estimator).fit(x, y),
                      "split": clone(estimator).fit(shuffled.drop(columns="label").head(480), shuffled["label"].head(480))}
            for key, model in models.items():
                ctx = build_context(frame, "label", model=model, settings=QUICK)
                hits[key] += ctx.held_out_seen
                if key == "all":
                    inflation.append(ctx.held_out_review.model_score - ctx.held_out_review.copy_score)
        print(f"{name:15} {rate(hits['own'], seeds):>18} {rate(hits['other'], seeds):>18} "
              f"{rate(hits['all'], seeds):>18} {rate(hits['split'], seeds):>18}   "
              f"{np.mean(inflation):+.3f} ROC AUC on average")


# ----- training vs held-out ------------------------------------------------------------------------------------------
def overfitting(seeds: int) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    print("\n== Training vs held-out (uploaded model trained on the training rows only) ==")
    rows = {"null: logistic, 300 rows": 0, "null: logistic, 3,000 rows": 0, "planted: unpruned tree, 1,500 rows": 0}
    old = dict.fromkeys(rows, 0)
    for seed in range(seeds):
        for label, n, estimator in (("null: logistic, 300 rows", 300, LogisticRegression()),
                                    ("null: logistic, 3,000 rows", 3000, LogisticRegression()),
                                    ("planted: unpruned tree, 1,500 rows", 1500, DecisionTreeClassifier(random_state=seed))):
            frame = noisy(n, 500 + seed)
            base = build_context(frame, "label", settings=QUICK)
            ctx = build_context(frame, "label", model=estimator.fit(base.X_train, base.y_train), settings=QUICK)
            result = gen.check_overfitting(ctx)
            severity = result.findings[0].severity.value if result.findings else None
            rows[label] += severity in (("warning", "critical") if label.startswith("null") else ("critical",))
            gap, relative = ctx.train_score - ctx.test_score, (ctx.train_score - ctx.test_score) / (ctx.train_score - 0.5)
            old_severity = ("critical" if gap >= 0.15 and relative >= 0.4 else
                            "warning" if gap >= 0.05 and relative >= 0.1 else None)
            old[label] += old_severity in (("warning", "critical") if label.startswith("null") else ("critical",))
    for label in rows:
        what = "warning or critical" if label.startswith("null") else "critical"
        print(f"{label:36} {what:20} new {rate(rows[label], seeds)}   old {rate(old[label], seeds)}")


# ----- stability ------------------------------------------------------------------------------------------------------
def stability(seeds: int) -> None:
    from sklearn.linear_model import LogisticRegression

    print("\n== Stability across folds (logistic regression, one real column; its folds are small, so the spread "
          "is mostly how few rows each fold is scored on) ==")
    for rows in (120, 400):
        new = old = warned = 0
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            frame = pd.DataFrame(rng.normal(size=(rows, 3)), columns=list("abc"))
            frame["label"] = np.where(rng.random(rows) < logistic(frame["a"]), "y", "n")
            base = build_context(frame, "label", settings=QUICK)
            ctx = build_context(frame, "label", model=LogisticRegression().fit(base.X_train, base.y_train),
                                settings=QUICK)
            cv = ctx.cross_validation()
            severity = gen.stability_severity(cv.std, cv.noise, T, len(cv.scores))
            new += severity is not None and severity.value == "critical"
            warned += severity is not None
            old += cv.std >= T.cv_std_critical
        print(f"{rows:>5} rows  critical: new {rate(new, seeds)}  old {rate(old, seeds)}   (warning or critical, new: "
              f"{rate(warned, seeds)})")


# ----- calibration --------------------------------------------------------------------------------------------------
def calibration(seeds: int) -> None:
    print("\n== Calibration (outcomes drawn from the stated chances = perfectly calibrated; planted: logit x3) ==")
    for rows in (200, 500, 2000):
        new = old = detected = 0
        excess, planted = [], []
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            logit = rng.normal(0, 1.5, rows)
            outcome = rng.random(rows) < logistic(logit)
            test = calibration_test(logistic(logit), outcome, 500, seed)
            new += calibration_severity(test, T) is not None
            old += test.ece >= T.ece_info
            stated = logistic(3 * logit)
            planted_test = calibration_test(stated, outcome, 500, seed)
            detected += calibration_severity(planted_test, T) is not None
            excess.append(planted_test.excess)
            planted.append(expected_calibration_error(stated, logistic(logit)))
        print(f"{rows:>5} rows  false alarms: new {rate(new, seeds)}  old (ECE >= 5 points) {rate(old, seeds)}   "
              f"planted detected {rate(detected, seeds)}; ECE beyond noise {np.mean(excess):.3f} "
              f"vs planted {np.mean(planted):.3f}")


# ----- weak segments -------------------------------------------------------------------------------------------------
def _segment_rows(rows, seed, flip=0.0, coin_flip=False):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"channel": rng.choice(["web", "branch", "phone"], rows),
                          "region": rng.choice(["north", "south", "east", "west"], rows),
                          "x": rng.normal(size=rows), "age": rng.integers(18, 80, rows)})
    chance = logistic(2.5 * frame["x"].to_numpy())
    if coin_flip:
        chance = np.where(frame["channel"] == "branch", 0.45 + 0.1 * rng.random(rows), chance)
    outcome = rng.random(rows) < chance
    outcome ^= (frame["channel"] == "phone").to_numpy() & (rng.random(rows) < flip)
    slices = {}
    for column in ("channel", "region"):
        for value in frame[column].unique():
            slices[((column, value),)] = (frame[column] == value).to_numpy()
    for column in ("x", "age"):
        edges = np.quantile(frame[column], [0, 0.25, 0.5, 0.75, 1])
        for low, high in zip(edges[:-1], edges[1:]):
            slices[((column, f"{low:.2f}-{high:.2f}"),)] = ((frame[column] >= low) & (frame[column] <= high)).to_numpy()
    said_yes = chance >= 0.5
    return slices, (said_yes != outcome).astype(float), np.where(said_yes, 1 - chance, chance), frame


def _old_segments(slices, errors) -> bool:
    """The previous rule: pairs from the 8 weakest singles, a one-sided z test vs the rest, Bonferroni over the
    slices tried, 10 points above the overall rate."""
    overall = errors.mean()
    singles = {k: m for k, m in slices.items() if m.sum() >= 30}
    ranked = sorted(singles, key=lambda k: -errors[singles[k]].mean())[:8]
    pairs = {a + b: singles[a] & singles[b] for a, b in combinations(ranked, 2) if a[0][0] != b[0][0]}
    candidates = {**singles, **{k: m for k, m in pairs.items() if m.sum() >= 30}}
    for mask in candidates.values():
        inside, outside = errors[mask], errors[~mask]
        if inside.mean() < overall + 0.10:
            continue
        se = np.sqrt(overall * (1 - overall) * (1 / len(inside) + 1 / len(outside)))
        if se and min(1.0, norm.sf((inside.mean() - outside.mean()) / se) * len(candidates)) < 0.05:
            return True
    return False


def segments(seeds: int) -> None:
    print("\n== Weak segments (true-chance model; planted: 40% of phone outcomes flipped, unknown to the model) ==")
    for label, rows, flip, coin in (("null", 300, 0.0, False), ("null", 600, 0.0, False),
                                    ("null, truth a coin flip in one slice", 600, 0.0, True),
                                    ("planted", 600, 0.4, False), ("planted", 1200, 0.4, False)):
        new = old = 0
        errors_found, errors_planted = [], []
        for seed in range(seeds):
            slices, errors, expected, frame = _segment_rows(rows, 1000 * rows + seed, flip, coin)
            weak = search_weak_segments(slices, errors, kind="error_rate", expected=expected, simulations=300,
                                        seed=seed).weak
            hit = any(s.key == (("channel", "phone"),) for s in weak) if flip else bool(weak)
            new += hit
            old += _old_segments(slices, errors)
            if flip and hit:
                phone = next(s for s in weak if s.key == (("channel", "phone"),))
                usual = expected[(frame["channel"] == "phone").to_numpy()].mean()
                errors_found.append(phone.error)
                errors_planted.append(usual + flip * (1 - 2 * usual))
        what = "phone found" if flip else "false alarms"
        extra = (f"; error reported {np.mean(errors_found):.3f} vs planted {np.mean(errors_planted):.3f}"
                 if errors_found else "")
        print(f"{label:38} {rows:>5} rows  {what}: new {rate(new, seeds)}  old {rate(old, seeds)}{extra}")


# ----- learning curve ---------------------------------------------------------------------------------------------------
def learning(seeds: int) -> None:
    from sklearn.datasets import make_classification

    from mlready.checks.learning import check_learning_curve

    print("\n== Learning curve (mlready's reference model) ==")
    for label, separation, informative, rows in (("null: 2 strong columns, 4,000 rows", None, 2, 4000),
                                                  ("planted: 12 weak columns, 1,000 rows", 0.6, 12, 1000)):
        said = 0
        predicted, actual = [], []
        for seed in range(seeds):
            if separation is None:
                rng = np.random.default_rng(seed)
                frame = pd.DataFrame(rng.normal(size=(rows + 2000, 4)), columns=list("abcd"))
                frame["label"] = np.where(rng.random(len(frame)) < logistic(1.5 * frame["a"] - frame["b"]), "y", "n")
            else:
                x, y = make_classification(n_samples=rows + 2000, n_features=20, n_informative=informative,
                                           n_redundant=0, class_sep=separation, random_state=seed)
                frame = pd.DataFrame(x, columns=[f"f{i}" for i in range(20)]).assign(label=np.where(y == 1, "y", "n"))
            extra, frame = frame.iloc[rows:], frame.iloc[:rows]
            ctx = build_context(frame, "label", settings=QUICK)
            result = check_learning_curve(ctx)
            said += bool(result.findings)
            gain = result.metrics.get("learning_gain_if_doubled", 0.0)
            more_x = pd.concat([ctx.X_train, extra.drop(columns="label").head(len(ctx.X_train))], ignore_index=True)
            more_y = pd.concat([ctx.y_train, extra["label"].head(len(ctx.X_train))], ignore_index=True)
            doubled = ctx.new_reference_model().fit(more_x, more_y)
            predicted.append(ctx.test_score + gain)
            actual.append(ctx.score(ctx.y_test, ctx.scores_for(doubled, ctx.X_test)))
        print(f"{label:38} 'more data would help': {rate(said, seeds)}; with twice the rows: predicted "
              f"{np.mean(predicted):.3f}, actual {np.mean(actual):.3f} (mean over seeds)")


# ----- spread of the held-out score --------------------------------------------------------------------------------------
class _TrueChance:
    def __init__(self):
        self.classes_ = np.asarray(["n", "y"], dtype=object)

    def predict_proba(self, x):
        p = logistic(1.2 * x["a"].to_numpy())
        return np.column_stack([1 - p, p])

    def predict(self, x):
        return self.classes_[(logistic(1.2 * x["a"].to_numpy()) >= 0.5).astype(int)]


def spread(seeds: int) -> None:
    print("\n== Spread of the held-out score for a model that cannot be retrained (resampled held-out rows) ==")
    for rows in (200, 1000):
        ratios = []
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            frame = pd.DataFrame({"a": rng.normal(size=5 * rows)})
            frame["label"] = np.where(rng.random(len(frame)) < logistic(1.2 * frame["a"]), "y", "n")
            ctx = build_context(frame, "label", model=_TrueChance(), settings=QUICK)
            fresh = []
            for _ in range(200):
                z = rng.normal(size=len(ctx.y_test))
                fresh.append(roc_auc(rng.random(len(z)) < logistic(1.2 * z), logistic(1.2 * z)))
            ratios.append(np.std(ctx.test_score_resamples) / np.std(fresh))
        print(f"{rows:>5} held-out rows: resampled spread / real sampling spread = {np.mean(ratios):.2f} "
              f"(range {min(ratios):.2f}-{max(ratios):.2f})")


# ----- real tables ----------------------------------------------------------------------------------------------------------
def real_tables() -> None:
    from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine

    from mlready.sample import SAMPLE_DATA, SAMPLE_MODEL

    print("\n== Real tables (seed 0) ==")
    german = pd.read_csv(SAMPLE_DATA)
    cancer = load_breast_cancer(as_frame=True).frame
    cancer["diagnosis"] = np.where(cancer.pop("target") == 0, "malignant", "benign")
    wine = load_wine(as_frame=True).frame
    wine["target"] = wine["target"].map({0: "barolo", 1: "grignolino", 2: "barbera"})
    tables = [("german credit + its model", german, "creditability", {"model": SAMPLE_MODEL}),
              ("german credit", german, "creditability", {}),
              ("breast cancer", cancer, "diagnosis", {}), ("wine", wine, "target", {}),
              ("diabetes", load_diabetes(as_frame=True).frame, "target", {})]
    try:
        import palmerpenguins

        tables.append(("penguins", palmerpenguins.load_penguins(), "species", {}))
    except ImportError:
        pass
    for name, frame, target, options in tables:
        start = time.time()
        a = assess(frame, target, settings=Settings(seed=0), **options)
        found = [f"{f.severity.value} {f.code}" for f in a.findings if f.pillar == "generalization"]
        print(f"{name:26} {a.verdict:19} {a.score:>3}  generalization {a.pillar_scores['generalization']:>3}: "
              f"{', '.join(found) or 'nothing'}  ({time.time() - start:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--no-tables", action="store_true")
    parser.add_argument("--only", nargs="*", default=(), help="run only these parts (e.g. stability held_out_seen real_tables)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    start = time.time()
    with threads.limited("small"):
        parts = (calibration, segments, spread, stability, overfitting, held_out_seen, learning)
        for part in parts:
            if not args.only or part.__name__ in args.only:
                part(args.seeds)
        if not args.no_tables and (not args.only or "real_tables" in args.only):
            real_tables()
    print(f"\n{args.seeds} seeds per rate; {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
