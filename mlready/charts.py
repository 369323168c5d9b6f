"""Charts drawn once with matplotlib from a result's data; the app and the PDF show the same PNGs."""
from __future__ import annotations

import io
from typing import Any, Mapping

import matplotlib
from matplotlib.figure import Figure

from .findings import PILLAR_TITLES

matplotlib.rcParams.update({"text.parse_math": False, "font.family": "DejaVu Sans", "font.size": 9,
                            "axes.spines.top": False, "axes.spines.right": False})

STATUS_COLOURS = {"pass": "#2e7d32", "warn": "#f9a825", "fail": "#c62828", "not_assessed": "#9e9e9e"}
BLUE, GREY, ORANGE = "#1565c0", "#9e9e9e", "#ef6c00"
MAX_BARS = 12


def _short(label: Any, width: int = 32) -> str:
    text = str(label)
    return text if len(text) <= width else text[: width - 1] + "…"


def _figure(height: float = 3.2) -> tuple[Figure, Any]:
    fig = Figure(figsize=(7.0, height), dpi=110, layout="constrained")
    return fig, fig.add_subplot()


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _bars(items: list[tuple[Any, float]], title: str, xlabel: str, colour: str = BLUE,
          line: tuple[float, str] | None = None) -> Figure | None:
    """Horizontal bars, first item on top, with an optional dashed reference line (value, label)."""
    if not items:
        return None
    fig, ax = _figure(0.9 + 0.24 * len(items))
    ax.barh([_short(k) for k, _ in items][::-1], [v for _, v in items][::-1], color=colour)
    if line is not None:
        ax.axvline(line[0], color=STATUS_COLOURS["fail"], linestyle="--", label=line[1])
        ax.legend(frameon=False, loc="lower right")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return fig


def missing_values_chart(data: Mapping[str, Any]) -> Figure | None:
    shares = sorted(data.get("missing_share", {}).items(), key=lambda kv: -kv[1])
    return _bars([(k, v * 100) for k, v in shares if v > 0][:MAX_BARS], "Missing values per column (most affected first)",
                 "% of rows empty")


def single_column_chart(data: Mapping[str, Any]) -> Figure | None:
    line = (data["leakage_line"], "gives the answer away") if "leakage_line" in data else None
    return _bars(list((data.get("single_column_scores") or {}).items())[:MAX_BARS],
                 "How much each column alone predicts the outcome",
                 f"score of the column alone on held-out rows ({data.get('metric_label', 'score')})", line=line)


def class_balance_chart(data: Mapping[str, Any]) -> Figure | None:
    counts = data.get("class_counts") or {}
    if len(counts) > MAX_BARS:
        return None
    return _bars(list(counts.items()), "How often each outcome occurs", "rows", ORANGE)


def drift_chart(data: Mapping[str, Any]) -> Figure | None:
    line = (data["psi_warning"], "large change") if "psi_warning" in data else None
    return _bars(list((data.get("psi") or {}).items())[:MAX_BARS], "How much each column changed in the new data",
                 "population stability index (0 = unchanged)", line=line)


def generalization_chart(data: Mapping[str, Any]) -> Figure | None:
    if "test_score" not in data:
        return None
    fig, ax = _figure()
    bars = [("Training rows", "train_score", BLUE), ("Held-out rows", "test_score", ORANGE),
            ("Trivial guess", "baseline_score", GREY), ("Simple linear model", "simple_model_score", "#80cbc4")]
    shown = [(label, data[key], colour) for label, key, colour in bars if key in data]
    labels, values, colours = zip(*shown)
    values = list(values)
    ax.bar(labels, values, color=colours)
    for x, v in enumerate(values):
        ax.text(x, v, f"{v:.2f}", ha="center", va="bottom")
    ax.set_ylim(min(0, min(values)), 1.05)
    ax.set_ylabel(data.get("metric_label", "score"))
    ax.set_title("Score on rows the model learned from vs rows it never saw")
    return fig


def stability_chart(data: Mapping[str, Any]) -> Figure | None:
    folds = data.get("cv_scores") or []
    if not folds:
        return None
    fig, ax = _figure(2.0)
    ax.scatter(folds, [0] * len(folds), s=60, color=BLUE, zorder=3)
    ax.axvline(sum(folds) / len(folds), color=GREY, linestyle="--", label="average")
    ax.set_yticks([])
    ax.set_xlabel(data.get("metric_label", "score"))
    ax.legend(frameon=False)
    ax.set_title("Score of copies retrained on different parts of the data (cross-validation)")
    return fig


