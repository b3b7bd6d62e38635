import numpy as np


def mse_grad(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dL/dy_hat for L = mean((y - y_hat)**2).

    Only the i-th term of the sum holds y_hat[i]; its derivative is 2 (y_hat[i] - y[i]), and the mean
    divides every entry by n.
    """
    n = y.shape[0]
    return 2.0 * (y_hat - y) / n
