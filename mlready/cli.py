"""The command line: `mlready assess`, `mlready render` and `mlready practices`, as fixed in the contract."""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Sequence, TextIO

from . import __version__, threads
from .api import assessment_from_context, build_context, quiet_libraries
from .assessment import Assessment
from .column_types import COLUMN_TYPES
from .config import Settings, Thresholds
from .errors import InputError
from .narrative import VERDICT_TEXT
from .practices import listing as practices_listing
from .practices import load_answers

EXIT_OK, EXIT_BELOW, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse that reports a wrong option as one plain sentence (exit 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = " ".join(self.prog.split()[1:2]) or "assess"
        raise InputError(f"{message[0].upper()}{message[1:]}; run 'mlready {command} --help' for the options.")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mlready", description="Is this model and its data ready for production?")
    parser.add_argument("--version", action="version", version=f"mlready {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("assess", help="assess a model and its data")
    run.add_argument("data", help="training data: .csv .tsv .txt .xlsx .parquet .json .jsonl")
    run.add_argument("--target", required=True, help="the column the model predicts")
    run.add_argument("--test", help="held-out data with the same columns")
    run.add_argument("--new-data", help="a recent sample of production data (enables drift checks)")
    run.add_argument("--model", help="the trained model: .skops, XGBoost .json/.ubj, LightGBM .txt, .onnx, or "
                                     ".joblib/.pkl with --allow-pickle")
    run.add_argument("--task", choices=["classification", "regression"])
    run.add_argument("--positive-class", help="for a two-class target, the outcome of interest")
    run.add_argument("--favourable-outcome", help="the outcome that is good for the person concerned (fairness "
                     "rates refer to it); by default guessed from the outcomes' names; \"\" for none")
    run.add_argument("--sensitive", action="append", default=[], help="a protected attribute (repeatable)")
    run.add_argument("--latency-target-ms", type=float, default=100.0)
    run.add_argument("--daily-predictions", type=int)
    run.add_argument("--json", dest="json_path", help="write the assessment JSON here")
    run.add_argument("--pdf", dest="pdf_path", help="write the PDF scorecard here")
    run.add_argument("--fail-under", type=float, help="exit 1 when the overall score is below this (0-100)")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--allow-pickle", action="store_true", help="accept .joblib/.pkl models (they can run code)")
    run.add_argument("--threshold", action="append", default=[], metavar="NAME=VALUE",
                     help="override a threshold from mlready.config.Thresholds (repeatable)")
    run.add_argument("--column-type", action="append", default=[], metavar="COLUMN=TYPE",
                     help=f"correct a column's inferred type; TYPE is one of {', '.join(COLUMN_TYPES)} (repeatable)")
    run.add_argument("--threads", type=int, metavar="N",
                     help="threads for every kind of work (default: one for small work and single predictions, the "
                          "usable cores minus one for large fits; see mlready/threads.py)")
    run.add_argument("--practices", metavar="FILE", help="answers to the deployment-practice questions (JSON or "
                     "YAML: question id -> yes | no | unsure; see 'mlready practices'); enables the operations pillar")
    run.add_argument("--measurement-error", action="append", default=[], metavar="COLUMN=AMOUNT",
                     help="the typical measurement error of a number column, in its units, for the robustness check "
                          "(repeatable; default: 5%% of the column's spread)")
    commands.add_parser("practices", help="list the deployment-practice questions and their ids")
    explain = commands.add_parser("explain", help="one decision: its principal reasons and the smallest realistic "
                                                  "change that would turn it around")
    explain.add_argument("data", help="training data, as for 'assess'")
    explain.add_argument("--target", required=True, help="the column the model predicts")
    explain.add_argument("--case", help="the case's identifier value (or 'held-out case N' without an identifier "
                                        "column); default: the first explained held-out case")
    explain.add_argument("--fixed", action="append", default=[], metavar="COLUMN",
                         help="a column that cannot change for this case (repeatable; sensitive and identifying "
                              "columns never do)")
    for name in ("--test", "--model", "--positive-class"):
        explain.add_argument(name)
    explain.add_argument("--task", choices=["classification", "regression"])
    explain.add_argument("--sensitive", action="append", default=[])
    explain.add_argument("--seed", type=int, default=0)
    explain.add_argument("--allow-pickle", action="store_true")
    explain.add_argument("--column-type", action="append", default=[], metavar="COLUMN=TYPE")
    render = commands.add_parser("render", help="re-render a saved assessment")
    render.add_argument("assessment", help="an assessment JSON written by 'mlready assess --json'")
    render.add_argument("--pdf", dest="pdf_path", required=True, help="write the PDF scorecard here")
    return parser


class _Progress:
    """The progress display on stderr: `[#####...]  42%  step  12 s`.

    On a terminal, one line redrawn in place; a timer redraws it every second, so the step's elapsed seconds tick
    even while a long step has nothing new to report. Elsewhere (a CI log), one line per step, and within a step
    that reports its own progress ("round 2 of 5") a line at most every `log_every` seconds."""

    def __init__(self, stream: TextIO | None = None, live: bool | None = None, log_every: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.log_every, self.clock = log_every, clock
        self.step, self.fraction = "", 0.0
        self.check, self.check_started = "", clock()
        self.last_line, self.last_line_at = "", float("-inf")
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.timer = None
        if self.live:
            self.timer = threading.Thread(target=self._tick, name="mlready-progress", daemon=True)
            self.timer.start()

    def __call__(self, step: str, fraction: float) -> None:
        with self.lock:
            now = self.clock()
            check = step.split(" (", 1)[0]  # "Scalability: single-prediction speed (round 2 of 5)": the check
            new_check = check != self.check
            if new_check:
                self.check, self.check_started = check, now
            changed = step != self.step or abs(fraction - self.fraction) >= 0.005
            self.step, self.fraction = step, fraction
            if self.live:
                if changed:
                    self._draw(now)
            elif new_check or (changed and now - self.last_line_at >= self.log_every):
                self._draw(now)

    def _line(self, now: float) -> str:
        bar = "#" * int(self.fraction * 20)
        elapsed = now - self.check_started
        clock = f"  {elapsed:.0f} s" if elapsed >= 1 else ""
        return f"[{bar:<20}] {self.fraction * 100:3.0f}%  {self.step}{clock}"

    def _draw(self, now: float) -> None:
        line = self._line(now)
        if self.live:
            self.stream.write(f"\r{line[:100]:<100}")
        elif line != self.last_line:
            self.stream.write(line + "\n")
        self.last_line, self.last_line_at = line, now
        self.stream.flush()

    def _tick(self) -> None:
        while not self.stopped.wait(1.0):
            with self.lock:
                if self.step:
                    self._draw(self.clock())

    def close(self) -> None:
        self.stopped.set()
        if self.timer is not None:
            self.timer.join(timeout=2)
        if self.live:
            self.stream.write("\n")


def _pairs(option: str, pairs: list[str], example: str) -> dict[str, str]:
    parsed = {}
    for pair in pairs:
        name, sep, value = pair.rpartition("=")
        if not sep or not name.strip():
            raise InputError(f"The {option} value '{pair}' is not NAME=VALUE; write it like {option} {example}.")
        parsed[name.strip()] = value.strip()
    return parsed


def _thresholds(pairs: list[str]) -> Thresholds:
    overrides = _pairs("--threshold", pairs, "missing_warning=0.4")
    try:
        return Thresholds().with_overrides(overrides)
    except ValueError as error:
        raise InputError(f"The --threshold option is wrong: {error}.") from None


def _assess(args: argparse.Namespace) -> int:
    if args.fail_under is not None and not 0 <= args.fail_under <= 100:
        raise InputError("--fail-under must be a score between 0 and 100.")
    if not (math.isfinite(args.latency_target_ms) and args.latency_target_ms > 0):
        raise InputError("--latency-target-ms must be a positive number of milliseconds.")
    if args.daily_predictions is not None and args.daily_predictions <= 0:
        raise InputError("--daily-predictions must be a positive number of predictions a day.")
    if args.threads is not None and args.threads < 1:
        raise InputError("--threads must be a whole number of threads, 1 or more.")
    _check_seed(args.seed)
    threads.configured_threads(args.threads)  # a wrong MLREADY_THREADS is said here, before any work
    _check_output_folders(("--json", args.json_path), ("--pdf", args.pdf_path))
    practices = load_answers(args.practices) if args.practices else None
    settings = Settings(seed=args.seed, latency_target_ms=args.latency_target_ms,
                        daily_predictions=args.daily_predictions, thresholds=_thresholds(args.threshold),
                        measurement_error=_errors(args.measurement_error), threads=args.threads)
    ctx = build_context(args.data, args.target, test=args.test, new_data=args.new_data, model=args.model,
                        task=args.task, positive_class=args.positive_class, sensitive=args.sensitive,
                        settings=settings, allow_pickle=args.allow_pickle,
                        column_types=_pairs("--column-type", args.column_type, "amount=number"), practices=practices,
                        favourable_outcome=args.favourable_outcome)
    unknown = [c for c in settings.measurement_error if c not in ctx.features]
    if unknown:
        raise InputError(f"The --measurement-error column '{unknown[0]}' is not an input column; check its spelling.")
    not_numbers = [c for c in settings.measurement_error if ctx.column_types.get(c) != "number"]
    if not_numbers:
        raise InputError(f"The --measurement-error column '{not_numbers[0]}' is not a number column (it is read as "
                         f"{ctx.column_types.get(not_numbers[0])}); give a measurement error only for number columns.")
    progress = _Progress()
    try:
        assessment = assessment_from_context(ctx, progress)
    finally:
        progress.close()
    if args.json_path:
        _write("--json", args.json_path, lambda: assessment.write_json(args.json_path))
    if args.pdf_path:
        pdf = assessment.to_pdf()
        _write("--pdf", args.pdf_path, lambda: Path(args.pdf_path).write_bytes(pdf))
    sys.stderr.write(f"mlready: {VERDICT_TEXT[assessment.verdict]} (score {assessment.score}/100)\n")
    if args.fail_under is not None and assessment.score < args.fail_under:
        return EXIT_BELOW
    return EXIT_OK


def _errors(pairs: list[str]) -> dict[str, float]:
    errors = {}
    for column, value in _pairs("--measurement-error", pairs, "income=500").items():
        try:
            errors[column] = float(value)
        except ValueError:
            errors[column] = float("nan")
        if not (math.isfinite(errors[column]) and errors[column] > 0):
            raise InputError(f"The --measurement-error for '{column}' must be a positive number in the column's "
                             f"units, not '{value}'.")
    return errors


def _explain(args: argparse.Namespace) -> int:
    from .counterfactual import COUNTERFACTUAL_METHOD_NOTE, explain_decision

    _check_seed(args.seed)
    ctx = build_context(args.data, args.target, test=args.test, model=args.model, task=args.task,
                        positive_class=args.positive_class, sensitive=args.sensitive, settings=Settings(seed=args.seed),
                        allow_pickle=args.allow_pickle,
                        column_types=_pairs("--column-type", args.column_type, "amount=number"))
    decision = explain_decision(ctx, args.case, args.fixed)
    lines = [f"Case: {decision.case}", decision.prediction, "", "Principal reasons:", *decision.reasons]
    if decision.counterfactual:
        lines += ["", "What would change it:", decision.counterfactual, "", COUNTERFACTUAL_METHOD_NOTE,
                  "Never changed: " + (", ".join(decision.fixed) if decision.fixed else "no column") + "."]
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _practices() -> int:
    sys.stdout.write(practices_listing())
    return EXIT_OK


def _check_seed(seed: int) -> None:
    if not 0 <= seed <= 2**32 - 1:
        raise InputError(f"--seed must be a whole number from 0 to {2**32 - 1}, not {seed}.")


def _check_output_folders(*outputs: tuple[str, str | None]) -> None:
    """Before any work: each output path names a file that can be written (its folder exists and is writable, and
    it is not itself a folder or a read-only file)."""
    given = [(option, Path(path).resolve()) for option, path in outputs if path]
    if len(given) == 2 and given[0][1] == given[1][1]:
        raise InputError(f"{given[0][0]} and {given[1][0]} name the same file '{outputs[0][1]}'; give each its own "
                         "file, such as 'assessment.json' and 'scorecard.pdf'.")
    for option, path in outputs:
        if not path:
            continue
        target = Path(path)
        if not target.resolve().parent.is_dir():
            raise InputError(f"The folder for {option} '{path}' does not exist; create it or choose another path.")
        if target.is_dir():
            raise InputError(f"The {option} path '{path}' is a folder; give a file name, such as "
                             f"'{target / ('assessment' + ('.json' if option == '--json' else '.pdf'))}'.")
        if (target.exists() and not os.access(target, os.W_OK)) or \
                (not target.exists() and not os.access(target.resolve().parent, os.W_OK)):
            raise InputError(f"The {option} file '{path}' cannot be written (no permission); choose another path.")


def _write(option: str, path: str, write) -> None:
    """Run `write`; a failure of the disk or file system (full, removed, no permission) becomes one sentence."""
    try:
        write()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"The {option} file '{path}' could not be written ({reason}); free some space or choose "
                         "another path.") from None


def _render(args: argparse.Namespace) -> int:
    _check_output_folders(("--pdf", args.pdf_path))
    path = Path(args.assessment)
    if not path.is_file():
        raise InputError(f"The assessment file '{path}' does not exist; check the path.")
    not_assessment = InputError(f"'{path}' is not an assessment written by 'mlready assess --json'.")
    try:
        text = path.read_text(encoding="utf-8")
        is_object = isinstance(json.loads(text), dict)  # a list or a number is no assessment
        assessment = Assessment.from_json(text) if is_object else None
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, json.JSONDecodeError):
        raise not_assessment from None
    if assessment is None:
        raise not_assessment
    pdf = assessment.to_pdf()
    _write("--pdf", args.pdf_path, lambda: Path(args.pdf_path).write_bytes(pdf))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (0 assessed, 1 below --fail-under, 2 wrong input)."""
    try:
        args = _parser().parse_args(argv)
        with quiet_libraries():  # library warnings never reach the terminal; findings and notes say what matters
            if args.command == "practices":
                return _practices()
            if args.command == "explain":
                return _explain(args)
            return _assess(args) if args.command == "assess" else _render(args)
    except InputError as error:
        sys.stderr.write(f"mlready: {error}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("mlready: stopped.\n")
        return EXIT_INTERNAL
    except Exception as error:  # noqa: BLE001 - a bug should still end with one readable line
        detail = str(error).splitlines()[0][:200] if str(error) else ""
        sys.stderr.write(f"mlready: stopped unexpectedly ({type(error).__name__}: {detail}); "
                         "please report this with the command you ran.\n")
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