def learning_curve_chart(data: Mapping[str, Any]) -> Figure | None:
    sizes, scores = data.get("learning_sizes"), data.get("learning_scores")
    if not sizes:
        return None
    fig, ax = _figure(2.8)
    ax.plot(sizes, scores, marker="o", color=BLUE)
    ax.set_xlabel("training rows")
    ax.set_ylabel(data.get("metric_label", "score"))
    ax.set_title("Learning curve: score on held-out rows as the training data grows")
    return fig


def reliability_chart(data: Mapping[str, Any]) -> Figure | None:
    predicted, observed = data.get("reliability_predicted"), data.get("reliability_observed")
    if not predicted:
        return None
    fig = Figure(figsize=(4.2, 3.6), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", label="perfectly calibrated")
    ax.plot(predicted, observed, marker="o", color=ORANGE, label="this model")
    ax.set_xlabel("chance the model gives")
    ax.set_ylabel("how often it happened")
    ax.legend(frameon=False, loc="upper left")
    ax.set_title("Does the stated chance come true?")
    return fig


def segments_chart(data: Mapping[str, Any]) -> Figure | None:
    segments = data.get("segments") or []
    if not segments:
        return None
    fig, ax = _figure(1.0 + 0.35 * len(segments))
    regression = data.get("error_kind") == "mae"
    values = [s["error"] if regression else (1 - s["error"]) * 100 for s in segments]
    overall = data["overall_error"] if regression else (1 - data["overall_error"]) * 100
    ax.barh([_short(s["segment"], 48) for s in segments][::-1], values[::-1], color=ORANGE)
    ax.axvline(overall, color=BLUE, linestyle="--", label="all held-out rows")
    ax.set_xlabel("average error" if regression else "% right")
    ax.legend(frameon=False, loc="lower right")
    ax.set_title("Weakest groups of cases")
    return fig


def robustness_chart(data: Mapping[str, Any]) -> Figure | None:
    """Share of decisions that change as the inputs change more (the realistic amount marked)."""
    levels, moved = data.get("noise_levels"), data.get("noise_changed")
    if not levels:
        return None
    fig, ax = _figure(2.8)
    x = [level * 100 for level in levels]
    regression = data.get("noise_task") == "regression"
    ax.plot(x, [v * 100 for v in moved], marker="o", color=ORANGE,
            label="predictions that move a lot" if regression else "decisions that change")
    if not regression:
        ax.plot(x, [v * 100 for v in data.get("noise_unexpected", [])], marker="o", color=STATUS_COLOURS["fail"],
                label="... although the model was confident")
        close = data.get("noise_close_calls")
        if close is not None:
            ax.axhline(close * 100, color=GREY, linestyle="--", label="close calls (any noise may flip them)")
    realistic = levels[len(levels) // 2] * 100
    ax.axvline(realistic, color=BLUE, linestyle=":", label="realistic amount")
    ax.set_xscale("log")
    ax.set_xticks(x, [f"{v:g}%" for v in x])
    ax.minorticks_off()
    ax.set_xlabel("size of the change (share of each number column's spread; labels swapped as often)")
    ax.set_ylabel("% of cases")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=7.5)
    ax.set_title("Share of decisions that change vs size of the change")
    return fig


def response_curves_chart(data: Mapping[str, Any]) -> Figure | None:
    """The average prediction as each influential number column sweeps its range (partial dependence)."""
    curves = data.get("response_curves") or []
    if not curves:
        return None
    fig, ax = _figure(2.8)
    for curve, colour in zip(curves, [BLUE, ORANGE, "#2e7d32", "#6a1b9a"]):
        steps = len(curve["grid"])
        x = [5 + 90 * i / max(steps - 1, 1) for i in range(steps)]
        style = "--" if curve["direction"].startswith("reverses") else "-"
        ax.plot(x, curve["average"], style, color=colour, marker=".", label=_short(curve["column"], 28))
    ax.set_xlabel("position in the column's range (percentile of the training data; dashed: the effect reverses)")
    ax.set_ylabel("average prediction")
    ax.legend(frameon=False, fontsize=7.5)
    ax.set_title("How the prediction moves as one column changes, others as they are")
    return fig


def latency_chart(data: Mapping[str, Any]) -> Figure | None:
    timings = data.get("latency_ms")
    if not timings:
        return None
    fig, ax = _figure(2.8)
    ax.hist(timings, bins=30, color=BLUE)
    target = data.get("latency_target_ms")
    if target is not None and target <= max(timings) * 3:
        ax.axvline(target, color=STATUS_COLOURS["fail"], linestyle="--", label=f"target {target:g} ms")
        ax.legend(frameon=False)
    ax.set_xlabel("milliseconds per single prediction")
    ax.set_ylabel("predictions")
    ax.set_title("How long one prediction takes")
    return fig


def importance_chart(data: Mapping[str, Any]) -> Figure | None:
    entries = list(data.get("global") or [])[:MAX_BARS]
    if not entries:
        return None
    fig, ax = _figure(0.9 + 0.24 * len(entries))
    colours = {"raises": ORANGE, "lowers": BLUE, "mixed": GREY}
    ax.barh([_short(e["feature"]) for e in entries][::-1], [e["share"] * 100 for e in entries][::-1],
            color=[colours[e["direction"]] for e in entries][::-1])
    ax.set_xlabel("% of the model's reasoning (orange: raises, blue: lowers, grey: mixed)")
    ax.set_title("What drives the model's predictions")
    return fig


def fairness_chart(column: str, table: Mapping[str, list], positive: str | None = None) -> Figure | None:
    groups = [_short(g, 24) for g in table.get("group", [])][:MAX_BARS]
    if not groups:
        return None
    label = f"'{_short(positive, 20)}'" if positive else "positive"
    if "accuracy" in table:
        bars = [(f"really {label} (%)", "observed_rate", GREY), (f"predicted {label} (%)", "positive_rate", ORANGE),
                ("right (%)", "accuracy", BLUE)]
        bars = [(name, key, colour) for name, key, colour in bars if key in table]
    else:
        bars = [("average error", "mean_error", BLUE)]
    fig, ax = _figure(1.0 + 0.3 * len(groups) * max(1, len(bars) - 1))
    height = 0.8 / len(bars)
    for index, (name, key, colour) in enumerate(bars):
        scale = 100 if "accuracy" in table else 1
        values = [v * scale if v is not None else 0 for v in table[key][:MAX_BARS]]
        offset = (index - (len(bars) - 1) / 2) * height
        ax.barh([p + offset for p in range(len(groups))], values, height=height, color=colour, label=name)
    if "accuracy" in table:
        ax.set_xlim(0, 105)
    ax.set_yticks(list(range(len(groups))), groups)
    ax.invert_yaxis()
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(bars))
    ax.set_title(f"Groups of '{_short(column, 40)}'")
    return fig


