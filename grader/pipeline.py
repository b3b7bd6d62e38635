"""Grade a submission: run it in the jail on the hidden cases, compare, explain.

Imports neither Flask nor Celery; the worker and the command line both call ``grade``.
"""

from __future__ import annotations

import builtins
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from grader.compare import compare
from grader.exercise import Case, Exercise
from grader.feedback import Answered, describe, explain_together, mutation_message
from grader.report import CaseReport, CheckReport, GradeReport, PublicView, SampleReport
from grader.sandbox import default_runner
from grader.sandbox.limits import DEFAULT_LIMITS, Limits
from grader.sandbox.outcome import JailResult, Runner
from grader.sandbox.protocol import CaseRun, Job, JobCase
from grader.tolerances import tolerance_for

MiB = 1024 * 1024
# How a graded run that is not run again on the samples ended: stopped by the wall clock or the CPU limit.
TIME_STOPS = frozenset({"timeout", "cpu"})
# The exception classes a hidden case's verdict may name to a student: Python's and numpy's own.
KNOWN_EXCEPTIONS = frozenset(
    name for module in (builtins, np, np.linalg, getattr(np, "exceptions", None)) if module
    for name, value in vars(module).items() if isinstance(value, type) and issubclass(value, BaseException)
)


def grade(source: str, exercise: Exercise, seed: int = 0, *, case_key: bytes | None = None,
          runner: Runner | None = None, limits: Limits | None = None, notes: Sequence[str] = ()) -> GradeReport:
    """Grade ``source`` against the exercise's hidden suite for ``seed`` (keyed by the deployment's
    ``case_key`` in the service; see Exercise.hidden_cases).

    ``notes`` say what of the upload ``source`` was made from is not graded, and why (the
    ``Program.notes`` of grader.submission.read_submission); the report carries them.

    Raises SandboxUnavailable, and grades nothing, when this host cannot isolate the
    submission: that is the grader's fault, never a result the student is charged for.

    The score is the fraction of hidden cases passed. The public sample cases run too and
    are reported apart, with their values, since those are public. ``hidden_output`` is what
    the code printed in the graded run, hidden cases included, for instructors only;
    ``output``, which the student sees, is what it prints on the public samples alone.

    Likewise the graded run's error, samples and cases keep what the code wrote (its
    exceptions' messages and tracebacks, its answers to the samples) for instructors, and
    ``public`` holds what the student sees instead (see PublicView and samples_alone).
    """
    limits = limits or DEFAULT_LIMITS
    runner = runner or default_runner()
    hidden = exercise.hidden_cases(seed, case_key)
    samples = list(exercise.public_cases)
    run = run_cases(runner, source, exercise, samples + hidden, limits)
    runs = {case.name: case for case in run.reply.cases}
    error = submission_error(exercise, run, limits)
    tol = tolerance_for(exercise.name)

    case_reports = [judge_case(exercise, case, runs.get(case.name), tol, error) for case in hidden]
    sample_reports = [judge_sample(exercise, case, runs.get(case.name), tol, error) for case in samples]
    explain_together(exercise, *answered_cases(exercise, samples + hidden, runs, sample_reports + case_reports, tol),
                     tol)
    fail_mutated(exercise, samples + hidden, runs, [*sample_reports, *case_reports])
    error = error or common_failure(case_reports)
    passed_count = sum(report.passed for report in case_reports)
    score = passed_count / len(case_reports) if case_reports else 0.0
    hints = list(dict.fromkeys(r.hint for r in case_reports + sample_reports if r.hint))
    printed = run.stdout + run.stderr
    shown = wrote_text(run) or not all(sample.passed for sample in sample_reports)
    public_run = samples_alone(runner, source, exercise, limits) if shown and run.status not in TIME_STOPS else None
    return GradeReport(
        exercise=exercise.name, score=score, passed=error is None and passed_count == len(case_reports),
        cases=case_reports, error=error, hints=hints, samples=sample_reports,
        output=public_run.stdout + public_run.stderr if public_run else "",
        hidden_output=printed, seed=seed, notes=list(notes),
        public=public_view(exercise, source, run, public_run, case_reports, limits) if shown else None,
    )


