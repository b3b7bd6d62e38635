"""`submit(exercise, function)` sends a module that rebuilds the function, or refuses before sending anything.

Each student module is written to a file and imported, as a notebook or a file of theirs defines it; the
module sent is compared word for word, then run alone and called as the server would call it.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
import types
from collections.abc import Callable

import numpy as np
import pytest

from gradegrad_client.notebook import UnsendableFunction, function_source

X = np.array([-1.5, 0.0, 2.0])


@pytest.fixture
def student(tmp_path, monkeypatch) -> Callable[[str], types.ModuleType]:
    """Import a student's module from its source (registered, as Python needs it to find a class's source)."""
    def load(source: str) -> types.ModuleType:
        path = tmp_path / "student_answer.py"
        path.write_text(textwrap.dedent(source))
        spec = importlib.util.spec_from_file_location("student_answer", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, "student_answer", module)
        spec.loader.exec_module(module)
        return module
    return load


def run_alone(source: str, exercise: str) -> np.ndarray:
    """Run the module sent in a fresh namespace and call the exercise's function on X, as the server does."""
    namespace: dict[str, object] = {}
    exec(compile(source, "<sent>", "exec"), namespace)
    function = namespace[exercise]
    assert callable(function)
    return np.asarray(function(X.copy()))


def test_a_class_is_sent_with_what_its_methods_and_base_class_use(student):
    module = student("""
        import numpy as np


        class Scaled:
            def __init__(self, scale):
                self.scale = scale

            @property
            def half(self):
                return np.divide(self.scale, 2)


        class Quartic(Scaled):
            @staticmethod
            def cube(x):
                return np.power(x, 3)

            def grad(self, x):
                return 2 * self.half * 4 * self.cube(x)


        def quartic_grad(x):
            return Quartic(2.0).grad(x)
        """)
    sent = function_source(module.quartic_grad, "quartic_grad")
    assert sent == textwrap.dedent('''\
        import numpy as np


        class Scaled:
            def __init__(self, scale):
                self.scale = scale

            @property
            def half(self):
                return np.divide(self.scale, 2)


        class Quartic(Scaled):
            @staticmethod
            def cube(x):
                return np.power(x, 3)

            def grad(self, x):
                return 2 * self.half * 4 * self.cube(x)


        def quartic_grad(x):
            return Quartic(2.0).grad(x)
        ''')
    np.testing.assert_array_equal(run_alone(sent, "quartic_grad"), module.quartic_grad(X))


def test_a_closure_is_refused_naming_its_free_variables(student):
    module = student("""
        def make(p):
            def grad(x):
                return p * x ** (p - 1)
            return grad


        power_grad = make(3)
        """)
    with pytest.raises(UnsendableFunction) as refused:
        function_source(module.power_grad, "power_grad")
    assert str(refused.value) == (
        "grad uses p from the function that made it (a closure), which cannot be sent: define grad at the top "
        "level of your notebook or module, with p as arguments or globals")


def test_a_function_defined_inside_another_is_refused(student):
    module = student("""
        def make():
            def grad(x, p=3):
                return p * x ** (p - 1)
            return grad


        power_grad = make()
        """)
    with pytest.raises(UnsendableFunction) as refused:
        function_source(module.power_grad, "power_grad")
    assert str(refused.value) == ("grad is defined inside make, so it cannot be sent alone: "
                                  "define it at the top level of your notebook or module")


def test_a_decorated_function_is_sent_with_its_decorator(student):
    module = student("""
        import functools

        import numpy as np


        def logged(function):
            @functools.wraps(function)
            def wrapper(*args):
                return function(*args)
            return wrapper


        @logged
        def cube_grad(x):
            return 3 * np.square(x)
        """)
    sent = function_source(module.cube_grad, "cube_grad")
    assert sent == textwrap.dedent('''\
        import functools
        import numpy as np


        def logged(function):
            @functools.wraps(function)
            def wrapper(*args):
                return function(*args)
            return wrapper


        @logged
        def cube_grad(x):
            return 3 * np.square(x)
        ''')
    np.testing.assert_array_equal(run_alone(sent, "cube_grad"), module.cube_grad(X))


def test_annotations_bring_their_imports(student):
    module = student("""
        import numpy as np


        def cube_grad(x: np.ndarray) -> np.ndarray:
            return 3 * x**2
        """)
    sent = function_source(module.cube_grad, "cube_grad")
    assert sent == "import numpy as np\n\n\ndef cube_grad(x: np.ndarray) -> np.ndarray:\n    return 3 * x**2\n"
    np.testing.assert_array_equal(run_alone(sent, "cube_grad"), module.cube_grad(X))


def test_postponed_annotations_stay_postponed(student):
    module = student("""
        from __future__ import annotations

        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from numpy.typing import NDArray


        def cube_grad(x: NDArray) -> NDArray:
            return 3 * x**2
        """)
    sent = function_source(module.cube_grad, "cube_grad")
    assert sent == ("from __future__ import annotations\n\n\n"
                    "def cube_grad(x: NDArray) -> NDArray:\n    return 3 * x**2\n")
    np.testing.assert_array_equal(run_alone(sent, "cube_grad"), module.cube_grad(X))


def test_a_default_value_from_a_global_is_sent(student):
    module = student("""
        POWER = 3


        def power_grad(x, p=POWER):
            return p * x ** (p - 1)
        """)
    sent = function_source(module.power_grad, "power_grad")
    assert sent == "POWER = 3\n\n\ndef power_grad(x, p=POWER):\n    return p * x ** (p - 1)\n"
    np.testing.assert_array_equal(run_alone(sent, "power_grad"), module.power_grad(X))


def test_a_function_named_otherwise_is_given_the_exercise_name(student):
    module = student("""
        def my_grad(x):
            return 4 * x**3
        """)
    sent = function_source(module.my_grad, "quartic_grad")
    assert sent == "def my_grad(x):\n    return 4 * x**3\n\nquartic_grad = my_grad\n"
    np.testing.assert_array_equal(run_alone(sent, "quartic_grad"), module.my_grad(X))


def test_an_alias_that_would_replace_a_global_the_function_uses_is_refused(student):
    module = student("""
        def cube(x):
            return x**3


        def my_grad(x):
            return 4 * cube(x)
        """)
    with pytest.raises(UnsendableFunction) as refused:
        function_source(module.my_grad, "cube")
    assert str(refused.value) == ("my_grad uses a global named 'cube', the exercise's own name: "
                                  "rename that global, or name your function cube")


def test_a_lambda_inside_an_expression_is_refused(student):
    module = student("""
        answers = {"cube_grad": lambda x: 3 * x**2}
        """)
    with pytest.raises(UnsendableFunction) as refused:
        function_source(module.answers["cube_grad"], "cube_grad")
    assert str(refused.value) == (
        "A lambda can be sent only when it is assigned to a name on a line of its own (`f = lambda x: ...`): "
        "define your function with def instead, and submit it")


def test_a_lambda_assigned_to_a_name_is_sent_under_the_exercise_name(student):
    module = student("""
        cube = lambda x: 3 * x**2  # noqa: E731
        """)
    sent = function_source(module.cube, "cube_grad")
    assert sent == "cube = lambda x: 3 * x**2  # noqa: E731\n\ncube_grad = cube\n"
    np.testing.assert_array_equal(run_alone(sent, "cube_grad"), module.cube(X))
