def mse_grad(y_hat, y):
    return 2 * (y_hat - y)
