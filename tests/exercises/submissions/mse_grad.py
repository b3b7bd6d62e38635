"""mse_grad: correct submissions in several forms, and the known slips with the mistake each must be told."""

SEED = 3

CORRECT = {
    "vectorised": """
        def mse_grad(y_hat, y):
            return 2 * (y_hat - y) / len(y)
    """,
    "python loop over math floats": """
        def mse_grad(y_hat, y):
            n = len(y)
            return [2.0 * (float(p) - float(t)) / n for p, t in zip(y_hat, y)]
    """,
    "float32 result": """
        import numpy as np

        def mse_grad(y_hat, y):
            return (2.0 * (y_hat - y) / y.size).astype(np.float32)
    """,
    "derivative of -(y - y_hat)^2 with np.mean weights": """
        import numpy as np

        def mse_grad(y_hat, y):
            weights = np.full_like(y, 1.0 / y.shape[0])
            return -2.0 * (y - y_hat) * weights
    """,
    "einsum with an identity Jacobian": """
        import numpy as np

        def mse_grad(y_hat, y):
            n = y.shape[0]
            return np.einsum("ij,j->i", np.eye(n), y_hat - y) * (2.0 / n)
    """,
}

WRONG = {
    "missing factor 2": ("""
        def mse_grad(y_hat, y):
            return (y_hat - y) / len(y)
    """, "missing factor 2"),
    "missing 1/n": ("""
        def mse_grad(y_hat, y):
            return 2 * (y_hat - y)
    """, "missing 1/n"),
    "the prediction alone": ("""
        def mse_grad(y_hat, y):
            return 2 * y_hat / len(y)
    """, "forgot to subtract the target"),
    "y - y_hat": ("""
        def mse_grad(y_hat, y):
            return 2 * (y - y_hat) / len(y)
    """, "flipped sign"),
    "a return inside the loop": ("""
        import numpy as np

        def mse_grad(y_hat, y):
            grad = np.zeros_like(y_hat)
            for i in range(len(y)):
                grad[i] = 2 * (y_hat[i] - y[i]) / len(y)
                return grad
    """, "one sample only"),
    "the gradient of the RMSE": ("""
        import numpy as np

        def mse_grad(y_hat, y):
            err = y_hat - y
            rmse = np.sqrt(np.mean(err ** 2))
            return err / (len(y) * rmse)
    """, "gradient of the root-mean-square error"),
    "an integer buffer filled in a loop": ("""
        import numpy as np

        def mse_grad(y_hat, y):
            grad = np.zeros(len(y), dtype=int)
            for i in range(len(y)):
                grad[i] = 2 * (y_hat[i] - y[i]) / len(y)
            return grad
    """, "integer buffer"),
    "divided by n - 1": ("""
        def mse_grad(y_hat, y):
            return 2 * (y_hat - y) / (len(y) - 1)
    """, "divided by n - 1"),
    "the mean of the gradient everywhere": ("""
        import numpy as np

        def mse_grad(y_hat, y):
            return np.ones_like(y_hat) * np.mean(2 * (y_hat - y))
    """, "averaged the gradient"),
    "the squared errors": ("""
        def mse_grad(y_hat, y):
            return (y - y_hat) ** 2 / len(y)
    """, "returned the loss terms"),
}
