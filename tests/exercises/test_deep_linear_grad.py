"""deep_linear_grad's own tests: a transposed answer; its submissions are graded in test_submissions.py."""

from exercises import get_exercise
from grader.pipeline import grade
from tests.exercises.submissions import load

EXERCISE = get_exercise("deep_linear_grad")
COLLECTION = load("deep_linear_grad")
MATMUL = COLLECTION.correct["matrix products"]


def test_transposed_dw2_gets_a_shape_message():
    source = MATMUL.replace("h1.T @ dh2", "dh2.T @ h1")
    assert source != MATMUL
    report = grade(source, get_exercise("deep_linear_grad"), seed=COLLECTION.seed)
    case = {c.name: c for c in report.cases}["all widths different"]
    assert case.kind == "shape"
    assert "'dw2' has the wrong shape: got (2, 3), expected (3, 2) (it looks transposed)" in case.message
    assert case.hint == EXERCISE.mistake("dw2 transposed").hint
