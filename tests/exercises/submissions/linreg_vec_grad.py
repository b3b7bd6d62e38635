"""linreg_vec_grad: X.T @ r in several spellings, and the shape and reduction slips with the mistake each must
be told."""

SEED = 17

CORRECT = {
    "the seed's dot products": """
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            n_samples = X.shape[0]
            y_pred = X @ w + b
            dw = (2 / n_samples) * np.dot(X.T, (y_pred - y))
            db = (2 / n_samples) * np.dot(np.ones((1, n_samples)), (y_pred - y))
            return dw, db[0]
    """,
    "r @ X and a mean": """
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = X.dot(w) + b - y
            return 2 * (r @ X) / len(y), 2 * r.mean()
    """,
    "python loops over rows and features": """
        def linreg_vec_grad(w, b, X, y):
            n, d = X.shape
            dw = [0.0] * d
            db = 0.0
            for i in range(n):
                r = sum(X[i, j] * w[j] for j in range(d)) + b - y[i]
                for j in range(d):
                    dw[j] += 2 * X[i, j] * r / n
                db += 2 * r / n
            return dw, db
    """,
    "a column of ones for the intercept": """
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            A = np.hstack([X, np.ones((X.shape[0], 1))])
            theta = np.append(w, b)
            grad = 2.0 / len(y) * A.T @ (A @ theta - y)
            return grad[:-1], grad[-1]
    """,
    "per-sample terms averaged, as float32": """
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            dydb = 2 * (X @ w + b - y)
            dydw = X * dydb[:, None]
            return dydw.mean(axis=0).astype(np.float32), np.float32(dydb.mean())
    """,
    "einsum, returned as a list": """
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = np.einsum("ij,j->i", X, w) + b - y
            return [np.einsum("ij,i->j", X, r) * 2 / X.shape[0], float(np.sum(r)) * 2 / X.shape[0]]
    """,
}

WRONG = {
    "X @ r": ("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = X @ w + b - y
            return 2 / len(y) * X @ r, 2 * np.mean(r)
    """, "X r instead of X^T r"),
    "sum instead of mean": ("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = X @ w + b - y
            return 2 * X.T @ r, 2 * np.sum(r)
    """, "missing 1/n"),
    "no factor 2": ("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = X @ w + b - y
            return X.T @ r / len(y), np.mean(r)
    """, "missing factor 2"),
    "target minus prediction": ("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = y - X @ w - b
            return 2 / len(y) * X.T @ r, 2 * np.mean(r)
    """, "flipped sign"),
    "the intercept left out of the residual": ("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = X @ w - y
            return 2 / len(y) * X.T @ r, 2 * np.mean(r)
    """, "forgot b in the residual"),
    "the prediction instead of the residual": ("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            y_pred = X @ w + b
            return 2 / len(y) * X.T @ y_pred, 2 * np.mean(y_pred)
    """, "forgot to subtract the target"),
    "the seed's per-sample terms, never averaged": ("""
        def linreg_vec_grad(w, b, X, y):
            dydb = 2 * (X @ w + b - y) / len(y)
            dydw = X * dydb[:, None]
            return dydw, dydb
    """, "per-sample terms returned"),
    "only the first row": ("""
        def linreg_vec_grad(w, b, X, y):
            r = X[0] @ w + b - y[0]
            return 2 * X[0] * r, 2 * r
    """, "only the first sample"),
    "a return inside the loop over the rows": ("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            n = len(y)
            dw, db = np.zeros_like(w), 0.0
            for i in range(n):
                r = X[i] @ w + b - y[i]
                dw += 2 * X[i] * r / n
                db += 2 * r / n
                return dw, db
    """, "one sample only"),
    "the mean along axis 1": ("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = X @ w + b - y
            return 2 * np.mean(X * r[:, None], axis=1), 2 * np.mean(r)
    """, "averaged over the features"),
    "column means times the mean residual": ("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = X @ w + b - y
            return 2 * X.mean(axis=0) * r.mean(), 2 * r.mean()
    """, "product of means"),
    "divided by X.size": ("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = X @ w + b - y
            return 2 * X.T @ r / X.size, 2 * r.sum() / X.size
    """, "divided by n * d"),
}