def samples_alone(runner: Runner, source: str, exercise: Exercise, limits: Limits) -> JailResult:
    """A run of the public samples alone: where everything a student sees the code produce comes from.

    The graded run's products cannot be cut into a public and a hidden part: its process holds
    every hidden input from the start, so code that looks for them (in the harness's frames,
    say) finds them while a sample runs or while the file loads, and can write them into what
    it prints, raises or answers (a failing sample's answer is shown back). This run holds the
    samples' inputs and nothing else. It is made only when a student would see something of
    the code's from the graded run (``shown`` in grade): text, or a sample that did not pass;
    it costs about what the graded run does (two small cases against ten, plus the file's
    load). A passing sample's answer is not shown to a student (the public view
    shows the expected answer it matched), so a submission that passes every sample and writes
    nothing is run once. Nor is it made after a graded run stopped by a time limit
    (TIME_STOPS): that would double what a submission that sleeps or spins costs the worker;
    the student then sees the samples not run, with that limit's message.
    """
    return run_cases(runner, source, exercise, list(exercise.public_cases), limits)


def check_samples(source: str, exercise: Exercise, *, runner: Runner | None = None,
                  limits: Limits | None = None) -> CheckReport:
    """Run ``source`` on the public samples alone, as a student's check before spending an attempt.

    The same run as ``samples_alone`` (its process never holds a hidden input), judged as a
    graded run's samples are; nothing hidden is generated, so the deployment's case key is not
    needed. Raises SandboxUnavailable as ``grade`` does.
    """
    limits = limits or DEFAULT_LIMITS
    run = samples_alone(runner or default_runner(), source, exercise, limits)
    samples, runs = list(exercise.public_cases), {case.name: case for case in run.reply.cases}
    tol, error = tolerance_for(exercise.name), submission_error(exercise, run, limits)
    reports = [judge_sample(exercise, case, runs.get(case.name), tol, error) for case in samples]
    explain_together(exercise, *answered_cases(exercise, samples, runs, reports, tol), tol)
    fail_mutated(exercise, samples, runs, reports)
    return CheckReport(exercise=exercise.name, passed=error is None and all(r.passed for r in reports),
                       samples=reports, error=error, output=run.stdout + run.stderr)


def wrote_text(run: JailResult) -> bool:
    """Whether the graded run's result holds text the submission wrote: what it printed, an
    exception, a load problem (which quotes its function's type or signature), or an answer
    that is no array (which quotes the type or dtype it was)."""
    return bool(run.stdout or run.stderr or run.reply.load_error is not None
                or any(case.status == "exception" or any(isinstance(a, dict) for a in case.answers)
                       for case in run.reply.cases))


def public_view(exercise: Exercise, source: str, run: JailResult, public_run: JailResult | None,
                cases: list[CaseReport], limits: Limits) -> PublicView:
    """The student's view: samples and load error from ``public_run`` (the samples alone, None
    when not made), the graded run's limits in the grader's own words, hidden cases without the
    code's text."""
    samples = list(exercise.public_cases)
    runs = {case.name: case for case in public_run.reply.cases} if public_run else {}
    tol = tolerance_for(exercise.name)
    error = public_error(exercise, source, run, public_run, limits)
    sample_reports = [judge_sample(exercise, case, runs.get(case.name), tol, error) for case in samples]
    explain_together(exercise, *answered_cases(exercise, samples, runs, sample_reports, tol), tol)
    fail_mutated(exercise, samples, runs, sample_reports)
    raw = {case.name: case for case in run.reply.cases}
    public_cases = [public_case(source, case, raw.get(case.name), error) for case in cases]
    error = error or common_failure(public_cases)
    return PublicView(error=error, samples=sample_reports,
                      cases=[{"name": c.name, "message": c.message, "traceback": c.traceback} for c in public_cases])


def public_error(exercise: Exercise, source: str, run: JailResult, public_run: JailResult | None,
                 limits: Limits) -> str | None:
    """The graded run's error as a student may read it.

    A load problem is the samples-only run's. One that run does not repeat (code that fails
    to load only when hidden inputs are there) is named as a hidden case's exception is.
    """
    load = run.reply.load_error
    if load is None:
        return submission_error(exercise, run, limits)
    if public_run is not None and public_run.reply.load_error is not None:
        return submission_error(exercise, public_run, limits)
    if load.get("kind") == "exception":
        return f"The code raised {exception_phrase(source, load.get('known'), load.get('line'))} while loading"
    return "The submission could not be loaded"


