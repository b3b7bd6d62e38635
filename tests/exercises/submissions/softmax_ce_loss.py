"""softmax_ce_loss: stable log-sum-exps in several spellings, and the seed answer's ratio and the overflows among
the slips, with the mistake each must be told."""

SEED = 23

CORRECT = {
    "max-shifted log-sum-exp": """
        import numpy as np

        def softmax_ce_loss(logits, labels):
            m = logits.max(axis=1, keepdims=True)
            log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
            return -log_p[np.arange(len(labels)), labels].mean()
    """,
    "np.logaddexp.reduce": """
        import numpy as np

        def softmax_ce_loss(logits, labels):
            lse = np.logaddexp.reduce(logits, axis=1)
            return float(np.mean(lse - logits[np.arange(len(labels)), labels]))
    """,
    "python loop with math": """
        import math

        def softmax_ce_loss(logits, labels):
            total = 0.0
            for row, label in zip(logits.tolist(), labels.tolist()):
                top = max(row)
                total += top + math.log(sum(math.exp(v - top) for v in row)) - row[label]
            return total / len(labels)
    """,
    "one-hot weights and take_along_axis, as float32": """
        import numpy as np

        def softmax_ce_loss(logits, labels):
            shifted = logits - np.max(logits, axis=-1, keepdims=True)
            log_p = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
            picked = np.take_along_axis(log_p, labels[:, None], axis=1)
            return np.float32(-picked.sum() / logits.shape[0])
    """,
    "one-hot by comparison, summed over the classes": """
        import numpy as np

        def softmax_ce_loss(logits, labels):
            m = logits.max(axis=1, keepdims=True)
            log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
            one_hot = np.arange(logits.shape[1]) == labels[:, None]
            return np.array(-(one_hot * log_p).sum(axis=1).mean())
    """,
}

NAIVE_EXP = """
    import numpy as np

    def softmax_ce_loss(logits, labels):
        e = np.exp(logits)
        p = e / e.sum(axis=1, keepdims=True)
        return -np.mean(np.log(p[np.arange(len(labels)), labels]))
"""

WRONG = {
    "the seed answer's o_i / sum_j o_j": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            y_hat = logits / np.sum(logits, axis=1, keepdims=True)
            return -np.mean(np.log(y_hat[np.arange(len(labels)), labels]))
    """, "no exponential: o_i / sum_j o_j"),
    "naive exp": (NAIVE_EXP, "naive exp overflows"),
    "the log of a stable softmax": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            return -np.mean(np.log(p[np.arange(len(labels)), labels]))
    """, "log of an underflowed probability"),
    "sum over the batch": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            lse = np.logaddexp.reduce(logits, axis=1)
            return np.sum(lse - logits[np.arange(len(labels)), labels])
    """, "sum instead of mean"),
    "no minus sign": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            m = logits.max(axis=1, keepdims=True)
            log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
            return np.mean(log_p[np.arange(len(labels)), labels])
    """, "missing minus sign"),
    "labels counted from 1": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            m = logits.max(axis=1, keepdims=True)
            log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
            return -np.mean(log_p[np.arange(len(labels)), labels - 1])
    """, "labels shifted by one"),
    "log_p[:, labels]": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            m = logits.max(axis=1, keepdims=True)
            log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
            return -np.mean(log_p[:, labels])
    """, "fancy index on every row"),
    "the batch's maximum subtracted": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            e = np.exp(logits - np.max(logits))
            p = e / e.sum(axis=1, keepdims=True)
            return -np.mean(np.log(p[np.arange(len(labels)), labels]))
    """, "global maximum subtracted"),
    "the maximum never added back": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            m = logits.max(axis=1, keepdims=True)
            lse = np.log(np.exp(logits - m).sum(axis=1))
            return np.mean(lse - logits[np.arange(len(labels)), labels])
    """, "maximum not added back"),
    "probabilities clipped at 1e-12": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = np.clip(e / e.sum(axis=1, keepdims=True), 1e-12, 1.0)
            return -np.mean(np.log(p[np.arange(len(labels)), labels]))
    """, "probabilities clipped"),
    "np.mean of one_hot * log_p": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            m = logits.max(axis=1, keepdims=True)
            log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
            return -np.mean(np.eye(logits.shape[1])[labels] * log_p)
    """, "mean over every entry"),
    "a return inside the loop over the rows": ("""
        import numpy as np

        def softmax_ce_loss(logits, labels):
            total = 0.0
            for row, label in zip(logits, labels):
                m = row.max()
                total += m + np.log(np.exp(row - m).sum()) - row[label]
                return total / len(labels)
    """, "one sample only"),
}
