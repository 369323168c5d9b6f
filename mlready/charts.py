"""Charts drawn once with matplotlib from a result's data; the app and the PDF show the same PNGs."""
from __future__ import annotations

import hashlib
import io
import pickle
import re
import threading
from collections import OrderedDict
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from .findings import PILLAR_TITLES

#: Fonts with Chinese, Japanese and Korean characters (Debian's fonts-droid-fallback), used where DejaVu Sans has no
#: glyph, so that a column named in those scripts is drawn rather than shown as empty boxes. The PDF uses them too.
FALLBACK_FONTS = (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
                  Path("/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf"))


def fallback_font() -> Path | None:
    """The first fallback font installed, if any."""
    return next((path for path in FALLBACK_FONTS if path.is_file()), None)


def _font_families() -> list[str]:
    families = ["DejaVu Sans"]
    path = fallback_font()
    if path is not None:
        try:
            font_manager.fontManager.addfont(str(path))
            families.append(font_manager.FontProperties(fname=str(path)).get_name())
        except (OSError, RuntimeError, ValueError):
            pass
    return families


matplotlib.rcParams.update({"text.parse_math": False, "font.family": _font_families(), "font.size": 9,
                            "axes.spines.top": False, "axes.spines.right": False})

STATUS_COLOURS = {"pass": "#2e7d32", "warn": "#f9a825", "fail": "#c62828", "not_assessed": "#9e9e9e"}
BLUE, GREY, ORANGE = "#1565c0", "#9e9e9e", "#ef6c00"
MAX_BARS = 12
WRAP = 26  # characters per line of a bar's label: longer labels wrap at a space, '_', '-', '/' or '.'

#: Plain names of the headline metrics for axes (the exact names are in the method notes and the glossary).
PLAIN_METRIC = {"roc_auc": "ranking score (1 = perfect)", "r2": "share of the differences explained (1 = all)",
                "balanced_accuracy": "share right, averaged over the outcomes"}
#: The value a model without any skill gets on a metric, and its label on a chart.
CHANCE = {"roc_auc": (0.5, "coin toss (0.5)"), "r2": (0.0, "no better than the average (0)")}
_METRIC_NAMES = {"ROC AUC": "roc_auc", "R²": "r2", "balanced accuracy": "balanced_accuracy"}
_BREAK = re.compile(r".+?(?:[ _\-/.,]|$)")


def wrap_label(label: Any, width: int = WRAP) -> str:
    """A label on lines of at most `width` characters, broken after a space, '_', '-', '/', '.' or ',' (never
    inside a word; a single word longer than a line is split into line-long pieces, nothing is dropped)."""
    text = " ".join(str(label).split())
    lines: list[str] = []
    line = ""
    for piece in _BREAK.findall(text):
        while len(piece.rstrip(" ")) > width:  # one unbreakable word longer than a line
            if line:
                lines.append(line.rstrip(" "))
                line = ""
            lines.append(piece[:width])
            piece = piece[width:]
        if len((line + piece).rstrip(" ")) > width and line:
            lines.append(line.rstrip(" "))
            line = ""
        line += piece
    if line.strip() or not lines:
        lines.append(line.rstrip(" "))
    return "\n".join(lines)


def _lines(label: str) -> int:
    return label.count("\n") + 1


def _metric(data: Mapping[str, Any]) -> str | None:
    """The metric's name ('roc_auc', 'r2', 'balanced_accuracy') behind a result's scores, if known."""
    return data.get("metric_name") or _METRIC_NAMES.get(data.get("metric_label"))


def _metric_axis(data: Mapping[str, Any]) -> str:
    return PLAIN_METRIC.get(_metric(data), "score")


def _score_limits(values: list[float], data: Mapping[str, Any]) -> tuple[float, float]:
    """Score axes from 0 (or below, for a negative score) to the best possible 1: a gap of 0.01 stays small."""
    return min([0.0, *values]) - (0.05 if min([0.0, *values]) < 0 else 0), max([1.0, *values]) + 0.05


