def chain_rule(f_prime, g, g_prime, x):
    return f_prime(x) * g_prime(x)
