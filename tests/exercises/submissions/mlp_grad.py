"""mlp_grad: several back-propagations, and the usual sigmoid slips with the mistake each must be told."""

SEED = 6

LOOP = """
    import numpy as np

    def mlp_grad(x, y, As, bs):
        fs = [x]
        for A, b in zip(As, bs):
            fs.append(1 / (1 + np.exp(-(A @ fs[-1] + b))))
        g = 2 * (fs[-1] - y)
        dAs, dbs = [None] * len(As), [None] * len(As)
        for i in reversed(range(len(As))):
            delta = g * fs[i + 1] * (1 - fs[i + 1])
            dAs[i] = np.outer(delta, fs[i])
            dbs[i] = delta
            g = As[i].T @ delta
        return dAs, dbs
"""

CORRECT = {
    "loop with np.outer": LOOP,
    "recursion over the layers": """
        import numpy as np

        def _sigmoid(z):
            return 1.0 / (1.0 + np.exp(-z))

        def _back(f, y, As, bs):
            if not As:
                return 2 * (f - y), [], []
            out = _sigmoid(As[0] @ f + bs[0])
            g_out, dAs, dbs = _back(out, y, As[1:], bs[1:])
            delta = g_out * out * (1 - out)
            return As[0].T @ delta, [np.outer(delta, f)] + dAs, [delta] + dbs

        def mlp_grad(x, y, As, bs):
            _, dAs, dbs = _back(x, y, list(As), list(bs))
            return dAs, dbs
    """,
    "broadcasting, answer as a list": """
        import numpy as np

        def mlp_grad(x, y, As, bs):
            acts = [x]
            for A, b in zip(As, bs):
                acts.append(0.5 * (1 + np.tanh(0.5 * (A @ acts[-1] + b))))
            dAs, dbs = [], []
            g = 2 * (acts[-1] - y)
            for A, f_in, f_out in zip(As[::-1], acts[-2::-1], acts[:0:-1]):
                delta = g * f_out * (1 - f_out)
                dAs.append(delta[:, None] * f_in[None, :])
                dbs.append(delta)
                g = delta @ A
            return [dAs[::-1], dbs[::-1]]
    """,
    "einsum, tuples of float32 arrays": """
        import numpy as np

        def mlp_grad(x, y, As, bs):
            fs = [x]
            for A, b in zip(As, bs):
                fs.append(1 / (1 + np.exp(-np.einsum("ij,j->i", A, fs[-1]) - b)))
            g = 2 * (fs[-1] - y)
            dAs, dbs = [], []
            for i in range(len(As) - 1, -1, -1):
                delta = g * fs[i + 1] * (1 - fs[i + 1])
                dAs.insert(0, np.einsum("i,j->ij", delta, fs[i]).astype(np.float32))
                dbs.insert(0, delta.astype(np.float32))
                g = np.einsum("ij,i->j", As[i], delta)
            return tuple(dAs), tuple(dbs)
    """,
    "chain of Jacobian matrices": """
        import numpy as np

        def mlp_grad(x, y, As, bs):
            fs = [x]
            for A, b in zip(As, bs):
                fs.append(1 / (1 + np.exp(-(A @ fs[-1] + b))))
            dAs, dbs = [], []
            for i in range(len(As)):
                # d f_K / d z_i as a product of layer Jacobians diag(sigma') A
                J = np.diag(fs[i + 1] * (1 - fs[i + 1]))
                for k in range(i + 1, len(As)):
                    J = np.diag(fs[k + 1] * (1 - fs[k + 1])) @ As[k] @ J
                delta = J.T @ (2 * (fs[-1] - y))
                dAs.append(np.outer(delta, fs[i]))
                dbs.append(delta)
            return dAs, dbs
    """,
}

WRONG = {
    "sigma' as sigma": (LOOP.replace("g * fs[i + 1] * (1 - fs[i + 1])", "g * fs[i + 1]"), "sigma' written as sigma"),
    "no factor 2": (LOOP.replace("g = 2 * (fs[-1] - y)", "g = fs[-1] - y"), "missing factor 2"),
    "sigmoid with exp(+z)": (LOOP.replace("np.exp(-(A @ fs[-1] + b))", "np.exp(A @ fs[-1] + b)")
                             .replace("delta = g * fs[i + 1]", "delta = -g * fs[i + 1]"), "sigmoid with e^{+z}"),
    "sigma'(f) from the output": (LOOP.replace("g * fs[i + 1] * (1 - fs[i + 1])",
                                               "g * (1 / (1 + np.exp(-fs[i + 1])))"
                                               " * (1 - 1 / (1 + np.exp(-fs[i + 1])))"),
                                  "sigma' applied to the output"),
    "y - f": (LOOP.replace("g = 2 * (fs[-1] - y)", "g = 2 * (y - fs[-1])"), "flipped sign"),
    "the derivative at the output layer only": (LOOP.replace(
        "delta = g * fs[i + 1] * (1 - fs[i + 1])",
        "delta = g * fs[i + 1] * (1 - fs[i + 1]) if i == len(As) - 1 else g"),
        "activation derivative only at the output"),
    "z (1 - z) of the pre-activation": ("""
        import numpy as np

        def mlp_grad(x, y, As, bs):
            fs, zs = [x], []
            for A, b in zip(As, bs):
                zs.append(A @ fs[-1] + b)
                fs.append(1 / (1 + np.exp(-zs[-1])))
            g = 2 * (fs[-1] - y)
            dAs, dbs = [None] * len(As), [None] * len(As)
            for i in reversed(range(len(As))):
                delta = g * zs[i] * (1 - zs[i])
                dAs[i] = np.outer(delta, fs[i])
                dbs[i] = delta
                g = As[i].T @ delta
            return dAs, dbs
    """, "sigma' applied to the pre-activation"),
    "a return inside the backward loop": ("""
        import numpy as np

        def mlp_grad(x, y, As, bs):
            fs = [x]
            for A, b in zip(As, bs):
                fs.append(1 / (1 + np.exp(-(A @ fs[-1] + b))))
            g = 2 * (fs[-1] - y)
            dAs = [np.zeros_like(A) for A in As]
            dbs = [np.zeros_like(b) for b in bs]
            for i in reversed(range(len(As))):
                delta = g * fs[i + 1] * (1 - fs[i + 1])
                dAs[i] = np.outer(delta, fs[i])
                dbs[i] = delta
                g = As[i].T @ delta
                return dAs, dbs
    """, "not propagated to earlier layers"),
    "outer(f_i, delta)": (LOOP.replace("np.outer(delta, fs[i])", "np.outer(fs[i], delta)"), "dAs[i] transposed"),
    "the output instead of the error": (LOOP.replace("g = 2 * (fs[-1] - y)", "g = 2 * fs[-1]"),
                                        "forgot to subtract the target"),
    "no sigmoid derivative": (LOOP.replace("delta = g * fs[i + 1] * (1 - fs[i + 1])", "delta = g"),
                              "no activation derivative"),
    "(dbs, dAs)": (LOOP.replace("return dAs, dbs", "return dbs, dAs"), "swapped outputs"),
}
