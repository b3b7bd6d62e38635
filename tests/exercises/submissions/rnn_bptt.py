"""rnn_bptt: several ways of doing BPTT, and the classic slips with the mistake each must be told."""

SEED = 2

STORED_STATES = """
    import numpy as np

    def rnn_bptt(x, y, h0, U, W, V, b, c):
        hs, ps = [h0], []
        for x_t in x:
            hs.append(np.tanh(b + W @ hs[-1] + U @ x_t))
            o = c + V @ hs[-1]
            e = np.exp(o - o.max())
            ps.append(e / e.sum())
        grads = {k: np.zeros_like(v) for k, v in dict(U=U, W=W, V=V, b=b, c=c).items()}
        dh_next = np.zeros_like(h0)
        for t in reversed(range(len(x))):
            do = ps[t].copy()
            do[y[t]] -= 1
            grads["V"] += np.outer(do, hs[t + 1])
            grads["c"] += do
            dh = V.T @ do + dh_next
            da = dh * (1 - hs[t + 1] ** 2)
            grads["b"] += da
            grads["W"] += np.outer(da, hs[t])
            grads["U"] += np.outer(da, x[t])
            dh_next = W.T @ da
        return grads
"""

PER_OUTPUT_STEP = """
    import numpy as np

    def rnn_bptt(x, y, h0, U, W, V, b, c):
        hs = [h0]
        for x_t in x:
            hs.append(np.tanh(b + W @ hs[-1] + U @ x_t))
        g = {"U": 0 * U, "W": 0 * W, "V": 0 * V, "b": 0 * b, "c": 0 * c}
        for s in range(len(x)):
            o = c + V @ hs[s + 1]
            p = np.exp(o - o.max()) / np.exp(o - o.max()).sum()
            p[y[s]] -= 1
            g["V"] = g["V"] + np.outer(p, hs[s + 1])
            g["c"] = g["c"] + p
            dh = V.T @ p
            for t in range(s, -1, -1):
                da = dh * (1 - hs[t + 1] ** 2)
                g["U"] = g["U"] + np.outer(da, x[t])
                g["W"] = g["W"] + np.outer(da, hs[t])
                g["b"] = g["b"] + da
                dh = W.T @ da
        return g
"""

CORRECT = {
    "stored states, reversed loop": STORED_STATES,
    "broadcasting instead of np.outer": """
        import numpy as np

        def rnn_bptt(x, y, h0, U, W, V, b, c):
            T = x.shape[0]
            H = np.zeros((T + 1, h0.size))
            H[0] = h0
            for t in range(T):
                H[t + 1] = np.tanh(b + W @ H[t] + U @ x[t])
            O = H[1:] @ V.T + c
            P = np.exp(O - O.max(axis=1, keepdims=True))
            P /= P.sum(axis=1, keepdims=True)
            P[np.arange(T), y] -= 1
            dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
            carry = np.zeros_like(h0)
            for t in range(T - 1, -1, -1):
                da = (V.T @ P[t] + carry) * (1 - H[t + 1] ** 2)
                dU += da[:, None] * x[t][None, :]
                dW += da[:, None] * H[t][None, :]
                db += da
                carry = W.T @ da
            return {"U": dU, "W": dW, "V": P.T @ H[1:], "b": db, "c": P.sum(axis=0)}
    """,
    "einsum over stored deltas": """
        import numpy as np

        def rnn_bptt(x, y, h0, U, W, V, b, c):
            T = len(x)
            hs = [h0]
            for t in range(T):
                hs.append(np.tanh(b + np.einsum("ij,j->i", W, hs[-1]) + np.einsum("ij,j->i", U, x[t])))
            hs = np.stack(hs)
            logits = np.einsum("ch,th->tc", V, hs[1:]) + c
            shifted = logits - logits.max(axis=1, keepdims=True)
            dO = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
            dO[np.arange(T), y] -= 1
            dA = np.zeros((T, h0.size))
            for t in reversed(range(T)):
                upstream = dA[t + 1] @ W if t + 1 < T else 0.0
                dA[t] = (dO[t] @ V + upstream) * (1 - hs[t + 1] ** 2)
            return {
                "U": np.einsum("th,td->hd", dA, x),
                "W": np.einsum("th,tk->hk", dA, hs[:-1]),
                "V": np.einsum("tc,th->ch", dO, hs[1:]),
                "b": dA.sum(axis=0),
                "c": dO.sum(axis=0),
            }
    """,
    "one backward pass per output step": PER_OUTPUT_STEP,
    "float32 results with an extra key": STORED_STATES.replace(
        "return grads",
        'out = {k: v.astype(np.float32) for k, v in grads.items()}\n        out["h0"] = np.zeros_like(h0)\n'
        "        return out"),
}

WRONG = {
    "truncated BPTT": (STORED_STATES.replace("dh = V.T @ do + dh_next", "dh = V.T @ do"), "truncated BPTT"),
    "1 - tanh": (STORED_STATES.replace("(1 - hs[t + 1] ** 2)", "(1 - hs[t + 1])"), "tanh' written as 1 - tanh"),
    "h_t in dW": (STORED_STATES.replace("np.outer(da, hs[t])", "np.outer(da, hs[t + 1])"), "dW uses h_t"),
    "a return inside the backward loop": (STORED_STATES.replace("dh_next = W.T @ da\n", "dh_next = W.T @ da\n    "
                                                                                          "        return grads\n"),
                                         "only the last time step"),
    "each step's loss carried back 8 steps": (PER_OUTPUT_STEP.replace("for t in range(s, -1, -1):",
                                                                       "for t in range(s, max(s - 8, -1), -1):"),
                                              "BPTT truncated after a few steps"),
    "a return inside the loop over the outputs": (PER_OUTPUT_STEP.replace("        return g", "            return g"),
                                                  "one sample only"),
    "W da instead of W^T da": (STORED_STATES.replace("dh_next = W.T @ da", "dh_next = W @ da"),
                               "recurrence not transposed"),
    "outer(h_prev, da) for dW": (STORED_STATES.replace("np.outer(da, hs[t])", "np.outer(hs[t], da)"), "dW transposed"),
    "outer(x_t, da) for dU": (STORED_STATES.replace("np.outer(da, x[t])", "np.outer(x[t], da)"), "transposed output"),
    "divided by T": (STORED_STATES.replace("return grads", "return {k: v / len(x) for k, v in grads.items()}"),
                     "mean over time"),
    "the previous input in dU": (STORED_STATES.replace("np.outer(da, x[t])", "np.outer(da, x[t - 1])"),
                                 "dU uses the previous input"),
    "the probabilities as the output gradient": (STORED_STATES.replace("do = ps[t].copy()\n            do[y[t]] -= 1",
                                                                               "do = ps[t]"), "forgot the one-hot"),
    "no tanh derivative": (STORED_STATES.replace("da = dh * (1 - hs[t + 1] ** 2)", "da = dh"), "no tanh derivative"),
}
