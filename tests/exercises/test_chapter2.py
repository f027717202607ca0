"""Chapter 2's exercise checks, against a right, a wrong and a wrong-kind answer."""

from types import SimpleNamespace

import numpy as np
import pandas as pd

from aelab import exercises

PCA_ERROR = {1: 0.176, 2: 0.024, 3: 1e-15}


def test_ex2_latent_size_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex2-latent-size")
    four, one = SimpleNamespace(latent_dim=4), SimpleNamespace(latent_dim=1)
    assert ex.check(ae4_mse=6.6e-5, wide=four, pca_error=PCA_ERROR)
    assert "Correct" in capsys.readouterr().out
    assert not ex.check(ae4_mse=0.02, wide=four, pca_error=PCA_ERROR)  # trained too little
    assert "not under a tenth of PCA-2's" in capsys.readouterr().out
    assert not ex.check(ae4_mse=6.6e-5, wide=one, pca_error=PCA_ERROR)  # the code is too small
    assert "as large as the input" in capsys.readouterr().out
    assert not ex.check(ae4_mse=pd.DataFrame({"train_loss": [1.0]}), wide=four, pca_error=PCA_ERROR)
    assert "should be one finite number" in capsys.readouterr().out


def _narrow(errors):
    return pd.DataFrame({"hidden units": [1, 1, 2, 2], "activation": ["tanh", "relu"] * 2,
                         "autoencoder MSE": errors})


def test_ex2_hidden_width_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex2-hidden-width")
    assert ex.check(narrow=_narrow([0.213, 0.375, 0.154, 0.375]), pca_error=PCA_ERROR)
    assert "Correct" in capsys.readouterr().out
    assert not ex.check(narrow=_narrow([0.213, 0.375, 1e-4, 0.375]), pca_error=PCA_ERROR)  # too wide a layer
    assert "beats PCA with 2 component(s)" in capsys.readouterr().out
    assert not ex.check(narrow=_narrow([0.2] * 4).assign(**{"hidden units": [1, 1, 1, 1]}), pca_error=PCA_ERROR)
    assert "with 1 and with 2 hidden units" in capsys.readouterr().out
    assert not ex.check(narrow=[0.2, 0.3], pca_error=PCA_ERROR)
    assert "should be a pandas DataFrame" in capsys.readouterr().out


def test_ex2_seeds_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex2-seeds")
    X = np.zeros((100, 3))
    t = np.linspace(-1, 1, 100)
    codes = np.column_stack([t, -2 * t + 0.1, np.tanh(3 * t), np.where(t < 0, t + 5, t)])
    assert ex.check(codes_by_seed=codes, X=X)
    assert "Correct" in capsys.readouterr().out
    assert not ex.check(codes_by_seed=np.column_stack([t, 3 * t + 1]), X=X)  # one seed's code twice
    assert "hold the same code" in capsys.readouterr().out
    assert not ex.check(codes_by_seed=t, X=X)  # one code, not one per seed
    assert "of shape (100, number of seeds)" in capsys.readouterr().out


def _ordering(ordered, correlations):
    index = pd.MultiIndex.from_tuples([("PCA", 0)] + [("autoencoder", s) for s in range(len(ordered) - 1)],
                                      names=["method", "seed"])
    return pd.DataFrame({"ordered": ordered, "largest |correlation|": correlations}, index=index)


def test_ex2_ordering_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex2-ordering")
    assert ex.check(ordering=_ordering([True, True, False, False], [1e-7, 0.49, 0.22, 0.65]))
    assert "Correct" in capsys.readouterr().out
    assert not ex.check(ordering=_ordering([True, True, True, True], [1e-7, 0.49, 0.22, 0.65]))
    assert "every autoencoder run comes out ordered" in capsys.readouterr().out
    assert not ex.check(ordering=_ordering([True, True, False, False], [1e-7, 0.49, 0.01, 0.65]))
    assert "largest |correlation| is only 0.010" in capsys.readouterr().out
    assert not ex.check(ordering=_ordering([False, True, False, False], [1e-7, 0.49, 0.22, 0.65]))
    assert "PCA's coordinates should come out ordered" in capsys.readouterr().out
    flat = _ordering([True, True, False, False], [1e-7, 0.49, 0.22, 0.65]).reset_index()
    assert not ex.check(ordering=flat)
    assert "indexed by (method, seed)" in capsys.readouterr().out


def test_ex2_relu_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex2-relu")
    assert ex.check(bends={"relu": 12, "tanh": 98})
    assert "Correct" in capsys.readouterr().out
    assert not ex.check(bends={"relu": 60, "tanh": 98})
    assert "more than its 8 hidden units' corners" in capsys.readouterr().out
    assert not ex.check(bends={"relu": 12, "tanh": 10})
    assert "bends at only 10" in capsys.readouterr().out
    assert not ex.check(bends=[12, 98])
    assert "should be a dict with the keys" in capsys.readouterr().out
    assert not ex.check(bends={"relu": 0.12, "tanh": 0.98})
    assert "should be a count" in capsys.readouterr().out


def _l1(mean_z, ratio, weights, mse):
    return pd.DataFrame({"run": ["no penalty", "L1, lambda = 0.01"], "MSE": mse, "mean |z|": mean_z,
                         "smaller std / larger std": ratio, "decoder's first weights, norm": weights}).set_index("run")


def test_ex2_l1_right_wrong_and_wrong_kind(capsys):
    ex = exercises.get("ex2-l1")
    assert ex.check(l1=_l1([0.93, 0.25], [0.82, 0.75], [3.6, 4.5], [2e-4, 2.4e-4]), pca_error=PCA_ERROR)
    assert "Correct" in capsys.readouterr().out
    assert not ex.check(l1=_l1([0.93, 0.9], [0.82, 0.8], [3.6, 3.6], [2e-4, 2e-4]), pca_error=PCA_ERROR)  # no penalty
    assert "not under half the unpenalised" in capsys.readouterr().out
    assert not ex.check(l1=_l1([0.93, 0.25], [0.82, 0.75], [3.6, 3.0], [2e-4, 2.4e-4]), pca_error=PCA_ERROR)
    assert "did not grow" in capsys.readouterr().out
    assert not ex.check(l1=_l1([0.93, 0.25], [0.82, 0.01], [3.6, 4.5], [2e-4, 2.4e-4]), pca_error=PCA_ERROR)
    assert "smaller spread is only 1%" in capsys.readouterr().out
    assert not ex.check(l1=_l1([0.93, 0.25], [0.82, 0.75], [3.6, 4.5], [2e-4, 0.05]), pca_error=PCA_ERROR)
    assert "not under a third of PCA-2's" in capsys.readouterr().out
    assert not ex.check(l1=_l1([0.93, 0.25], [0.82, 0.75], [3.6, 4.5], [2e-4, 2.4e-4]).iloc[:1], pca_error=PCA_ERROR)
    assert "two rows" in capsys.readouterr().out
    assert not ex.check(l1={"MSE": 1}, pca_error=PCA_ERROR)
    assert "should be a pandas DataFrame" in capsys.readouterr().out