def _chance_line(ax, data: Mapping[str, Any], vertical: bool = False) -> None:
    """A dotted line at the metric's chance level, labelled (nothing for metrics without a fixed chance level)."""
    chance = CHANCE.get(_metric(data))
    if chance is not None:
        draw = ax.axvline if vertical else ax.axhline
        draw(chance[0], color=GREY, linestyle=":", linewidth=1.5, label=chance[1])


def _figure(height: float = 3.2, width: float = 7.0) -> tuple[Figure, Any]:
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    return fig, fig.add_subplot()


def _legend(fig: Figure, ax, columns: int = 3, handles: list | None = None) -> None:
    """The legend below the plot, outside the axes, so that it never covers a bar, a point or a line."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    else:
        labels = [h.get_label() for h in handles]
    if handles:
        fig.legend(handles, [wrap_label(label, 40) for label in labels], loc="outside lower center",
                   ncol=min(columns, len(handles)), frameon=False, fontsize=8)


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _bars(items: list[tuple[Any, float]], title: str, xlabel: str, colour: str = BLUE,
          line: tuple[float, str] | None = None, least_top: float = 0.0, value_format: str = "{:,.0f}",
          data: Mapping[str, Any] | None = None, score: bool = False) -> Figure | None:
    """Horizontal bars from 0, first item on top, each with its value; an optional dashed reference line (value,
    label); the axis reaches at least `least_top` so that small values look small. A score axis (`score`) runs
    from 0 to 1 with the metric's chance level marked."""
    if not items:
        return None
    labels = [wrap_label(k) for k, _ in items]
    values = [float(v) for _, v in items]
    fig, ax = _figure(1.0 + sum(0.2 + 0.13 * _lines(label) for label in labels) + (0.35 if line or score else 0))
    ax.barh(labels[::-1], values[::-1], color=colour)
    top = max([least_top, *values, line[0] if line else 0.0])
    if score:
        ax.set_xlim(*_score_limits(values, data or {}))
        _chance_line(ax, data or {}, vertical=True)
    else:
        ax.set_xlim(min(0.0, *values), top * 1.15 if top > 0 else 1)
    for y, value in enumerate(values[::-1]):
        ax.text(value, y, " " + value_format.format(value), va="center", fontsize=7.5)
    if line is not None:
        ax.axvline(line[0], color=STATUS_COLOURS["fail"], linestyle="--", label=line[1])
    _legend(fig, ax)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return fig


def missing_values_chart(data: Mapping[str, Any]) -> Figure | None:
    shares = sorted(data.get("missing_share", {}).items(), key=lambda kv: -kv[1])
    return _bars([(k, v * 100) for k, v in shares if v > 0][:MAX_BARS], "Missing values per column (most affected first)",
                 "% of rows empty", least_top=10, value_format="{:.1f}%")


def single_column_chart(data: Mapping[str, Any]) -> Figure | None:
    line = (data["leakage_line"], "gives the answer away") if "leakage_line" in data else None
    return _bars(list((data.get("single_column_scores") or {}).items())[:MAX_BARS],
                 "How much each column alone predicts the outcome",
                 f"{_metric_axis(data)} of the column alone, on rows kept aside", line=line,
                 value_format="{:.2f}", data=data, score=True)


def class_balance_chart(data: Mapping[str, Any]) -> Figure | None:
    counts = data.get("class_counts") or {}
    if len(counts) > MAX_BARS:
        return None
    return _bars(list(counts.items()), "How often each outcome occurs", "rows", ORANGE)


def drift_chart(data: Mapping[str, Any]) -> Figure | None:
    line = (data["psi_warning"], "large change") if "psi_warning" in data else None
    return _bars(list((data.get("psi") or {}).items())[:MAX_BARS], "How much each column changed in the new data",
                 "size of the change (0 = unchanged)", line=line, value_format="{:.2f}")


