"""The feedback report over the collection (bench/feedback.py) meets its goal on a few seeds: every verdict
right, at least nine wrong submissions in ten named, none misnamed. `bench/feedback.py --seeds 20` measures
the same over more seeds."""

from bench.feedback import NAMED_GOAL, measure, names_given
from exercises import CATALOGUE, get_exercise
from grader.pipeline import grade
from tests.exercises.submissions import load

SEEDS = (0, 1)


def test_every_verdict_is_right_and_every_wrong_submission_named_on_two_seeds():
    tallies = measure(SEEDS)
    assert [t.exercise for t in tallies] == list(CATALOGUE)
    assert [v for t in tallies for v in t.wrong_verdicts] == []
    assert [m for t in tallies for m in t.misnamed] == []
    named, wrong = sum(t.named for t in tallies), sum(t.wrong for t in tallies)
    assert wrong >= 2 * 70 and named / wrong >= NAMED_GOAL
    assert all(t.ok for t in tallies)


def test_a_report_that_names_two_mistakes_names_both():
    # the report counts a grading as misnamed when any hint names another mistake
    exercise = get_exercise("linreg_grad")
    source, _ = load("linreg_grad").wrong["swapped pair"]
    report = grade(source, get_exercise("linreg_grad"), seed=0)
    assert names_given("linreg_grad", report) == {"swapped (da, db)"}
    report.hints.append(exercise.mistake("missing 1/n").hint)
    report.hints.append("'da' and 'db' look swapped: return them in the order (da, db).")
    assert names_given("linreg_grad", report) == {"swapped (da, db)", "missing 1/n", "swapped outputs"}
