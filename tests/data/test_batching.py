"""aelab.data.batching: seeded batches that cover every row once, and the first sample of each class."""

import pytest
import torch

from aelab import data


def test_batches_cover_every_row_once_and_follow_the_seed():
    x = torch.arange(10).float().unsqueeze(1)
    y = torch.arange(10)
    g = torch.Generator().manual_seed(0)
    got = list(data.batches(x, y, batch_size=4, generator=g))
    assert [len(b[0]) for b in got] == [4, 4, 2]
    seen = torch.cat([b[1] for b in got])
    assert sorted(seen.tolist()) == list(range(10))
    assert all(torch.equal(b[0][:, 0].long(), b[1]) for b in got)  # rows stay aligned
    again = list(data.batches(x, y, batch_size=4, generator=torch.Generator().manual_seed(0)))
    assert all(torch.equal(a[1], b[1]) for a, b in zip(got, again))
    plain = list(data.batches(x, batch_size=4, shuffle=False))
    assert torch.equal(plain[0][0][:, 0], torch.arange(4).float())


def test_batches_bad_input():
    with pytest.raises(ValueError, match="same number of rows"):
        list(data.batches(torch.zeros(3), torch.zeros(4), batch_size=2))
    with pytest.raises(ValueError, match="positive integer"):
        list(data.batches(torch.zeros(3), batch_size=0))


def test_first_of_each_picks_the_first_sample_of_each_class():
    labels = torch.tensor([2, 0, 1, 0, 2, 1])
    assert data.first_of_each(labels, classes=range(3)) == [1, 2, 0]
    assert data.first_of_each(labels, classes=(2, 0)) == [0, 1]
    named_right = torch.tensor([False, False, True, True, True, True])
    assert data.first_of_each(labels, classes=range(3), where=named_right) == [3, 2, 4]
    with pytest.raises(ValueError, match="no sample of class 0 where `where` is true"):
        data.first_of_each(labels, classes=range(3), where=torch.zeros(6, dtype=torch.bool))
    with pytest.raises(ValueError, match="no sample of class 7"):
        data.first_of_each(labels, classes=(7,))
    with pytest.raises(ValueError, match="labels must be a 1-D integer tensor, got torch.float32"):
        data.first_of_each(labels.float())
    with pytest.raises(ValueError, match=r"where must be a boolean tensor of shape \(6,\)"):
        data.first_of_each(labels, where=torch.ones(6))


def test_batches_take_the_numpy_integer_that_checks_positive_int_takes():
    import numpy as np

    from aelab import _arg_checks

    size = np.int64(2)
    assert _arg_checks.positive_int("batch_size", size) == 2
    assert [len(b[0]) for b in data.batches(torch.zeros(5), batch_size=size, shuffle=False)] == [2, 2, 1]
    with pytest.raises(ValueError, match=r"^batch_size must be a positive integer, got 2\.5\.$"):
        list(data.batches(torch.zeros(5), batch_size=2.5))