def public_case(source: str, report: CaseReport, run: CaseRun | None, error: str | None) -> CaseReport:
    """A hidden case as a student sees it: no text the student's code wrote in the graded run."""
    if report.kind == "not_run":
        return CaseReport(report.name, False, f"Not run: {error or 'the submission stopped before this case'}",
                          kind="not_run")
    if report.kind == "exception" and run is not None:
        return CaseReport(report.name, False, f"Raised {exception_phrase(source, run.known, run.line)}",
                          kind="exception")
    if report.kind == "structure":
        return CaseReport(report.name, False, "The answer is not an array of numbers where one belongs",
                          kind="structure")
    return CaseReport(report.name, report.passed, report.message, kind=report.kind, hint=report.hint)


def exception_phrase(source: str, known: Any, line: Any) -> str:
    """"ValueError at line 3", or "an exception": only what the code cannot make say a hidden input.

    The class is named only if it is one of Python's or numpy's own (the harness checks by
    identity; its answer is checked again here against the same classes, outside the jail),
    and the line only if the file has it.
    """
    name = known if isinstance(known, str) and known in KNOWN_EXCEPTIONS else "an exception"
    lines = source.count("\n") + 1
    return name + (f" at line {line} of your code" if isinstance(line, int) and 1 <= line <= lines else "")


def answered_cases(exercise: Exercise, cases: list[Case], runs: dict[str, CaseRun],
                   reports: list[Any], tol: Any) -> tuple[list[Answered], list[Any]]:
    """The cases the submission answered with arrays, beside their reports; cases that raised,
    did not run or answered something unreadable say nothing about a mistake's values."""
    answered, answered_reports = [], []
    for case, report in zip(cases, reports, strict=True):
        run = runs.get(case.name)
        if run is None or run.status == "exception":
            continue
        references = exercise.reference(case)
        comparisons = [compare(slot.label, answer, ref, tol)
                       for slot, answer, ref in zip(exercise.slots(case), run.answers, references, strict=True)]
        if any(c.status == "unreadable" for c in comparisons):
            continue
        answered.append(Answered(case, run.answers, references, comparisons))
        answered_reports.append(report)
    return answered, answered_reports


def fail_mutated(exercise: Exercise, cases: list[Case], runs: dict[str, CaseRun],
                 reports: Sequence[CaseReport | SampleReport]) -> None:
    """Fail every case whose call changed an argument in place, whatever its values: its message
    names the arguments, then says whether the answer is right (its words as judged on values)."""
    for case, report in zip(cases, reports, strict=True):
        run = runs.get(case.name)
        if run is None or not run.mutated:
            continue
        report.message = mutation_message(exercise, case, run.mutated, None if report.passed else report.message)
        report.passed = False
        if isinstance(report, CaseReport):
            report.kind = "mutated"


def run_cases(runner: Runner, source: str, exercise: Exercise, cases: list[Case], limits: Limits) -> JailResult:
    job = Job(source, exercise.name, exercise.params, [JobCase(c.name, c.inputs, exercise.slots(c)) for c in cases])
    return runner.run(job, limits)


def error_report(exercise: Exercise, seed: int, error: str, case_key: bytes | None = None) -> GradeReport:
    """A report for a submission that could not even be run, every hidden case not run."""
    cases = [CaseReport(c.name, False, f"Not run: {error}", kind="not_run")
             for c in exercise.hidden_cases(seed, case_key)]
    return GradeReport(exercise=exercise.name, score=0.0, passed=False, cases=cases, error=error, seed=seed)


