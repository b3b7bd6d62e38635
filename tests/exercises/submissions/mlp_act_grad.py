"""mlp_act_grad: several back-propagations down to x, and the slips with the activations' derivatives and with dx
among the mistakes."""

SEED = 10

LOOP = """
    import numpy as np

    ACTS = {
        "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda f: f * (1 - f)),
        "tanh": (np.tanh, lambda f: 1 - f ** 2),
        "relu": (lambda z: np.maximum(z, 0), lambda f: (f > 0) * 1.0),
    }

    def mlp_act_grad(x, y, As, bs, activation):
        phi, dphi = ACTS[activation]
        fs = [x]
        for A, b in zip(As, bs):
            fs.append(phi(A @ fs[-1] + b))
        g = 2 * (fs[-1] - y)
        dAs, dbs = [None] * len(As), [None] * len(As)
        for i in reversed(range(len(As))):
            delta = g * dphi(fs[i + 1])
            dAs[i] = np.outer(delta, fs[i])
            dbs[i] = delta
            g = As[i].T @ delta
        return dAs, dbs, g
"""

CORRECT = {
    "loop with a table of derivatives": LOOP,
    "derivatives from the pre-activations": """
        import numpy as np

        def mlp_act_grad(x, y, As, bs, activation):
            fs, zs = [x], []
            for A, b in zip(As, bs):
                zs.append(A @ fs[-1] + b)
                if activation == "sigmoid":
                    fs.append(1 / (1 + np.exp(-zs[-1])))
                elif activation == "tanh":
                    fs.append(np.tanh(zs[-1]))
                else:
                    fs.append(np.where(zs[-1] > 0, zs[-1], 0.0))
            g = 2 * (fs[-1] - y)
            dAs, dbs = [], []
            for i in range(len(As) - 1, -1, -1):
                z = zs[i]
                if activation == "sigmoid":
                    s = 1 / (1 + np.exp(-z))
                    d = s * (1 - s)
                elif activation == "tanh":
                    d = 1 / np.cosh(z) ** 2
                else:
                    d = np.heaviside(z, 0.0)
                delta = g * d
                dAs.insert(0, delta[:, None] * fs[i][None, :])
                dbs.insert(0, delta)
                g = delta @ As[i]
            return [dAs, dbs, g]
    """,
    "recursion over the layers": """
        import numpy as np

        def _phi(z, activation):
            return {"sigmoid": lambda: 0.5 * (1 + np.tanh(0.5 * z)), "tanh": lambda: np.tanh(z),
                    "relu": lambda: z * (z > 0)}[activation]()

        def _dphi(f, activation):
            return {"sigmoid": f * (1 - f), "tanh": 1 - f * f, "relu": np.sign(f)}[activation]

        def _back(f, y, As, bs, activation):
            if not As:
                return 2 * (f - y), [], []
            out = _phi(As[0] @ f + bs[0], activation)
            g_out, dAs, dbs = _back(out, y, As[1:], bs[1:], activation)
            delta = g_out * _dphi(out, activation)
            return As[0].T @ delta, [np.outer(delta, f)] + dAs, [delta] + dbs

        def mlp_act_grad(x, y, As, bs, activation):
            dx, dAs, dbs = _back(x, y, list(As), list(bs), activation)
            return dAs, dbs, dx
    """,
    "einsum, tuples of float32 arrays": """
        import numpy as np

        def mlp_act_grad(x, y, As, bs, activation):
            fs = [x]
            for A, b in zip(As, bs):
                z = np.einsum("ij,j->i", A, fs[-1]) + b
                fs.append({"sigmoid": 1 / (1 + np.exp(-z)), "tanh": np.tanh(z), "relu": np.maximum(z, 0)}[activation])
            g = 2 * (fs[-1] - y)
            dAs, dbs = [], []
            for i in range(len(As) - 1, -1, -1):
                f = fs[i + 1]
                local = {"sigmoid": f * (1 - f), "tanh": 1 - f ** 2, "relu": (f > 0).astype(float)}[activation]
                delta = g * local
                dAs.insert(0, np.einsum("i,j->ij", delta, fs[i]).astype(np.float32))
                dbs.insert(0, delta.astype(np.float32))
                g = np.einsum("ij,i->j", As[i], delta)
            return tuple(dAs), tuple(dbs), g.astype(np.float32)
    """,
    "chain of Jacobian matrices": """
        import numpy as np

        def mlp_act_grad(x, y, As, bs, activation):
            phi = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
            dphi = {"sigmoid": lambda f: f * (1 - f), "tanh": lambda f: 1 - f ** 2, "relu": lambda f: f > 0}
            fs = [x]
            for A, b in zip(As, bs):
                fs.append(phi[activation](A @ fs[-1] + b))
            # J_i = d f_K / d z_i, a product of layer Jacobians diag(phi') A
            Js = [np.diag(dphi[activation](fs[-1]).astype(float))]
            for i in range(len(As) - 2, -1, -1):
                Js.insert(0, Js[0] @ As[i + 1] @ np.diag(dphi[activation](fs[i + 1]).astype(float)))
            e = 2 * (fs[-1] - y)
            deltas = [J.T @ e for J in Js]
            return [np.outer(d, f) for d, f in zip(deltas, fs)], deltas, (Js[0] @ As[0]).T @ e
    """,
}

WRONG = {
    "tanh' as f (1 - f)": (LOOP.replace('"tanh": (np.tanh, lambda f: 1 - f ** 2)',
                                        '"tanh": (np.tanh, lambda f: f * (1 - f))'),
                           "tanh' written as sigma'"),
    "sigmoid' as 1 - f^2": (LOOP.replace("lambda f: f * (1 - f)", "lambda f: 1 - f ** 2"), "sigma' written as tanh'"),
    "the two derivatives swapped": (LOOP.replace("lambda f: f * (1 - f)", "DERIVATIVE")
                                    .replace("lambda f: 1 - f ** 2", "lambda f: f * (1 - f)")
                                    .replace("DERIVATIVE", "lambda f: 1 - f ** 2"),
                                    "sigmoid and tanh derivatives swapped"),
    "relu' as max(z, 0)": (LOOP.replace("lambda f: (f > 0) * 1.0", "lambda f: f"), "ReLU' written as its output"),
    "relu' left out": (LOOP.replace("lambda f: (f > 0) * 1.0", "lambda f: 1.0"), "ReLU derivative left out"),
    "no factor 2": (LOOP.replace("g = 2 * (fs[-1] - y)", "g = fs[-1] - y"), "missing factor 2"),
    "outer(f_i, delta)": (LOOP.replace("np.outer(delta, fs[i])", "np.outer(fs[i], delta)"), "dAs[i] transposed"),
    "dx = delta_0": (LOOP.replace("return dAs, dbs, g", "return dAs, dbs, delta"), "dx as the first layer's delta"),
    "dx = 0": (LOOP.replace("return dAs, dbs, g", "return dAs, dbs, np.zeros_like(x)"), "dx left at zero"),
    "range(K - 1, 0, -1)": (LOOP.replace("dAs, dbs = [None] * len(As), [None] * len(As)",
                                         "dAs = [np.zeros_like(A) for A in As]\n"
                                         "        dbs = [np.zeros_like(b) for b in bs]")
                            .replace("for i in reversed(range(len(As))):", "for i in range(len(As) - 1, 0, -1):"),
                            "the loop stops before the first layer"),
    "(dbs, dAs, dx)": (LOOP.replace("return dAs, dbs, g", "return dbs, dAs, g"), "swapped outputs"),
}
