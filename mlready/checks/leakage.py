"""Leakage: columns that give the answer away, and held-out rows the model already saw.

A column's power alone is measured the same way for every column type (`single_column_scores`): its values become
levels learned on the training rows (quantile bins for numbers, labels for categories, empty cells as a level of
their own), each level its smoothed outcome rate on the training rows (`mlready.encoding`), scored on the held-out
rows. A column is then judged against the other columns and against the model, not against a fixed bar
(`judge_column`): is it far ahead of the next best column, would the model lose most of its edge without it
(drop-column retrain, for the top two suspects only), does it carry most of the explanations?
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .. import narrative, stats
from ..encoding import bin_columns, outcome_matrix, rate_encode
from ..findings import Finding, Severity
from ..narrative.data_quality import OVERLAP_MOSTLY, OVERLAP_UNMEASURED, overlap_effect
from ..suggest import words
from . import CheckResult

PILLAR = "data_quality"
# Words in a column name that suggest it is recorded after the outcome is known.
AFTER_OUTCOME_WORDS = {"outcome", "result", "paid", "repaid", "repayment", "closed", "churned", "cancelled",
                       "canceled", "chargeoff", "collection", "collections", "recovery", "recovered", "settled",
                       "writeoff", "refund", "refunded", "returned", "final", "overdue", "delinquent", "arrears",
                       "late", "default", "defaulted", "diagnosis", "discharge", "survived"}
SUSPECTS_RETRAINED = 2     # drop-column retrains at most for this many columns
BOOTSTRAP_ROUNDS = 200
MIN_UNSEEN_ROWS = 30       # held-out rows not found in training needed to measure what copies do to the score
MIN_SEEN_ROWS = 10
OVERLAP_WARNING_EXCESS = 0.05  # copies beyond chance, as a share of the held-out rows, that make a split suspect
OVERLAP_MOSTLY_EXCESS = 0.5    # ... that leave the held-out rows mostly copies: every held-out score is a memory test


def single_column_metric(ctx) -> str:
    """The scale single-column scores are on."""
    if ctx.task == "regression":
        return "R²"
    return "ROC AUC" if len(ctx.classes) == 2 else "balanced accuracy"


def score_to_edge(score_on_auc_scale: float) -> float:
    """A threshold given on the ROC AUC scale as a share of the way from chance to perfect."""
    return float(stats.edge(score_on_auc_scale, 0.5))


@dataclass(frozen=True)
class ColumnScores:
    """Each scored column alone, on held-out rows.

    `scores[j]` is column j's score on the task's metric, `edges[j]` the same as a share of the way from chance to
    perfect; `predictions` (held-out rows, columns, k) is what each column alone predicts for each held-out row
    (outcome rates, or the predicted value), `truth` (held-out rows, k) the held-out outcomes in the same form.
    """

    columns: list[str]
    scores: np.ndarray
    edges: np.ndarray
    predictions: np.ndarray
    truth: np.ndarray
    prior: np.ndarray
    chance: float
    task: str
    training_rows: int
    held_out_rows: int

    def ranked(self) -> list[int]:
        """Column positions, strongest first."""
        return list(np.argsort(-np.nan_to_num(self.edges, nan=-1.0), kind="stable"))

    def as_dict(self) -> dict[str, float]:
        order = self.ranked()
        return {self.columns[j]: float(np.nan_to_num(self.scores[j], nan=self.chance)) for j in order}


def _linear_predictions(train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame) -> np.ndarray:
    """Regression: each number column alone in a straight-line fit on the training rows (empty cells at the
    column's training mean), predicted for the test rows. Shape (test rows, columns)."""
    x = train.to_numpy(float)
    means = np.nanmean(np.where(np.isnan(x), np.nan, x), axis=0)
    means = np.nan_to_num(means)
    x = np.where(np.isnan(x), means, x)
    xt = np.where(np.isnan(test.to_numpy(float)), means, test.to_numpy(float))
    centred = x - x.mean(axis=0)
    variance = (centred ** 2).sum(axis=0)
    slope = np.divide(centred.T @ (y - y.mean()), variance, out=np.zeros(x.shape[1]), where=variance > 0)
    return y.mean() + (xt - x.mean(axis=0)) * slope


def column_scores(train: pd.DataFrame, y_train: pd.Series, test: pd.DataFrame, y_test: pd.Series, task: str,
                  classes: list, positive=None) -> ColumnScores:
    """How well each column of `train` alone predicts the outcome, learned on (`train`, `y_train`) and scored on
    (`test`, `y_test`): ROC AUC for two classes (`positive` is the class of interest), balanced accuracy for
    several, R² for regression (for number columns, the better of the level means and a straight line)."""
    levels = bin_columns(train, test)
    positive = positive if task == "classification" and len(classes) == 2 else None
    outcomes = outcome_matrix(y_train, task, classes, positive)
    truth = outcome_matrix(y_test, task, classes, positive)
    predictions = rate_encode(levels.train, levels.counts, outcomes, levels.others[0])
    prior = outcomes.mean(axis=0)
    scores = stats.score_rates(task, truth, predictions, prior)
    if task == "regression" and levels.numeric.any():
        numeric = np.flatnonzero(levels.numeric)
        names = [levels.columns[j] for j in numeric]
        line = _linear_predictions(train[names], outcomes[:, 0], test[names])
        line_scores = stats.r2_columns(truth[:, 0], line)
        better = line_scores > np.nan_to_num(scores[numeric], nan=-np.inf)
        predictions[:, numeric[better], 0] = line[:, better]
        scores[numeric[better]] = line_scores[better]
    chance = stats.chance_level(task, len(classes))
    return ColumnScores(list(train.columns), scores, stats.edge(np.nan_to_num(scores, nan=chance), chance),
                        predictions, truth, prior, chance, task, len(train), len(test))


def scored_columns(ctx) -> list[str]:
    """The columns whose power alone is measured: every input column but identifiers (unique per row, nothing to
    learn from them; reported by their own check)."""
    return [c for c in ctx.features if ctx.column_types.get(c) != "identifier"]


def single_column_scores(ctx) -> ColumnScores:
    """Each input column alone: levels and outcome rates learned on the sampled training rows, scored on the
    held-out rows (sampled like the training rows when there are more). Computed once per assessment."""
    def compute() -> ColumnScores:
        columns = scored_columns(ctx)
        train = ctx.training_rows
        held_out = ctx.sample_rows(ctx.X_test.assign(__y=ctx.y_test.to_numpy()), ctx.settings.max_rows_checks)
        if held_out_lacks_outcomes(ctx, held_out["__y"]):
            train, held_out = _set_aside(ctx, train)
        return column_scores(train[columns], train["__y"], held_out[columns], held_out["__y"], ctx.task,
                             ctx.classes, ctx.positive_class)

    return ctx.shared("leakage/single column scores", compute)


def held_out_lacks_outcomes(ctx, y_held_out: pd.Series) -> bool:
    """True when a classification's held-out rows hold fewer than two outcomes, so no column can be scored on them."""
    return ctx.task == "classification" and pd.Series(y_held_out).nunique() < 2


def _set_aside(ctx, train: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A quarter of the training rows set aside (stratified by outcome, reproducible for the seed) to score the
    columns on, when the held-out rows cannot be used: a leak must not go unseen because the test file is odd."""
    from sklearn.model_selection import train_test_split

    y = train["__y"]
    stratify = y if y.value_counts().min() >= 2 else None
    learn, aside = train_test_split(train, test_size=0.25, random_state=ctx.settings.seed, stratify=stratify)
    return learn, aside


def single_column_score(ctx, column: str) -> float:
    """How well one column alone predicts the target on held-out rows (see `single_column_scores`)."""
    scores = single_column_scores(ctx)
    return float(scores.scores[scores.columns.index(column)])


# ----- judging a column against the others and the model ---------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """Why a column is (or is not) a leak suspect: each measured signal, and the resulting severity (None: quiet)."""

    column: str
    score: float
    edge: float
    reference: str | None       # the next best column it is compared with
    reference_score: float | None
    reference_edge: float
    far_ahead: bool
    near_perfect: bool
    enough_rows: bool
    model_edge_lost: float | None    # share of the model's edge over chance lost without the column
    model_score_without: float | None
    explanation_share: float | None
    name_word: str | None
    severity: Severity | None
    variant: str | None
    twins: tuple[str, ...] = ()  # columns about as strong alone, judged with it as a group


def lead_is_clear(scores: ColumnScores, j: int, k: int, t, seed: int) -> bool:
    """Column j is far ahead of column k: it leaves at most `leakage_lead_ratio` of k's distance to perfect, is at
    least `leakage_lead_min` further from chance, and stays ahead on at least 95% of resampled held-out rows."""
    ej, ek = float(scores.edges[j]), float(scores.edges[k])
    if ej - ek < t.leakage_lead_min or (1 - ej) > t.leakage_lead_ratio * (1 - ek):
        return False
    both = scores.predictions[:, [j, k], :]
    resampled = stats.edge(stats.bootstrap_scores(scores.task, scores.truth, both, BOOTSTRAP_ROUNDS, seed,
                                                  scores.prior), scores.chance)
    return bool(np.quantile(resampled[:, 0] - resampled[:, 1], 0.05) > 0)


def rarest_held_out_rows(scores: ColumnScores) -> int:
    """Held-out rows in the rarest outcome (all held-out rows for regression)."""
    if scores.task == "regression":
        return scores.held_out_rows
    counts = scores.truth.sum(axis=0) if scores.truth.shape[1] > 1 else np.array(
        [scores.truth[:, 0].sum(), len(scores.truth) - scores.truth[:, 0].sum()])
    return int(counts.min())


MAX_TWINS = 3               # more near-equal strong columns than this is strength spread out, not a leak


def twins(scores: ColumnScores, j: int, t) -> list[int]:
    """Strong columns about as strong alone as column j (within `leakage_lead_min` of its edge): copies of one
    leak hide each other (each is 'not far ahead' of its twin, and the model loses little without either one), so
    they are judged as a group."""
    e, strong = float(scores.edges[j]), score_to_edge(t.leakage_score_info)
    return [k for k in scores.ranked() if k != j and scores.edges[k] >= strong
            and abs(float(scores.edges[k]) - e) < t.leakage_lead_min]


def judge_column(scores: ColumnScores, j: int, t, *, model_edge_lost: float | None = None,
                 model_score_without: float | None = None, explanation_share: float | None = None,
                 name_word: str | None = None, seed: int = 0, model_edge: float | None = None) -> Verdict:
    """The severity of column j as a leak suspect, from its power alone compared with the next best column, the
    model's loss without it (`model_edge_lost`, 0-1) and its share of the explanations (0-1).

    Columns about as strong as j (`twins`, at most `MAX_TWINS - 1`) are left out of the comparison: a leak copied
    into two columns must not hide behind its copy (pass the group's loss and share for them).

    Critical: near-perfect alone (with enough held-out rows to be sure), and far ahead of every column that is not
    near-perfect or doing almost all of the model's work; or far ahead, doing almost all of the model's work, and
    either named like an after-the-fact record or making the model itself near-perfect (`model_edge`, 0-1): a
    strong real predictor that simply dominates a table of weak ones (a credit balance predicting default at 0.95)
    is a warning to check when it is recorded, never a block on its own.
    Warning: strong alone and two of (far ahead, the model loses most of its edge without it, it carries most of
    the explanations; the last not when a copy retrained without it keeps three quarters of the model's edge or
    more and it is not near-perfect alone: other columns stand in for it); near-perfect on too few held-out rows;
    named like an after-the-fact record and fairly strong alone (the name is a hint that raises concern, never the
    only route). Otherwise quiet.
    """
    e = float(scores.edges[j])
    near_line, strong_line = score_to_edge(t.leakage_score_critical), score_to_edge(t.leakage_score_info)
    near_perfect = e >= near_line
    group = twins(scores, j, t)
    spread = len(group) > MAX_TWINS - 1  # many near-equal strong columns: strength spread out
    others = [k for k in scores.ranked() if k != j and scores.edges[k] <= e
              and not (near_perfect and scores.edges[k] >= near_line) and (spread or k not in group)]
    k = others[0] if others else None
    far = k is not None and lead_is_clear(scores, j, k, t, seed)
    # a copy retrained without the column that keeps most of the model's edge shows that other columns stand in
    # for it: then its large share of the explanations is credit shared out among stand-ins (SHAP gives it to one
    # of several correlated columns, as a flower's petal length over its petal width), not the model resting on it.
    # Not for a column near-perfect alone: a copy of the outcome that the model reads instead of everything else is
    # a leak even in a table whose other columns predict it well (a treatment given after a diagnosis)
    stood_in = model_edge_lost is not None and model_edge_lost < t.leakage_work_share / 2 and e < near_line
    shown = (model_edge_lost, None if stood_in else explanation_share)
    leans = [v is not None and v >= t.leakage_work_share for v in shown]
    overwhelming = any(v is not None and v >= t.leakage_work_overwhelming for v in shown)
    signals = int(far) + sum(leans)
    enough = rarest_held_out_rows(scores) >= t.leakage_min_rows
    severity, variant = None, None
    if near_perfect and (far or overwhelming):
        severity, variant = (Severity.CRITICAL, None) if enough else (Severity.WARNING, "thin")
    elif far and overwhelming and (name_word or (model_edge is not None and model_edge >= near_line)):
        severity, variant = Severity.CRITICAL, None
    elif far and overwhelming:
        severity, variant = Severity.WARNING, "suspect"
    elif e >= strong_line and signals >= 2:
        severity, variant = Severity.WARNING, "suspect"
    elif name_word and e >= score_to_edge(t.leakage_name_score):
        severity, variant = Severity.WARNING, "after_outcome"
    if severity is not None and name_word and variant in ("suspect", None):
        variant = "after_outcome" if severity is Severity.WARNING else "after_outcome_critical"
    return Verdict(scores.columns[j], float(scores.scores[j]), e, None if k is None else scores.columns[k],
                   None if k is None else float(scores.scores[k]), 0.0 if k is None else float(scores.edges[k]),
                   far, near_perfect, enough, model_edge_lost, model_score_without, explanation_share, name_word,
                   severity, variant, () if spread else tuple(scores.columns[k] for k in group))


def _shuffled(frame: pd.DataFrame, column: str, seed: int) -> pd.DataFrame:
    out = frame.copy()
    out[column] = np.random.default_rng(seed).permutation(out[column].to_numpy())
    return out


def model_without(ctx, column: str | list[str]) -> tuple[float, float] | None:
    """(held-out score with, without `column`): copies of the model retrained on the sampled training rows, one with
    the column as it is and one with its values shuffled (so it carries nothing, whatever the model's input
    format); None when the model cannot be retrained here. A list of columns is shuffled together (each on its own
    order, so no copy survives in another)."""
    pair = predictions_without(ctx, column)
    return None if pair is None else (ctx.score(ctx.y_test, pair[0]), ctx.score(ctx.y_test, pair[1]))


def predictions_without(ctx, column: str | list[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """The held-out scores (as `ctx.scores_for` gives) behind `model_without`: with every column, and with `column`
    shuffled; computed once per column (or group) and shared. None when the model cannot be retrained here."""
    columns = [column] if isinstance(column, str) else list(column)
    return ctx.shared(f"leakage/predictions without {columns!r}", lambda: _predictions_without(ctx, columns))


def _predictions_without(ctx, columns: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
    train = ctx.training_rows
    X, y = train.drop(columns="__y"), train["__y"]
    seed = ctx.settings.seed
    if ctx.model_source == "reference" and len(train) == len(ctx.X_train):
        base = np.asarray(ctx.test_scores)                       # the same fit as the model itself
    else:
        base = ctx.copy_scores()  # the same copy on the same rows: retrained once per assessment
    if base is None:
        return None
    try:
        X_without, test_without = X, ctx.X_test
        for i, name in enumerate(columns):
            X_without = _shuffled(X_without, name, seed + 2 * i)
            test_without = _shuffled(test_without, name, seed + 2 * i + 1)
        model = ctx.refit_clone(X_without, y)
        return np.asarray(base), np.asarray(ctx.scores_for(model, test_without))
    except Exception:  # noqa: BLE001
        return None


NEAR_PERFECT_CANDIDATES = 3     # most influential columns retrained without when the model is near-perfect
NEAR_PERFECT_MIN_SHARE = 0.10   # ... each carrying at least this share of the explanations
NEAR_PERFECT_MIN_LOSS = 0.04    # ... and the loss (share of the way from chance: 0.02 of ROC AUC) beyond doubt
# held-out rows of the rarest outcome (classification) or in all (regression) needed before a near-perfect score is
# taken as too good to be true: small curated tables (flowers, penguins, wines) are often separable on a few dozen
# rows, and one column (a penguin's bill length) is all that tells two kinds apart; that is not a leak
NEAR_PERFECT_MIN_CLASS_ROWS = 100
NEAR_PERFECT_MIN_ROWS = 500


def near_perfect_carriers(ctx, shares: dict[str, float] | None, skip: set[str]) -> list[dict]:
    # `shares`: the explanation shares when already computed (None: computed here, only for a near-perfect model)
    """When the assessed model is near-perfect on the held-out rows (`leakage_near_perfect`), its most influential
    columns that no other rule has flagged, each dropped from a retrained copy: those without which the copy's
    distance to perfect grows `leakage_error_growth` times, with a loss of at least NEAR_PERFECT_MIN_LOSS on 95% of
    resampled held-out rows.

    A column can give the answer away together with another without being strong alone (a recorded arrival time
    next to the scheduled one gives the delay exactly). Near-perfect predictions of a real-world outcome are rare;
    when they rest on one column that the others cannot stand in for, that column is the one to ask about. In a table
    full of strong columns (a tumour's measurements), the others stand in and nothing is flagged."""
    t = ctx.settings.thresholds
    counts = ctx.held_out_class_counts
    if (min(counts.values()) < NEAR_PERFECT_MIN_CLASS_ROWS if counts else len(ctx.y_test) < NEAR_PERFECT_MIN_ROWS):
        return []
    chance = ctx.metric.chance
    if not float(stats.edge(ctx.test_score, chance)) >= t.leakage_near_perfect:  # the assessed model itself
        return []
    shares = shares if shares is not None else _explanation_shares(ctx)  # explained only when near-perfect
    if not shares:
        return []
    candidates = [c for c, share in sorted(shares.items(), key=lambda kv: -kv[1])
                  if share >= NEAR_PERFECT_MIN_SHARE and c not in skip and c in ctx.X_train.columns]
    found = []
    for column in candidates[:NEAR_PERFECT_CANDIDATES]:
        pair = predictions_without(ctx, column)
        if pair is None:
            return found
        with_scores, without_scores = pair
        base = float(stats.edge(ctx.score(ctx.y_test, with_scores), chance))  # the copy the column is dropped from
        without = float(stats.edge(ctx.score(ctx.y_test, without_scores), chance))
        growth = (1 - without) / max(1 - base, 1e-9)
        resampled = stats.edge(ctx.bootstrap_scores(with_scores, without_scores), chance)
        if not len(resampled):
            continue
        sure_loss = float(np.quantile(resampled[:, 0] - resampled[:, 1], 0.05))
        if growth >= t.leakage_error_growth and sure_loss >= NEAR_PERFECT_MIN_LOSS:
            found.append({"column": column, "model_edge": base, "edge_without": without, "growth": float(growth),
                          "sure_loss": sure_loss, "share": float(shares[column]),
                          "score": ctx.score(ctx.y_test, with_scores),
                          "score_without": ctx.score(ctx.y_test, without_scores)})
    return found


def _explanation_shares(ctx) -> dict[str, float] | None:
    try:
        importance = ctx.explanation.importance()
    except Exception:  # noqa: BLE001 - without explanations, the other signals still judge
        return None
    total = float(importance.sum())
    return {str(c): float(v) / total for c, v in importance.items()} if total > 0 else None


def _after_word(column: str) -> str | None:
    found = sorted(words(column) & AFTER_OUTCOME_WORDS)
    return found[0] if found else None


def _shown(score: float, ctx) -> str:
    """A single-column or model score written on the scale the sentences use (narrative.metric_value)."""
    return narrative.metric_value(narrative.METRIC_NAMES.get(single_column_metric(ctx), ""), score)


def _reasons(verdict: Verdict, ctx) -> str:
    parts = []
    if verdict.twins:
        named = " and ".join(f"'{c}'" for c in verdict.twins)
        parts.append(f"{named} {'scores' if len(verdict.twins) == 1 else 'score'} about the same alone, so they may "
                     "carry the same answer and were judged together with it")
    if verdict.reference is not None:
        only = "only " if verdict.far_ahead else ""
        other = "other " if verdict.twins else ""
        parts.append(f"the next best {other}column, '{verdict.reference}', scores {only}"
                     f"{_shown(verdict.reference_score, ctx)}")
    if verdict.model_edge_lost is not None and verdict.model_edge_lost >= ctx.settings.thresholds.leakage_work_share:
        parts.append(f"without {'them' if verdict.twins else 'it'} the model loses "
                     f"{narrative.pct(verdict.model_edge_lost)} of its edge over chance "
                     f"(held-out score {_shown(verdict.model_score_without, ctx)})")
    if verdict.explanation_share is not None and verdict.explanation_share >= ctx.settings.thresholds.leakage_work_share:
        parts.append(f"it carries {narrative.pct(verdict.explanation_share)} of the model's reasoning")
    if verdict.near_perfect and not verdict.enough_rows:
        parts.append("but the held-out rows are few, so this is not certain")
    return "; ".join(parts) if parts else "no other column is scored"


def _finding(verdict: Verdict, ctx, scale: str) -> Finding:
    evidence = {"single_column_score": verdict.score, "single_column_edge": verdict.edge,
                "next_best_score": verdict.reference_score, "model_edge_lost": verdict.model_edge_lost,
                "model_score_without_column": verdict.model_score_without,
                "explanation_share": verdict.explanation_share}
    return narrative.finding("data.target_leakage", PILLAR, verdict.severity, [verdict.column], evidence,
                             variant=verdict.variant, score=narrative.num(verdict.score), scale=scale,
                             reasons=_reasons(verdict, ctx), word=verdict.name_word or "")


def _carrier_finding(carriers: list[dict], ctx) -> Finding:
    """One finding for the columns a near-perfect model rests on (they give the answer away together): the numbers
    of the one whose removal costs most, the others named beside it."""
    carrier = max(carriers, key=lambda c: c["growth"])
    column = carrier["column"]
    others = [c["column"] for c in carriers if c is not carrier]
    word = _after_word(column)
    evidence = {"model_score": carrier["score"], "model_score_without_column": carrier["score_without"],
                "error_growth_without_column": carrier["growth"], "explanation_share": carrier["share"]}
    severity = Severity.CRITICAL if word and column in set(ctx.model_features) else Severity.WARNING
    also = ("" if not others else " Without " + narrative.name_list(others) + " the model also gets clearly worse: "
            "together they are what the model rests on.")
    return narrative.finding("data.target_leakage", PILLAR, severity, [column, *others], evidence,
                             variant="carries_model", first=f"'{column}'", also=also,
                             is_are="are" if others else "is", it_they="they are" if others else "it is",
                             it_them="them" if others else "it",
                             model=narrative.metric_value(ctx.metric.name, carrier["score"]),
                             without=narrative.metric_value(ctx.metric.name, carrier["score_without"]),
                             metric=ctx.metric.label,
                             growth=("more than 10 times" if carrier["growth"] >= 10
                                     else f"{narrative.num(carrier['growth'])} times"),
                             share=narrative.pct(carrier["share"]), word=word or "")


def check_target_leakage(ctx) -> CheckResult:
    """Columns that give the answer away: judged against the other columns and the whole model (see module)."""
    t = ctx.settings.thresholds
    scores = single_column_scores(ctx)
    if not scores.columns:
        return CheckResult()
    order = scores.ranked()
    strong_line, name_line = score_to_edge(t.leakage_score_info), score_to_edge(t.leakage_name_score)
    suspects = [j for j in order[:SUSPECTS_RETRAINED] if scores.edges[j] >= strong_line]
    named = [j for j in order if scores.edges[j] >= name_line and _after_word(scores.columns[j])
             and j not in suspects][:SUSPECTS_RETRAINED]
    shares = _explanation_shares(ctx) if suspects or named else None
    read = set(ctx.model_features)
    model_edge = None
    verdicts = []
    for j in suspects + named:
        column = scores.columns[j]
        near = [scores.columns[k] for k in twins(scores, j, t)]
        group = [column] + near if len(near) <= MAX_TWINS - 1 else [column]
        lost = without = None
        if j in suspects:
            # twins share one retrain: the group in a fixed order, so each twin finds the other's result
            ordered = [column] if len(group) == 1 else sorted(group)
            pair = model_without(ctx, ordered)  # its predictions are computed once (predictions_without)
            if pair is not None:
                model_edge = float(stats.edge(pair[0], ctx.metric.chance))
                if model_edge > 0.05:
                    without = pair[1]
                    lost = float(np.clip((model_edge - stats.edge(without, ctx.metric.chance)) / model_edge, 0, 1))
        share = None if shares is None else sum(shares.get(c, 0.0) for c in group)
        verdict = judge_column(scores, j, t, model_edge_lost=lost, model_score_without=without,
                               explanation_share=share, name_word=_after_word(column), seed=ctx.settings.seed,
                               model_edge=model_edge)
        if verdict.severity is Severity.CRITICAL and column not in read:   # a leak the model does not use
            verdict = replace(verdict, severity=Severity.WARNING, variant="unused")
        verdicts.append(verdict)
    scale = narrative.scale(single_column_metric(ctx))
    flagged = sorted((v for v in verdicts if v.severity is not None), key=lambda v: -v.severity.rank)
    findings = tuple(_finding(v, ctx, scale) for v in flagged)
    if not any(v.severity is Severity.CRITICAL for v in flagged):  # a near-perfect model no rule above explains
        skip = {v.column for v in flagged}
        carriers = near_perfect_carriers(ctx, shares, skip)
        if carriers:
            findings += (_carrier_finding(carriers, ctx),)
    notes = (narrative.note("leakage", rows=narrative.rows_used(scores.training_rows, len(ctx.X_train)),
                            held_out=f"{scores.held_out_rows:,}", columns=len(scores.columns),
                            retrained=len(suspects)),)
    if held_out_lacks_outcomes(ctx, ctx.y_test):
        notes += (narrative.note("leakage_set_aside", rows=f"{scores.held_out_rows:,}"),)
    best = float(np.nanmax(scores.scores)) if len(scores.scores) and not np.isnan(scores.scores).all() else 0.0
    metrics = {"best_single_column_score": best}
    if model_edge is not None:
        metrics["model_edge_over_chance"] = model_edge
    return CheckResult(findings, metrics=metrics, notes=notes,
                       data={"single_column_scores": scores.as_dict(),
                             "leakage_line": t.leakage_score_critical if ctx.metric.name == "roc_auc"
                             else ctx.metric.chance + score_to_edge(t.leakage_score_critical) * (1 - ctx.metric.chance),
                             "metric_label": single_column_metric(ctx),
                             "leak_suspects": {v.column: {"edge": v.edge, "far_ahead": v.far_ahead,
                                                          "model_edge_lost": v.model_edge_lost,
                                                          "explanation_share": v.explanation_share,
                                                          "severity": None if v.severity is None else v.severity.value}
                                               for v in verdicts}})


# ----- held-out rows seen in training ----------------------------------------------------------------------------
PERMUTATIONS = 300


def score_inflation(ctx, seen: np.ndarray) -> dict | None:
    """What held-out rows found in training do to the score: the score on all held-out rows minus the score on the
    unseen ones, and a permutation p-value (how often a random set of as many held-out rows scores that far below
    all of them). None when there are too few seen or unseen rows (or one outcome only among the unseen) to tell."""
    unseen = ~seen
    if unseen.sum() < MIN_UNSEEN_ROWS or seen.sum() < MIN_SEEN_ROWS:
        return None
    y = ctx.y_test.reset_index(drop=True)
    if ctx.task == "classification" and y[unseen].nunique() < 2:
        return None
    scores = np.asarray(ctx.test_scores)

    def on(rows: np.ndarray) -> float:
        return ctx.score(y[rows].reset_index(drop=True), scores[rows])

    try:
        everything, fresh = ctx.score(y, scores), on(unseen)
        rng = np.random.default_rng(ctx.settings.seed)
        size = int(unseen.sum())
        null = []
        for _ in range(PERMUTATIONS):
            rows = np.zeros(len(y), bool)
            rows[rng.choice(len(y), size, replace=False)] = True
            if ctx.task == "classification" and y[rows].nunique() < 2:
                continue
            null.append(everything - on(rows))
    except ValueError:
        return None
    p_value = (1 + sum(d >= everything - fresh for d in null)) / (1 + len(null))
    return {"score_all": everything, "score_unseen": fresh, "inflation": everything - fresh, "p_value": float(p_value)}


def check_train_test_overlap(ctx) -> CheckResult:
    """Held-out rows that also appear, identical, in the training rows, judged against chance (how often rows that
    can take few patterns repeat anyway) and by what they do to the held-out score."""
    t = ctx.settings.thresholds
    inputs = ctx.compared_features  # apart from identifiers: a row number makes every row unique
    columns = [*inputs, ctx.target]
    train = pd.concat([ctx.X_train, ctx.y_train], axis=1)[columns]
    test = pd.concat([ctx.X_test, ctx.y_test], axis=1)[columns]
    train_keys, test_keys = stats.row_keys(train), stats.row_keys(test)
    seen = np.isin(test_keys, train_keys)
    overlapping, share = int(seen.sum()), float(seen.mean())
    metrics = {"train_test_overlap_share": share}
    if not overlapping:
        return CheckResult(metrics=metrics)
    sample = ctx.sample_rows(train, ctx.settings.max_rows_checks)
    # chance of matching on the inputs alone: an upper bound for whole rows, since the outcome depends on the inputs
    chance = stats.chance_overlap_share(sample[inputs], test[inputs], seed=ctx.settings.seed)
    p_value = stats.binomial_excess_p(overlapping, len(test), chance)
    metrics["train_test_overlap_chance"] = chance
    copies = p_value < t.repeats_p_value and share - chance >= 0.01
    if not copies:
        note = narrative.note("overlap_natural", share=narrative.pct(share), chance=narrative.pct(chance))
        return CheckResult(metrics=metrics, notes=(note,))
    effect = score_inflation(ctx, seen)
    evidence = {"overlapping_rows": overlapping, "overlap_share": share, "chance_share": chance,
                "overlap_p_value": p_value}
    facts = dict(count=f"{overlapping:,}", share=narrative.pct(share, 1), split=ctx.split_description,
                 chance=narrative.pct(chance, 1))
    if share - chance >= OVERLAP_MOSTLY_EXCESS:  # a held-out file that is (mostly) the training file
        severity, effect_words = Severity.CRITICAL, OVERLAP_MOSTLY
        if effect is not None:
            evidence.update({"score_all_held_out": effect["score_all"],
                             "score_unseen_held_out": effect["score_unseen"], "inflation_p_value": effect["p_value"]})
    elif effect is None:
        severity, effect_words = Severity.WARNING, OVERLAP_UNMEASURED
    else:
        evidence.update({"score_all_held_out": effect["score_all"], "score_unseen_held_out": effect["score_unseen"],
                         "inflation_p_value": effect["p_value"]})
        metrics["overlap_score_inflation"] = effect["inflation"]
        inflated = effect["inflation"] >= t.overlap_inflation and effect["p_value"] < t.overlap_p_value
        # copies that do not flatter this model still mean the held-out rows are not all new cases (a retrained
        # or more flexible model would be flattered): a warning once they are a real share beyond chance
        broken_split = share - chance >= OVERLAP_WARNING_EXCESS
        severity = Severity.CRITICAL if inflated else Severity.WARNING if broken_split else Severity.INFO
        effect_words = overlap_effect(ctx.metric.label, effect["score_all"], effect["score_unseen"], inflated)
    finding = narrative.finding("data.train_test_overlap", PILLAR, severity, (), evidence,
                                variant="file" if ctx.test is not None else "split", effect=effect_words, **facts)
    return CheckResult((finding,), metrics=metrics)
