"""linreg_grad: scalar answers in any packing, and the known slips with the mistake each must be told."""

SEED = 5

CORRECT = {
    "vectorised means": """
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return 2 * np.mean(x * r), 2 * np.mean(r)
    """,
    "python loop returning a list of floats": """
        def linreg_grad(a, b, x, y):
            da = db = 0.0
            for xi, yi in zip(x.tolist(), y.tolist()):
                r = a * xi + b - yi
                da += 2 * r * xi
                db += 2 * r
            return [da / len(x), db / len(x)]
    """,
    "0-d arrays from np.dot": """
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            n = x.shape[0]
            return np.array(2.0 * np.dot(x, r) / n), np.array(2.0 * r.sum() / n)
    """,
    "design matrix": """
        import numpy as np

        def linreg_grad(a, b, x, y):
            X = np.stack([x, np.ones_like(x)], axis=1)
            grad = 2.0 / len(y) * X.T @ (X @ np.array([a, b]) - y)
            return tuple(grad)
    """,
    "the seed's dyda, dydb, then the mean, as float32": """
        import numpy as np

        def linreg_grad(a, b, x, y):
            y_pred = a * x + b
            dydb = 2 * (y_pred - y)
            dyda = x * dydb
            return np.float32(dyda.mean()), np.float32(dydb.mean())
    """,
}

WRONG = {
    "no mean: per-sample terms": ("""
        def linreg_grad(a, b, x, y):
            dydb = 2 * (a * x + b - y)
            return x * dydb / len(x), dydb / len(x)
    """, "per-sample terms returned"),
    "swapped pair": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return 2 * np.mean(r), 2 * np.mean(x * r)
    """, "swapped (da, db)"),
    "sum instead of mean": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return 2 * np.sum(x * r), 2 * np.sum(r)
    """, "missing 1/n"),
    "only the first sample": ("""
        def linreg_grad(a, b, x, y):
            r = a * x[0] + b - y[0]
            return 2 * x[0] * r, 2 * r
    """, "only the first sample"),
    "a return inside the loop": ("""
        def linreg_grad(a, b, x, y):
            n = len(x)
            da = db = 0.0
            for i in range(n):
                r = a * x[i] + b - y[i]
                da += 2 * x[i] * r / n
                db += 2 * r / n
                return da, db
    """, "one sample only"),
    "= where += belongs": ("""
        def linreg_grad(a, b, x, y):
            for xi, yi in zip(x, y):
                r = a * xi + b - yi
                da = 2 * xi * r
                db = 2 * r
            return da, db
    """, "one sample only"),
    "the prediction instead of the residual": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            y_pred = a * x + b
            return 2 * np.mean(x * y_pred), 2 * np.mean(y_pred)
    """, "forgot to subtract the target"),
    "target minus prediction": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = y - (a * x + b)
            return 2 * np.mean(x * r), 2 * np.mean(r)
    """, "flipped sign"),
    "no x in da": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return 2 * np.mean(r), 2 * np.mean(r)
    """, "forgot x in da"),
    "mean of x times mean of r": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return 2 * x.mean() * r.mean(), 2 * r.mean()
    """, "product of means"),
    "no factor 2": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return np.mean(x * r), np.mean(r)
    """, "missing factor 2"),
    "an integer array for the pair": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            grad = np.zeros(2, dtype=int)
            r = a * x + b - y
            grad[0] = 2 * np.mean(x * r)
            grad[1] = 2 * np.mean(r)
            return grad[0], grad[1]
    """, "truncated to integers"),
    "divided by n - 1": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return 2 * np.sum(x * r) / (len(x) - 1), 2 * np.sum(r) / (len(x) - 1)
    """, "divided by n - 1"),
    "the gradient of the RMSE": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            rmse = np.sqrt(np.mean(r ** 2))
            return np.mean(x * r) / rmse, np.mean(r) / rmse
    """, "gradient of the root-mean-square error"),
}