def judge_case(exercise: Exercise, case: Case, run: CaseRun | None, tol: Any, error: str | None) -> CaseReport:
    if run is None:
        reason = error or "the submission stopped before this case"
        return CaseReport(case.name, False, f"Not run: {reason}", kind="not_run")
    if run.status == "exception":
        last = (run.traceback or run.exception or "").strip().splitlines()[-1:] or ["an exception"]
        return CaseReport(case.name, False, f"Raised {last[0]}", kind="exception", traceback=run.traceback)
    references = exercise.reference(case)
    comparisons = [compare(slot.label, answer, ref, tol)
                   for slot, answer, ref in zip(exercise.slots(case), run.answers, references, strict=True)]
    if all(c.right for c in comparisons):
        return CaseReport(case.name, True, "Right")
    message, hint = describe(exercise, case, run.answers, references, comparisons, tol)
    kind = next(c.status for c in comparisons if not c.right)
    return CaseReport(case.name, False, message, kind="structure" if kind == "unreadable" else kind, hint=hint)


def judge_sample(exercise: Exercise, case: Case, run: CaseRun | None, tol: Any,
                 error: str | None) -> SampleReport:
    """A sample case reported with its inputs, expected and received values."""
    report = judge_case(exercise, case, run, tol, error)
    labels = [slot.label for slot in exercise.slots(case)]
    answers = run.answers if run else []
    return SampleReport(
        name=case.name, passed=report.passed, message=report.message, hint=report.hint,
        inputs={k: to_plain(v) for k, v in case.inputs.items()},
        expected={label: r.tolist() for label, r in zip(labels, exercise.reference(case), strict=True)},
        got={label: a.tolist() if isinstance(a, np.ndarray) else None
             for label, a in zip(labels, answers, strict=False)},  # no answers when the case did not run
        traceback=report.traceback,
    )


def submission_error(exercise: Exercise, run: JailResult, limits: Limits) -> str | None:
    """A one-line message when the submission as a whole could not be graded."""
    load = run.reply.load_error
    if load is not None:
        return load_error_message(exercise, load)
    if any(case.exception == "MemoryError" for case in run.reply.cases):
        return f"Memory limit: the submission tried to use more than {limits.memory_bytes // MiB} MiB"
    if run.status in ("timeout", "cpu") and not run.reply.loaded:
        spent = f"{limits.wall_seconds:g} s" if run.status == "timeout" else f"{limits.cpu_seconds:g} s of CPU"
        return (f"Time limit: the file did not finish loading (compiling it and running its top-level code) "
                f"within {spent}")
    return {
        "timeout": f"Time limit: the submission ran for more than {limits.wall_seconds:g} s",
        "cpu": f"CPU time limit: the submission used more than {limits.cpu_seconds:g} s of CPU",
        "output": f"Too much output: the submission printed more than {limits.output_bytes // 1024} KiB",
        "signal": f"The submission crashed: killed by {run.signal}",
        "exited": "The submission exited before answering every case (os._exit or a crash?)",
        "protocol": f"The submission's answers could not be read: {run.detail}",
    }.get(run.status)


def load_error_message(exercise: Exercise, load: dict[str, Any]) -> str:
    kind, params = load.get("kind"), ", ".join(exercise.params)
    if kind == "syntax":
        where = f" (line {load.get('line')}, column {load.get('column')})" if load.get("line") else ""
        return f"SyntaxError: {load.get('message')}{where}"
    if kind == "missing":
        return f"No function named '{exercise.name}' is defined; define {exercise.signature}"
    if kind == "not_callable":
        return f"'{exercise.name}' is defined but is a {load.get('got')}, not a function"
    if kind == "signature":
        return f"'{exercise.name}' must take the parameters ({params}); yours is {load.get('got')}"
    if kind == "exception":
        last = str(load.get("traceback") or load.get("exception")).strip().splitlines()[-1:]
        return f"The code raised an exception while loading: {last[0] if last else load.get('exception')}"
    return "The submission could not be loaded"


def common_failure(cases: list[CaseReport]) -> str | None:
    """When every case raised, or answered no numbers, for one reason, say it once at the top."""
    if not cases or any(c.kind not in ("exception", "structure") for c in cases):
        return None
    (message, count), = Counter(c.message for c in cases).most_common(1)
    if count < len(cases):
        return None
    if cases[0].kind == "exception":
        return f"Every case {message[0].lower()}{message[1:]}"
    return f"The answers are not arrays of numbers: {message}"


def to_plain(value: Any) -> Any:
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value
