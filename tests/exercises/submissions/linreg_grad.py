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
}
