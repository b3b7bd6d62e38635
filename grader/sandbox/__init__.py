"""Running untrusted submissions: the code inside the jail and the runners around it."""

from grader.sandbox.jail import Runner


def default_runner() -> Runner:
    """The runner grading uses unless told otherwise."""
    from grader.sandbox.fresh import FreshInterpreterRunner

    return FreshInterpreterRunner()
