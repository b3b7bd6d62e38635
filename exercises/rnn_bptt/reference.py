"""A tanh recurrent network's summed cross-entropy, and its gradients by back-propagation through time."""

from collections.abc import Callable

import numpy as np

from exercises.common import log_softmax, one_hot, softmax

Grads = dict[str, np.ndarray]
StepResult = tuple[np.ndarray, np.ndarray, np.ndarray]
Step = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], StepResult]


def forward(x: np.ndarray, h0: np.ndarray, U: np.ndarray, W: np.ndarray, V: np.ndarray, b: np.ndarray,
            c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hidden states h_0..h_T, shape (T + 1, H), and the outputs o_1..o_T, shape (T, C)."""
    states = [h0]
    for x_t in x:
        states.append(np.tanh(b + W @ states[-1] + U @ x_t))
    hs = np.array(states)
    return hs, hs[1:] @ V.T + c


def loss(x: np.ndarray, y: np.ndarray, h0: np.ndarray, U: np.ndarray, W: np.ndarray, V: np.ndarray,
         b: np.ndarray, c: np.ndarray) -> float:
    _, o = forward(x, h0, U, W, V, b, c)
    return float(-np.sum(log_softmax(o)[np.arange(len(y)), y]))


def backward(x: np.ndarray, y: np.ndarray, h0: np.ndarray, U: np.ndarray, W: np.ndarray, V: np.ndarray,
             b: np.ndarray, c: np.ndarray, step: Step) -> Grads:
    """Walk the sequence backwards, applying ``step`` at each time step.

    ``step(dh, h_t, h_prev, W)`` turns dL/dh_t into (dL/da_t, the step's term of dL/dW, the
    gradient passed on to h_{t-1}); the named mistakes swap in their own step.
    """
    hs, o = forward(x, h0, U, W, V, b, c)
    do = softmax(o) - one_hot(y, V.shape[0])
    grads = {"U": np.zeros_like(U), "W": np.zeros_like(W), "V": do.T @ hs[1:], "b": np.zeros_like(b),
             "c": do.sum(axis=0)}
    dh_next = np.zeros_like(h0)
    for t in range(len(x) - 1, -1, -1):
        da, dW_t, dh_next = step(V.T @ do[t] + dh_next, hs[t + 1], hs[t], W)
        grads["W"] += dW_t
        grads["U"] += np.outer(da, x[t])
        grads["b"] += da
    return grads


def exact_step(dh: np.ndarray, h: np.ndarray, h_prev: np.ndarray, W: np.ndarray) -> StepResult:
    """One step of true BPTT: through tanh, into W, and back to h_{t-1}."""
    da = dh * (1.0 - h**2)
    return da, np.outer(da, h_prev), W.T @ da


def gradient(x: np.ndarray, y: np.ndarray, h0: np.ndarray, U: np.ndarray, W: np.ndarray, V: np.ndarray,
             b: np.ndarray, c: np.ndarray) -> Grads:
    return backward(x, y, h0, U, W, V, b, c, exact_step)