def generalization_chart(data: Mapping[str, Any]) -> Figure | None:
    if "test_score" not in data:
        return None
    fig, ax = _figure()
    bars = [("Rows it learned from", "train_score", BLUE), ("Rows kept aside", "test_score", ORANGE),
            ("Always the same guess", "baseline_score", GREY), ("Simple straight-line model", "simple_model_score",
                                                                 "#80cbc4")]
    shown = [(wrap_label(label, 18), float(data[key]), colour) for label, key, colour in bars
             if data.get(key) is not None]
    labels, values, colours = zip(*shown)
    values = list(values)
    ax.bar(labels, values, color=colours)
    for x, v in enumerate(values):
        ax.text(x, max(v, 0), f"{v:.2f}", ha="center", va="bottom")
    ax.set_ylim(*_score_limits(values, data))
    _chance_line(ax, data)
    _legend(fig, ax)
    ax.set_ylabel(wrap_label(_metric_axis(data), 30))
    ax.set_title("Score on rows the model learned from vs rows it never saw")
    return fig


def stability_chart(data: Mapping[str, Any]) -> Figure | None:
    folds = [float(f) for f in data.get("cv_scores") or []]
    if not folds:
        return None
    fig, ax = _figure(2.3)
    ax.scatter(folds, [0] * len(folds), s=60, color=BLUE, zorder=3, label="one retrained copy")
    ax.axvline(sum(folds) / len(folds), color=BLUE, linestyle="--", linewidth=1, label="average")
    _chance_line(ax, data, vertical=True)
    ax.set_xlim(*_score_limits(folds, data))
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(_metric_axis(data))
    _legend(fig, ax)
    ax.set_title("Score of copies retrained on different parts of the data")
    return fig


def learning_curve_chart(data: Mapping[str, Any]) -> Figure | None:
    sizes, scores = data.get("learning_sizes"), data.get("learning_scores")
    if not sizes:
        return None
    fig, ax = _figure(2.9)
    ax.plot(sizes, scores, marker="o", color=BLUE, label="score on rows kept aside")
    _chance_line(ax, data)
    ax.set_ylim(*_score_limits([float(s) for s in scores], data))
    ax.set_xlim(0, max(sizes) * 1.05)
    ax.set_xlabel("rows the model learned from")
    ax.set_ylabel(wrap_label(_metric_axis(data), 30))
    _legend(fig, ax)
    ax.set_title("Does more data help? Score as the training data grows")
    return fig


def reliability_chart(data: Mapping[str, Any]) -> Figure | None:
    predicted, observed = data.get("reliability_predicted"), data.get("reliability_observed")
    if not predicted:
        return None
    fig, ax = _figure(3.9, 4.4)
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", label="stated chance comes true")
    ax.plot(predicted, observed, marker="o", color=ORANGE, label="this model")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("chance the model gives")
    ax.set_ylabel("how often it happened")
    _legend(fig, ax, 2)
    ax.set_title("Does the stated chance come true?")
    return fig


def segments_chart(data: Mapping[str, Any]) -> Figure | None:
    segments = data.get("segments") or []
    if not segments:
        return None
    labels = [wrap_label(s["segment"], 34) for s in segments]
    fig, ax = _figure(1.3 + sum(0.22 + 0.13 * _lines(label) for label in labels))
    regression = data.get("error_kind") == "mae"
    values = [s["error"] if regression else (1 - s["error"]) * 100 for s in segments]
    overall = data["overall_error"] if regression else (1 - data["overall_error"]) * 100
    ax.barh(labels[::-1], values[::-1], color=ORANGE)
    ax.axvline(overall, color=BLUE, linestyle="--", label="all rows kept aside")
    ax.set_xlim(0, max([*values, overall]) * 1.15 if regression else 105)
    ax.set_xlabel("average error" if regression else "% right")
    _legend(fig, ax)
    ax.set_title("Weakest groups of cases")
    return fig