def scorecard_chart(scores: Mapping[str, int | None], statuses: Mapping[str, str]) -> Figure:
    fig, ax = _figure(2.4)
    pillars = list(scores)[::-1]
    ax.barh([PILLAR_TITLES[p] for p in pillars], [scores[p] or 0 for p in pillars],
            color=[STATUS_COLOURS[statuses[p]] for p in pillars])
    for y, p in enumerate(pillars):
        ax.text((scores[p] or 0) + 1, y, "not checked" if scores[p] is None else str(scores[p]), va="center")
    ax.set_xlim(0, 110)
    ax.set_title("Score per area (0-100)")
    return fig


def pillar_charts(pillar: str, data: Mapping[str, Any]) -> list[Figure]:
    """Every chart for one pillar's data, in display order."""
    if pillar == "data_quality":
        figures = [missing_values_chart(data), class_balance_chart(data), single_column_chart(data), drift_chart(data)]
    elif pillar == "generalization":
        figures = [generalization_chart(data), stability_chart(data), learning_curve_chart(data),
                   reliability_chart(data), segments_chart(data), robustness_chart(data)]
    elif pillar == "scalability":
        figures = [latency_chart(data)]
    elif pillar == "interpretability":
        figures = [importance_chart(data), response_curves_chart(data)]
    elif pillar == "operations":
        figures = []
    else:
        figures = [fairness_chart(column, table, data.get("positive_label"))
                   for column, table in (data.get("groups") or {}).items()]
    return [f for f in figures if f is not None]


def pillar_pngs(pillar: str, data: Mapping[str, Any]) -> list[bytes]:
    """The pillar's charts as PNG bytes."""
    return [to_png(f) for f in pillar_charts(pillar, data)]
