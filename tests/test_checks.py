"""aelab.checks: the shared checks, on their own (each function's use of them is tested with it)."""

import numpy as np
import pytest
import torch

from aelab import checks


def test_in_range_strict_and_with_slack_on_tensors_and_arrays():
    checks.in_range("x", torch.tensor([0.0, 1.0]), 0, 1)  # the ends are inside
    with pytest.raises(ValueError, match=r"^x must lie in \[0, 1\], but run from 0 to 1\.01\.$"):
        checks.in_range("x", np.array([0.0, 1.01]), 0, 1)
    checks.in_range("x", torch.tensor([-0.9, 1.9]), 0, 1, slack=1.0)  # a little outside: let through
    with pytest.raises(ValueError, match=r"^x must lie in \[0, 1\] for a sigmoid, but run from 0 to 255; "
                       r"divide by 255\.$"):
        checks.in_range("x", torch.tensor([0, 255], dtype=torch.uint8), 0, 1, slack=1.0,
                        why=" for a sigmoid", hint="divide by 255")
    checks.in_range("x", torch.zeros(0), 0, 1)  # nothing to check
    checks.in_range("x", np.array([np.nan, 0.5]), 0, 1)  # NaN is finite_array's to refuse


def test_labels_say_where_the_number_of_classes_comes_from():
    with pytest.raises(ValueError, match=r"^y must hold labels 0 to 2 for 3 logits, got values from 1 to 3; "
                       r"labels counted from 1 need y - 1\.$"):
        checks.labels("y", torch.tensor([1, 2, 3]), 3, 3, " for 3 logits")
    with pytest.raises(ValueError, match=r"^y must hold labels 0 to 2, got values from 0 to 5\.$"):
        checks.labels("y", torch.tensor([0, 5, 1]), 3, 3)
    checks.labels("y", torch.tensor([0, 2, 1]), 3, 3)
