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
    "the probabilities alone": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
    """, "forgot the one-hot"),
    "one-hot minus the probabilities": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            return np.eye(logits.shape[1])[labels] - p
    """, "flipped sign"),
    "softmax over axis 0": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max(axis=0, keepdims=True))
            p = e / e.sum(axis=0, keepdims=True)
            p[np.arange(len(labels)), labels] -= 1
            return p
    """, "softmax over the wrong axis"),
    "an elementwise sigmoid": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            p = 1 / (1 + np.exp(-logits))
            p[np.arange(len(labels)), labels] -= 1
            return p
    """, "sigmoid instead of softmax"),
    "the batch's maximum subtracted": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - np.max(logits))
            p = e / e.sum(axis=1, keepdims=True)
            p[np.arange(len(labels)), labels] -= 1
            return p
    """, "global maximum subtracted"),
    "logits clipped to [-100, 100]": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(np.clip(logits, -100, 100))
            p = e / e.sum(axis=1, keepdims=True)
            p[np.arange(len(labels)), labels] -= 1
            return p
    """, "clipped logits"),
    "the gradient with respect to the probabilities": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            return -np.eye(logits.shape[1])[labels] / p
    """, "gradient with respect to the probabilities"),
    "a one-hot as wide as the largest label": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            width = labels.max() + 1
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = (e / e.sum(axis=1, keepdims=True))[:, :width]
            return p - np.eye(width)[labels]
    """, "one-hot of the wrong width"),
    "a return inside the loop over the rows": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            grad = np.zeros_like(logits)
            for i in range(len(labels)):
                e = np.exp(logits[i] - logits[i].max())
                grad[i] = e / e.sum()
                grad[i, labels[i]] -= 1
                return grad
    """, "only the first sample"),
}
