"""Every exercise of the catalogue graded end to end over its collection of submissions (tests/exercises/submissions):
the right ones pass with score 1, the wrong ones fail with their mistake's hint (a bank mistake's, or a generic
detection's) and show no hidden value."""

import pytest

from exercises import CATALOGUE, get_exercise
from grader.checks import leaked_expected_values
from grader.feedback import DETECTION_MARKS, detection_named
from grader.pipeline import grade
from tests.exercises.submissions import Submission, collected, load, submissions

# An exercise without a collection is reported by test_every_exercise_has_a_collection, not by a collection error.
COLLECTIONS = {name: load(name) for name in CATALOGUE if name in collected()}
RIGHT = [s for s in submissions(COLLECTIONS) if s.mistake is None]
WRONG = [s for s in submissions(COLLECTIONS) if s.mistake is not None]


def submission_id(submission: Submission) -> str:
    return f"{submission.exercise}-{submission.label}"


@pytest.mark.parametrize("exercise", CATALOGUE)
def test_every_exercise_has_a_collection(exercise):
    assert exercise in collected(), f"no tests/exercises/submissions/{exercise}.py"
    collection = COLLECTIONS[exercise]
    assert len(collection.correct) >= 5
    assert len(collection.wrong) >= 2
    bank = {mistake.name for mistake in get_exercise(exercise).mistakes}
    assert {mistake for _, mistake in collection.wrong.values()} <= bank | set(DETECTION_MARKS)


def test_every_collection_is_of_an_exercise_of_the_catalogue():
    assert set(collected()) <= set(CATALOGUE)


@pytest.mark.parametrize("exercise", COLLECTIONS)
def test_sources_of_a_collection_all_differ(exercise):
    """A mutation whose text is not found leaves the source it mutates unchanged: that must not go unseen."""
    labels_by_source: dict[str, list[str]] = {}
    for submission in COLLECTIONS[exercise].submissions():
        labels_by_source.setdefault(submission.source, []).append(submission.label)
    assert [labels for labels in labels_by_source.values() if len(labels) > 1] == []


@pytest.mark.parametrize("submission", RIGHT, ids=submission_id)
def test_correct_implementation_passes(submission):
    report = grade(submission.source, get_exercise(submission.exercise), seed=COLLECTIONS[submission.exercise].seed)
    assert report.error is None
    assert (report.score, report.passed) == (1.0, True)


@pytest.mark.parametrize("submission", WRONG, ids=submission_id)
def test_wrong_implementation_fails_with_its_hint_and_no_hidden_values(submission):
    exercise = get_exercise(submission.exercise)
    report = grade(submission.source, get_exercise(submission.exercise), seed=COLLECTIONS[submission.exercise].seed)
    assert not report.passed and report.score < 1.0
    if submission.mistake in DETECTION_MARKS:
        assert [detection_named(hint) for hint in report.hints] == [submission.mistake]
    else:
        assert exercise.mistake(submission.mistake).hint in report.hints
    assert leaked_expected_values(exercise, report) == []
