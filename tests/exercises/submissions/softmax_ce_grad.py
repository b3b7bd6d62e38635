"""softmax_ce_grad: stable softmaxes, and a naive exp that overflows among the slips with their mistakes."""

SEED = 11

CORRECT = {
    "max-shifted softmax": """
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            p[np.arange(len(labels)), labels] -= 1
            return p
    """,
    "log-sum-exp with np.logaddexp": """
        import numpy as np

        def softmax_ce_grad(logits, labels):
            lse = np.logaddexp.reduce(logits, axis=1, keepdims=True)
            return np.exp(logits - lse) - np.eye(logits.shape[1])[labels]
    """,
    "python loop with math.exp": """
        import math

        def softmax_ce_grad(logits, labels):
            grad = []
            for row, label in zip(logits.tolist(), labels.tolist()):
                top = max(row)
                exps = [math.exp(v - top) for v in row]
                total = sum(exps)
                grad.append([e / total - (1.0 if j == label else 0.0) for j, e in enumerate(exps)])
            return grad
    """,
    "float32 result": """
        import numpy as np

        def softmax_ce_grad(logits, labels):
            shifted = logits - np.max(logits, axis=-1, keepdims=True)
            p = np.exp(shifted) / np.exp(shifted).sum(axis=-1, keepdims=True)
            np.put_along_axis(p, labels[:, None], np.take_along_axis(p, labels[:, None], axis=1) - 1, axis=1)
            return p.astype(np.float32)
    """,
    "one-hot by comparison, softmax via log_softmax": """
        import numpy as np

        def softmax_ce_grad(logits, labels):
            m = logits.max(axis=1, keepdims=True)
            log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
            one_hot = (np.arange(logits.shape[1])[None, :] == labels[:, None]).astype(float)
            return np.exp(log_p) - one_hot
    """,
}

NAIVE_EXP = """
    import numpy as np

    def softmax_ce_grad(logits, labels):
        e = np.exp(logits)
        p = e / e.sum(axis=1, keepdims=True)
        p[np.arange(len(labels)), labels] -= 1
        return p
"""

WRONG = {
    "naive exp": (NAIVE_EXP, "naive exp overflows"),
    "fancy index on every row": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            p[:, labels] -= 1
            return p
    """, "fancy index on every row"),
    "mean over the batch": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            p[np.arange(len(labels)), labels] -= 1
            return p / len(labels)
    """, "mean over the batch"),
}
