"""chain_rule_grad: the true derivative in many forms, and the printed typo among the slips with their mistakes."""

SEED = 4

VECTORISED = """
    import numpy as np

    def chain_rule_grad(x):
        u = x**2 + np.exp(x**2)
        du = 2 * x + 2 * x * np.exp(x**2)
        return du / (2 * np.sqrt(u)) - np.sin(u) * du
"""

CORRECT = {
    "vectorised": VECTORISED,
    "np.vectorize over math": """
        import math
        import numpy as np

        def _scalar(v):
            u = v * v + math.exp(v * v)
            du = 2 * v * (1 + math.exp(v * v))
            return du * (0.5 / math.sqrt(u) - math.sin(u))

        def chain_rule_grad(x):
            return np.vectorize(_scalar, otypes=[float])(x)
    """,
    "loop over x.flat into empty_like": """
        import math
        import numpy as np

        def chain_rule_grad(x):
            out = np.empty_like(x)
            for i, v in enumerate(x.flat):
                e = math.exp(v ** 2)
                u = v ** 2 + e
                out.flat[i] = (v + v * e) / math.sqrt(u) - math.sin(u) * (2 * v + 2 * v * e)
            return out
    """,
    "complex-step derivative": """
        import numpy as np

        def chain_rule_grad(x):
            h = 1e-30
            z = x + 1j * h
            u = z**2 + np.exp(z**2)
            return np.imag(np.sqrt(u) + np.cos(u)) / h
    """,
    "float32 result": """
        import numpy as np

        def chain_rule_grad(x):
            s = x * x
            u = s + np.exp(s)
            return (2 * x * (1 + np.exp(s)) * (0.5 / np.sqrt(u) - np.sin(u))).astype(np.float32)
    """,
}

WRONG = {
    "the printed derivative": ("""
        import numpy as np

        def chain_rule_grad(x):
            return (2*x + 2*x*np.exp(x**2)) / (2*np.sqrt(x + np.exp(x**2))) \\
                - np.sin(x**2 + np.exp(x**2)) * (2*x + np.exp(x**2)*2*x)
    """, "printed typo in the denominator"),
    "exp(x^2) differentiated as exp(x^2)": (VECTORISED.replace("2 * x * np.exp(x**2)", "np.exp(x**2)"),
                                             "forgot the inner 2x of exp(x^2)"),
    "+sin": (VECTORISED.replace("- np.sin(u)", "+ np.sin(u)"), "sign of cos'"),
    "1/sqrt(u) without the 1/2": (VECTORISED.replace("du / (2 * np.sqrt(u))", "du / np.sqrt(u)"),
                                  "sqrt' without the 1/2"),
    "no du in the cos term": (VECTORISED.replace("- np.sin(u) * du", "- np.sin(u)"),
                              "chain rule skipped in the cos term"),
    "f itself": ("""
        import numpy as np

        def chain_rule_grad(x):
            u = x**2 + np.exp(x**2)
            return np.sqrt(u) + np.cos(u)
    """, "returned f(x)"),
    "a product where the chain rule adds": (VECTORISED.replace("du = 2 * x + 2 * x * np.exp(x**2)",
                                                               "du = (2 * x) * (2 * x * np.exp(x**2))"),
                                            "product where the chain rule adds"),
    "the power rule giving 0.5 sqrt(u)": (VECTORISED.replace("du / (2 * np.sqrt(u))", "0.5 * np.sqrt(u) * du"),
                                          "power rule on the square root"),
    "u'(x) alone": ("""
        import numpy as np

        def chain_rule_grad(x):
            return 2 * x + 2 * x * np.exp(x**2)
    """, "returned u'(x) only"),
    "a return inside the loop": ("""
        import math
        import numpy as np

        def chain_rule_grad(x):
            out = np.zeros_like(x)
            for i, v in enumerate(x.flat):
                e = math.exp(v * v)
                u = v * v + e
                out.flat[i] = (2 * v + 2 * v * e) * (0.5 / math.sqrt(u) - math.sin(u))
                return out
    """, "return inside the loop"),
    "an integer buffer": ("""
        import math
        import numpy as np

        def chain_rule_grad(x):
            out = np.zeros(x.shape, dtype=int)
            for i, v in enumerate(x.flat):
                e = math.exp(v * v)
                u = v * v + e
                out.flat[i] = (2 * v + 2 * v * e) * (0.5 / math.sqrt(u) - math.sin(u))
            return out
    """, "truncated to integers"),
}
