def xavier_init(fan_in, fan_out, rng):
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return np.random.default_rng().normal(0.0, std, size=(fan_in, fan_out))
