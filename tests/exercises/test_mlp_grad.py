"""mlp_grad's own tests: the labels of its slots; its submissions are graded in test_submissions.py."""

from exercises import get_exercise
from tests.exercises.submissions import load

EXERCISE = get_exercise("mlp_grad")
SEED = load("mlp_grad").seed


def test_labels_name_each_layer():
    case = EXERCISE.hidden_cases(SEED)[1]
    K = len(case.inputs["As"])
    assert [s.label for s in EXERCISE.slots(case)] == [f"dAs[{i}]" for i in range(K)] + [f"dbs[{i}]" for i in range(K)]
