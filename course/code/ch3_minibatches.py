"""Chapter 3: which examples land in which mini-batch under the course's shuffling rule.

One generator is made from the seed before the first epoch; every epoch draws a
fresh permutation from it and cuts it into consecutive slices of batch_size
(the last slice may be shorter).
"""

import numpy as np

# --8<-- [start:batches]
N, batch_size, seed = 10, 4, 0
generator = np.random.default_rng(seed)     # made once, before epoch 0
epochs = []
for epoch in range(2):
    order = generator.permutation(N)        # a new order every epoch
    slices = [order[i:i + batch_size] for i in range(0, N, batch_size)]
    epochs.append(slices)
    print(f"epoch {epoch}:", [s.tolist() for s in slices])
# --8<-- [end:batches]

# --8<-- [start:weights]
batch_losses = np.array([0.9, 0.7, 0.2])    # the three batches of one epoch
sizes = np.array([len(s) for s in epochs[0]])   # 4, 4, 2
epoch_loss = float(np.sum(batch_losses * sizes) / np.sum(sizes))   # 0.68
plain_mean = float(np.mean(batch_losses))   # 0.6: overweights the short batch
# --8<-- [end:weights]


def check():
    assert [s.tolist() for s in epochs[0]] == [[4, 6, 2, 7], [3, 5, 9, 0], [8, 1]]
    assert [s.tolist() for s in epochs[1]] == [[2, 9, 3, 6], [0, 4, 8, 7], [5, 1]]
    # a restarted generator reproduces epoch 0, a second draw from it does not
    again = np.random.default_rng(seed)
    assert again.permutation(N).tolist() == [4, 6, 2, 7, 3, 5, 9, 0, 8, 1]
    for slices in epochs:                       # each epoch visits every example once
        assert sorted(np.concatenate(slices).tolist()) == list(range(N))
    assert abs(epoch_loss - 0.68) < 1e-12 and abs(plain_mean - 0.6) < 1e-12


if __name__ == "__main__":
    print(epoch_loss, plain_mean)
    check()
    print("ok")
