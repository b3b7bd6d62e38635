"""deep_linear_grad: several back-propagations, and 'a gradient of 1' among the slips with their mistakes."""

SEED = 8

MATMUL = """
    import numpy as np

    def deep_linear_grad(x, y, w1, w2, w3):
        h1 = x @ w1
        h2 = h1 @ w2
        g = 2 * (h2 @ w3 - y) / len(y)
        dh2 = np.outer(g, w3)
        return x.T @ (dh2 @ w2.T), h1.T @ dh2, h2.T @ g
"""

PER_SAMPLE = """
    import numpy as np

    def deep_linear_grad(x, y, w1, w2, w3):
        dw1, dw2, dw3 = np.zeros_like(w1), np.zeros_like(w2), np.zeros_like(w3)
        n = len(y)
        for xi, yi in zip(x, y):
            h1 = xi @ w1
            h2 = h1 @ w2
            g = 2 * (h2 @ w3 - yi) / n
            dw3 += g * h2
            dw2 += g * np.outer(h1, w3)
            dw1 += g * np.outer(xi, w2 @ w3)
        return dw1, dw2, dw3
"""

CORRECT = {
    "matrix products": MATMUL,
    "einsum, returned as a list": """
        import numpy as np

        def deep_linear_grad(x, y, w1, w2, w3):
            h1 = np.einsum("nd,de->ne", x, w1)
            h2 = np.einsum("ne,ef->nf", h1, w2)
            g = 2.0 / y.shape[0] * (np.einsum("nf,f->n", h2, w3) - y)
            return [np.einsum("n,nd,ef,f->de", g, x, w2, w3), np.einsum("n,ne,f->ef", g, h1, w3),
                    np.einsum("n,nf->f", g, h2)]
    """,
    "per-sample python loop": PER_SAMPLE,
    "collapsed weight vector w2 w3": """
        import numpy as np

        def deep_linear_grad(x, y, w1, w2, w3):
            v = w2 @ w3
            g = 2 * (x @ w1 @ v - y) / len(y)
            xg = x.T @ g
            return xg[:, None] * v[None, :], (w1.T @ xg)[:, None] * w3[None, :], w2.T @ (w1.T @ xg)
    """,
    "float32 results": MATMUL.replace(
        "return x.T @ (dh2 @ w2.T), h1.T @ dh2, h2.T @ g",
        "return tuple(d.astype(np.float32) for d in (x.T @ (dh2 @ w2.T), h1.T @ dh2, h2.T @ g))"),
}

WRONG = {
    "a gradient of 1 on y_hat": (MATMUL.replace("g = 2 * (h2 @ w3 - y) / len(y)", "g = np.ones(len(y))"),
                                 "a gradient of 1 on y_hat"),
    "w3 left out of dw1 and dw2": (MATMUL.replace("dh2 = np.outer(g, w3)", "dh2 = np.outer(g, np.ones_like(w3))"),
                                   "forgot the chain through w3"),
    "sum instead of mean": (MATMUL.replace("/ len(y)", ""), "missing 1/n"),
    "no factor 2": (MATMUL.replace("g = 2 * (h2 @ w3 - y) / len(y)", "g = (h2 @ w3 - y) / len(y)"), "missing factor 2"),
    "y - y_hat": (MATMUL.replace("g = 2 * (h2 @ w3 - y) / len(y)", "g = 2 * (y - h2 @ w3) / len(y)"), "flipped sign"),
    "the prediction instead of the error": (MATMUL.replace("g = 2 * (h2 @ w3 - y) / len(y)",
                                                           "g = 2 * (h2 @ w3) / len(y)"),
                                            "forgot to subtract the target"),
    "a return inside the loop over the samples": (PER_SAMPLE.replace("dw1 += g * np.outer(xi, w2 @ w3)",
                                                                     "dw1 += g * np.outer(xi, w2 @ w3)\n"
                                                                     "            return dw1, dw2, dw3"),
                                                  "only the first sample"),
    "= where += belongs": (PER_SAMPLE.replace("dw3 += ", "dw3 = ").replace("dw2 += ", "dw2 = ")
                           .replace("dw1 += ", "dw1 = "), "one sample only"),
    "dw2 as dh2^T h1": (MATMUL.replace("h1.T @ dh2", "dh2.T @ h1"), "dw2 transposed"),
    "dw1 as (dh2 w2^T)^T x": (MATMUL.replace("x.T @ (dh2 @ w2.T)", "(dh2 @ w2.T).T @ x"), "transposed output"),
    "(dw2, dw1, dw3)": (MATMUL.replace("return x.T @ (dh2 @ w2.T), h1.T @ dh2,",
                                       "return h1.T @ dh2, x.T @ (dh2 @ w2.T),"), "swapped outputs"),
    "an integer buffer for dw1": (MATMUL.replace(
        "return x.T @ (dh2 @ w2.T), h1.T @ dh2, h2.T @ g",
        "dw1 = np.zeros(w1.shape, dtype=int)\n        dw1[:] = x.T @ (dh2 @ w2.T)\n"
        "        return dw1, h1.T @ dh2, h2.T @ g"),
        "truncated to integers"),
}
