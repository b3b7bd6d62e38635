"""rnn_bptt's own tests: what truncated BPTT still gets right; its submissions are graded in test_submissions.py."""

from exercises import get_exercise
from grader.pipeline import grade
from tests.exercises.submissions import load

COLLECTION = load("rnn_bptt")


def test_truncated_bptt_passes_only_the_single_step_case():
    source, _ = COLLECTION.wrong["truncated BPTT"]
    report = grade(source, get_exercise("rnn_bptt"), seed=COLLECTION.seed)
    assert [c.name for c in report.cases if c.passed] == ["one step"]