def robustness_chart(data: Mapping[str, Any]) -> Figure | None:
    """Share of decisions that change as the inputs change more (the realistic amount marked)."""
    levels, moved = data.get("noise_levels"), data.get("noise_changed")
    if not levels:
        return None
    fig, ax = _figure(3.1)
    x = [level * 100 for level in levels]
    regression = data.get("noise_task") == "regression"
    shown = [v * 100 for v in moved]
    ax.plot(x, shown, marker="o", color=ORANGE,
            label="predictions that move a lot" if regression else "decisions that change")
    if not regression:
        unexpected = [v * 100 for v in data.get("noise_unexpected", [])]
        shown += unexpected
        ax.plot(x, unexpected, marker="o", color=STATUS_COLOURS["fail"], label="... although the model was confident")
        close = data.get("noise_close_calls")
        if close is not None:
            shown.append(close * 100)
            ax.axhline(close * 100, color=GREY, linestyle="--", label="close calls (any change may flip them)")
    realistic = levels[len(levels) // 2] * 100
    ax.axvline(realistic, color=BLUE, linestyle=":", label="realistic amount")
    ax.set_xscale("log")
    ax.set_xticks(x, [f"{v:g}%" for v in x])
    ax.minorticks_off()
    ax.set_xlabel("size of the change (% of each number column's spread; labels swapped as often)")
    ax.set_ylabel("% of cases")
    ax.set_ylim(0, max([10.0, *shown]) * 1.1)  # at least 0-10%: a 1% change must look small
    _legend(fig, ax, 2)
    ax.set_title("Share of decisions that change vs size of the change")
    return fig


def response_curves_chart(data: Mapping[str, Any]) -> Figure | None:
    """The average prediction as each influential number column sweeps its range (partial dependence)."""
    curves = data.get("response_curves") or []
    if not curves:
        return None
    fig, ax = _figure(3.0)
    everything: list[float] = []
    for curve, colour in zip(curves, [BLUE, ORANGE, "#2e7d32", "#6a1b9a"]):
        steps = len(curve["grid"])
        x = [5 + 90 * i / max(steps - 1, 1) for i in range(steps)]
        style = "--" if curve["direction"].startswith("reverses") else "-"
        everything += [float(v) for v in curve["average"]]
        ax.plot(x, curve["average"], style, color=colour, marker=".", label=wrap_label(curve["column"], 40))
    if everything and min(everything) >= 0 and max(everything) <= 1:
        ax.set_ylim(0, 1)  # a chance: the whole scale, so that a small move looks small
    else:
        ax.set_ylim(bottom=min([0.0, *everything]))
    ax.set_xlim(0, 100)
    ax.set_xlabel("position in the column's range, from its lowest to its highest values (%)")
    ax.set_ylabel("average prediction")
    _legend(fig, ax, 2)
    ax.set_title("How the prediction moves as one column changes (dashed: the effect reverses)")
    return fig


def latency_chart(data: Mapping[str, Any]) -> Figure | None:
    timings = [float(t) for t in data.get("latency_ms") or []]
    if not timings:
        return None
    fig, ax = _figure(2.9)
    target = data.get("latency_target_ms")
    right = max([*timings, float(target or 0)]) * 1.1
    ax.hist(timings, bins=[right * i / 60 for i in range(61)], color=BLUE, label="predictions timed")
    if target is not None:
        ax.axvline(target, color=STATUS_COLOURS["fail"], linestyle="--", label=f"target: {target:g} ms")
    ax.set_xlim(0, right)
    ax.set_xlabel("milliseconds per single prediction")
    ax.set_ylabel("predictions")
    _legend(fig, ax)
    ax.set_title("How long one prediction takes")
    return fig


def importance_chart(data: Mapping[str, Any]) -> Figure | None:
    entries = list(data.get("global") or [])[:MAX_BARS]
    if not entries:
        return None
    from matplotlib.patches import Patch

    labels = [wrap_label(e["feature"]) for e in entries]
    fig, ax = _figure(1.3 + sum(0.2 + 0.13 * _lines(label) for label in labels))
    colours = {"raises": ORANGE, "lowers": BLUE, "mixed": GREY}
    shares = [e["share"] * 100 for e in entries]
    ax.barh(labels[::-1], shares[::-1], color=[colours[e["direction"]] for e in entries][::-1])
    for y, value in enumerate(shares[::-1]):
        ax.text(value, y, f" {value:.0f}%", va="center", fontsize=7.5)
    ax.set_xlim(0, max(shares) * 1.15)
    ax.set_xlabel("% of the model's reasoning")
    shown = dict.fromkeys(e["direction"] for e in entries)
    _legend(fig, ax, handles=[Patch(color=colours[d], label=f"{d} the prediction" if d != "mixed" else "mixed effect")
                              for d in shown])
    ax.set_title("What drives the model's predictions")
    return fig


def fairness_chart(column: str, table: Mapping[str, list], positive: str | None = None) -> Figure | None:
    groups = [wrap_label(g, 22) for g in table.get("group", [])][:MAX_BARS]
    if not groups:
        return None
    label = f"'{positive}'" if positive else "positive"
    if "accuracy" in table:
        bars = [(f"really {label} (%)", "observed_rate", GREY), (f"predicted {label} (%)", "positive_rate", ORANGE),
                ("right (%)", "accuracy", BLUE)]
        bars = [(name, key, colour) for name, key, colour in bars if key in table]
    else:
        bars = [("average error", "mean_error", BLUE)]
    rows = sum(max(_lines(g), 1) for g in groups)
    fig, ax = _figure(1.5 + 0.22 * rows * max(1, len(bars) - 1))
    height = 0.8 / len(bars)
    everything = []
    for index, (name, key, colour) in enumerate(bars):
        scale = 100 if "accuracy" in table else 1
        values = [v * scale if v is not None else 0 for v in table[key][:MAX_BARS]]
        everything += values
        offset = (index - (len(bars) - 1) / 2) * height
        ax.barh([p + offset for p in range(len(groups))], values, height=height, color=colour, label=name)
    ax.set_xlim(0, 105 if "accuracy" in table else max([*everything, 1e-9]) * 1.15)
    ax.set_yticks(list(range(len(groups))), groups)
    ax.invert_yaxis()
    _legend(fig, ax)
    ax.set_title(wrap_label(f"Groups of '{column}'", 70))
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
    """The pillar's charts as PNG bytes, drawn once per pillar and data: the app's pages and the PDF (written later,
    from the same assessment) show the same PNGs. Kept in a small bounded cache (`PNG_CACHE_BYTES`)."""
    key = _data_key(pillar, data)
    if key is not None:
        with _png_lock:
            cached = _png_cache.get(key)
            if cached is not None:
                _png_cache.move_to_end(key)
                return list(cached)
    pngs = [to_png(f) for f in pillar_charts(pillar, data)]
    if key is not None:
        with _png_lock:
            _png_cache[key] = tuple(pngs)
            while len(_png_cache) > 1 and sum(len(p) for v in _png_cache.values() for p in v) > PNG_CACHE_BYTES:
                _png_cache.popitem(last=False)
    return pngs


#: At most this many bytes of PNGs are kept for reuse (the sample's charts take about 1 MB).
PNG_CACHE_BYTES = 32 * 2**20
_png_cache: "OrderedDict[tuple[str, str], tuple[bytes, ...]]" = OrderedDict()
_png_lock = threading.Lock()


def _data_key(pillar: str, data: Mapping[str, Any]) -> tuple[str, str] | None:
    """A digest of a result's chart data (None when it cannot be serialised: drawn every time)."""
    digest = hashlib.sha256()

    class Writer:
        write = digest.update

    try:
        _DigestPickler(Writer(), protocol=pickle.HIGHEST_PROTOCOL).dump(data)
    except Exception:  # noqa: BLE001 - an object pickle cannot write
        return None
    return pillar, digest.hexdigest()


class _DigestPickler(pickle.Pickler):
    """Serialises results' frozen mappings (MappingProxyType) as plain dictionaries, for a digest only."""

    def reducer_override(self, obj):
        if isinstance(obj, MappingProxyType):
            return dict, (dict(obj),)
        return NotImplemented
