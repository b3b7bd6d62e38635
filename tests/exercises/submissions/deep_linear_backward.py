"""deep_linear_backward: several back-propagations of g, and the slips with g and with the layers among the mistakes."""

SEED = 9

MATMUL = """
    import numpy as np

    def deep_linear_backward(x, w1, w2, w3, g):
        h1 = x @ w1
        h2 = h1 @ w2
        dh2 = np.outer(g, w3)
        dh1 = dh2 @ w2.T
        return x.T @ dh1, h1.T @ dh2, h2.T @ g
"""

PER_SAMPLE = """
    import numpy as np

    def deep_linear_backward(x, w1, w2, w3, g):
        dw1, dw2, dw3 = np.zeros_like(w1), np.zeros_like(w2), np.zeros_like(w3)
        for xi, gi in zip(x, g):
            h1 = xi @ w1
            h2 = h1 @ w2
            dw3 += gi * h2
            dw2 += gi * np.outer(h1, w3)
            dw1 += gi * np.outer(xi, w2 @ w3)
        return dw1, dw2, dw3
"""

CORRECT = {
    "matrix products": MATMUL,
    "einsum, returned as a list": """
        import numpy as np

        def deep_linear_backward(x, w1, w2, w3, g):
            h1 = np.einsum("nd,de->ne", x, w1)
            h2 = np.einsum("ne,ef->nf", h1, w2)
            return [np.einsum("n,nd,ef,f->de", g, x, w2, w3), np.einsum("n,ne,f->ef", g, h1, w3),
                    np.einsum("n,nf->f", g, h2)]
    """,
    "per-sample python loop": PER_SAMPLE,
    "g folded into x first": """
        import numpy as np

        def deep_linear_backward(x, w1, w2, w3, g):
            xg = x.T @ g
            v = w2 @ w3
            return np.outer(xg, v), np.outer(w1.T @ xg, w3), w2.T @ (w1.T @ xg)
    """,
    "broadcasting instead of outer products": """
        import numpy as np

        def deep_linear_backward(x, w1, w2, w3, g):
            acts = [x, x @ w1]
            acts.append(acts[1] @ w2)
            upstream = g[:, None] * w3[None, :]
            dw3 = (acts[2] * g[:, None]).sum(axis=0)
            dw2 = acts[1].T @ upstream
            dw1 = acts[0].T @ (upstream @ w2.T)
            return (dw1, dw2, dw3)
    """,
    "float32 results": MATMUL.replace(
        "return x.T @ dh1, h1.T @ dh2, h2.T @ g",
        "return tuple(d.astype(np.float32) for d in (x.T @ dh1, h1.T @ dh2, h2.T @ g))"),
}

WRONG = {
    "ones in place of g": (MATMUL.replace("dh2 = np.outer(g, w3)",
                                          "g = np.ones(len(x))\n        dh2 = np.outer(g, w3)"),
                           "a gradient of 1 on y_hat"),
    "2 (y_hat - g) / n as in deep_linear_grad": (MATMUL.replace(
        "dh2 = np.outer(g, w3)", "g = 2 * (h2 @ w3 - g) / len(g)\n        dh2 = np.outer(g, w3)"),
        "g taken as a target"),
    "g / n": (MATMUL.replace("dh2 = np.outer(g, w3)", "g = g / len(g)\n        dh2 = np.outer(g, w3)"),
              "g divided by n"),
    "g summed over the samples": (MATMUL.replace("dh2 = np.outer(g, w3)",
                                                 "g = g.sum() * np.ones_like(g)\n        dh2 = np.outer(g, w3)"),
                                  "g summed to one number"),
    "g multiplied again below w2": (MATMUL.replace("dh1 = dh2 @ w2.T", "dh1 = (dh2 @ w2.T) * g[:, None]"),
                                    "g multiplied in twice"),
    "w3 left out below": (MATMUL.replace("dh2 = np.outer(g, w3)", "dh2 = np.outer(g, np.ones_like(w3))"),
                          "forgot the chain through w3"),
    "acts[k - 1] for weight k": ("""
        import numpy as np

        def deep_linear_backward(x, w1, w2, w3, g):
            acts = [x, x @ w1]
            acts.append(acts[1] @ w2)
            ws = [w1, w2, w3]
            grads = [None] * 3
            upstream = g
            for k in (2, 1, 0):
                inp = acts[k - 1]
                grads[k] = inp.T @ upstream
                upstream = np.outer(upstream, w3) if k == 2 else upstream @ ws[k].T
            return tuple(grads)
    """, "activations of the layer below"),
    "dz^T h for every weight": (MATMUL.replace("return x.T @ dh1, h1.T @ dh2, h2.T @ g",
                                               "return dh1.T @ x, dh2.T @ h1, g @ h2"),
                                "products in the wrong order"),
    "dw2 as dh2^T h1 only": (MATMUL.replace("h1.T @ dh2", "dh2.T @ h1"), "transposed output"),
    "a return inside the loop over the samples": (PER_SAMPLE.replace("dw1 += gi * np.outer(xi, w2 @ w3)",
                                                                     "dw1 += gi * np.outer(xi, w2 @ w3)\n"
                                                                     "            return dw1, dw2, dw3"),
                                                  "one sample only"),
    "(dw2, dw1, dw3)": (MATMUL.replace("return x.T @ dh1, h1.T @ dh2,", "return h1.T @ dh2, x.T @ dh1,"),
                        "swapped outputs"),
}
