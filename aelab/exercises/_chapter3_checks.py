"""The measures and rules behind chapter 3's exercises, rechecked from the models passed."""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from .. import data, metrics, models
from ..comparisons import above, below
from ..train import classification_objective, evaluate, reconstruction_objective
from ._base import Problem, autoencoder, history_problem, matching_test_loss


# A classifier of ten classes that guesses uniformly has a test cross-entropy of ln 10: a trained one is below it.
GUESSING = math.log(10)


def _digits():
    return data.mnist(verbose=False)  # the chapter's digits, from the same source


def _learnt(name: str, model, digits) -> None:
    """A :class:`Problem` unless the autoencoder ``model`` redraws the test digits better than the mean image."""
    error = evaluate(model, digits.x_test, reconstruction_objective())["loss"]
    floor = metrics.mean_image_error(digits.x_train, digits.x_test)
    if not error < floor:
        raise Problem(f"{name} redraws the test digits no better than the mean image (MSE {error:.4g} against "
                      f"{floor:.4g}): it is not a trained autoencoder; use the one the chapter trained.")


def _dict_of(name: str, value, keys, what: str) -> dict:
    if not isinstance(value, dict):
        raise Problem(f"{name} should be a dict of {what}, got {type(value).__name__}.")
    missing = [k for k in keys if k not in value]
    if missing:
        raise Problem(f"{name} lacks {', '.join(repr(k) for k in missing)}.")
    return value


def _classifier(name: str, model, digits, history) -> float:
    """The test accuracy of the classifier ``model``, once its ``history`` is shown to be its own and it learnt."""
    if not isinstance(model, models.ClassifierHead):
        raise Problem(f"{name} should be the models.ClassifierHead you trained, got {type(model).__name__}.")
    test, objective = (digits.x_test, digits.y_test), classification_objective(accuracy=True)
    loss = matching_test_loss(name, model, history, test, objective)
    if not loss < GUESSING:
        raise Problem(f"{name}'s test cross-entropy is {loss:.3g}, no better than guessing every digit with "
                      f"probability 1/10 (ln 10 = {GUESSING:.3g}): train it with train.fit before checking.")
    return evaluate(model, test, objective)["accuracy"]


# --------------------------------------------------------------------------- ex3-probe-size

PROBE_SIZES = (2, 10, 50)


def _probe_measure(probes, probe_hists, head_hists) -> dict:
    """The frozen probes' test accuracies on 2, 10 and 50 numbers, recomputed from the probes."""
    digits = _digits()
    _dict_of("probes", probes, PROBE_SIZES, "probes by code size")
    _dict_of("probe_hists", probe_hists, PROBE_SIZES, "histories by code size")
    _dict_of("head_hists", head_hists, ["conv encoder, frozen"], "section 3.6's histories")
    problem = history_problem("head_hists['conv encoder, frozen']", head_hists["conv encoder, frozen"])
    if problem:
        raise Problem(problem)
    epochs = len(head_hists["conv encoder, frozen"])
    accuracy = {}
    for k in PROBE_SIZES:
        probe = probes[k]
        if isinstance(probe, models.ClassifierHead):
            if not isinstance(probe.encoder, models.MLPAutoencoder):
                raise Problem(f"probes[{k}] sits on a {type(probe.encoder).__name__}; put it on mlp_aes[{k}], the "
                              f"MLP autoencoder of section 3.2.")
            autoencoder(f"probes[{k}]'s encoder", probe.encoder, latent_dim=k)
            if not probe.freeze_encoder:
                raise Problem(f"probes[{k}] trains its encoder too: a probe keeps it frozen "
                              f"(freeze_encoder=True).")
            _learnt(f"probes[{k}]'s autoencoder", probe.encoder, digits)
        accuracy[k] = _classifier(f"probes[{k}]", probe, digits, probe_hists[k])
        if len(probe_hists[k]) != epochs:
            raise Problem(f"train probes[{k}] for the {epochs} epochs of section 3.6 (head_settings), "
                          f"not {len(probe_hists[k])}.")
    return {"acc_2": accuracy[2], "acc_10": accuracy[10], "acc_50": accuracy[50], "n": len(digits.y_test)}


def _probe_rule(acc_2: float, acc_10: float, acc_50: float, n: int) -> list:
    """Two numbers are too few for the probe; 50 are not worse than 10 (the claim probe-size)."""
    return [above("10 minus 2 numbers, points", 100 * (acc_10 - acc_2), 100 * metrics.tie_band(acc_10, acc_2, n)),
            above("50 minus 10 numbers, points", 100 * (acc_50 - acc_10), -100 * metrics.tie_band(acc_50, acc_10, n))]


# --------------------------------------------------------------------------- ex3-batchnorm


def _has_batch_norm(model) -> bool:
    return any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules())


def _batchnorm_measure(plain, plain_hist, conv, conv_hist) -> dict:
    """Both networks' last test MSE, recomputed, once each is the network asked for, trained alike."""
    digits = _digits()
    for name, model, norm in (("plain", plain, False), ("conv", conv, True)):
        if not isinstance(model, models.ConvAutoencoder):
            raise Problem(f"{name} should be a models.ConvAutoencoder you trained, got {type(model).__name__}.")
        autoencoder(name, model, latent_dim=10)
        if _has_batch_norm(model) != norm:
            raise Problem("plain still has BatchNorm layers: build it with batch_norm=False." if name == "plain"
                          else "conv has no BatchNorm layers: pass the chapter's conv, the network with them.")
    objective = reconstruction_objective()
    without = matching_test_loss("plain", plain, plain_hist, digits.x_test, objective)
    with_bn = matching_test_loss("conv", conv, conv_hist, digits.x_test, objective)
    if len(plain_hist) != len(conv_hist):
        raise Problem(f"train plain for as many epochs as conv ({len(conv_hist)}), not {len(plain_hist)}: "
                      f"pass **conv_settings.")
    # Not _learnt: without BatchNorm the network may truly learn nothing better than the mean image (quick
    # seed 16 did); what shows it was trained is a history whose loss fell.
    losses = plain_hist["train_loss"] if "train_loss" in plain_hist else None
    if losses is None or not float(losses.iloc[-1]) < float(losses.iloc[0]):
        raise Problem("plain's history shows no training (its train_loss never falls): train plain with "
                      "train.fit as above and pass the history it returns.")
    return {"without": without, "with_bn": with_bn}


def _batchnorm_rule(without: float, with_bn: float) -> list:
    """Without BatchNorm the test error ends over 10 % higher (the claim batchnorm-ends-lower)."""
    return [above("without / with BatchNorm, last test MSE", without / with_bn, 1.1, log=True)]


# --------------------------------------------------------------------------- ex3-few-labels

# section 3.6's classifiers: the encoder each reads, and whether it stays frozen
FEW_KINDS = {"conv encoder, frozen": (models.ConvAutoencoder, True),
             "conv encoder, fine-tuned": (models.ConvAutoencoder, False),
             "PCA-10": (models.PCAEncoder, True),
             "pixels (logistic regression)": (nn.Flatten, False),
             "conv net, no pretraining": (models.ConvAutoencoder, False)}


def _few_measure(few_nets, few_hists, head_hists, few) -> dict:
    """Each classifier's test accuracy with all labels (section 3.6) and with few, recomputed from few_nets."""
    digits = _digits()
    names = list(FEW_KINDS)
    _dict_of("few_nets", few_nets, names, "classifiers by name")
    _dict_of("few_hists", few_hists, names, "histories by name")
    _dict_of("head_hists", head_hists, names, "section 3.6's histories")
    if isinstance(few, torch.Tensor):
        few = few.cpu().numpy()
    if not isinstance(few, np.ndarray) or few.ndim != 1 or few.dtype.kind not in "iu":
        raise Problem(f"few should be a 1-D tensor of indices into the training digits, got "
                      f"{type(few).__name__}.")
    share = len(np.unique(few)) / len(digits.y_train)
    if not 0.08 <= share <= 0.12:
        raise Problem(f"few picks {share:.0%} of the training digits, not a tenth (each index once).")
    accuracy = {}
    for name, (encoder, frozen) in FEW_KINDS.items():
        net, history, shown = few_nets[name], few_hists[name], f"few_nets[{name!r}]"
        if isinstance(net, models.ClassifierHead) and (not isinstance(net.encoder, encoder)
                                                      or net.freeze_encoder != frozen):
            raise Problem(f"{shown} should be made by head_makers[{name!r}], as in section 3.6 (a "
                          f"{encoder.__name__} encoder, {'frozen' if frozen else 'trained'}).")
        accuracy[name] = _classifier(shown, net, digits, history)
        problem = history_problem(f"head_hists[{name!r}]", head_hists[name])
        if problem:
            raise Problem(problem)
        if len(history) != 10 * len(head_hists[name]):
            raise Problem(f"train {shown} for 10 times section 3.6's {len(head_hists[name])} epochs (a tenth "
                          f"of the batches per epoch), not {len(history)}.")
    # trained on the labels of few alone, the fine-tuned network fits those digits far better than the rest
    tuned, rest = few_nets["conv encoder, fine-tuned"], np.setdiff1d(np.arange(len(digits.y_train)), few)
    seen, unseen = (evaluate(tuned, (digits.x_train[i], digits.y_train[i]), classification_objective())["loss"]
                    for i in (torch.as_tensor(few), torch.as_tensor(rest)))
    if not seen < unseen / 2:
        raise Problem(f"the fine-tuned network fits the digits of few no better than the other training digits "
                      f"(cross-entropy {seen:.3g} against {unseen:.3g}): train each classifier on "
                      f"(x_train[few], y_train[few]) only.")
    all_labels = {name: float(head_hists[name]["test_accuracy"].iloc[-1]) for name in names}
    return {"few_acc": accuracy, "all_acc": all_labels, "n": len(digits.y_test)}


def _few_band(few_acc: dict, all_acc: dict, n: int) -> float:
    """The tie band, in points, of the difference between the two frozen heads' losses.

    A loss is the difference of two accuracies, so the difference of two losses carries the chance of four.
    """
    shares = (all_acc["conv encoder, frozen"], few_acc["conv encoder, frozen"], all_acc["PCA-10"], few_acc["PCA-10"])
    return 100 * 2 * math.sqrt(sum(p * (1 - p) for p in shares) / n)


def _few_rule(few_acc: dict, all_acc: dict, n: int) -> list:
    """The fine-tuned encoder and the pixels lose accuracy; the frozen heads lose alike (the claim few-labels-cost)."""
    lost = {name: 100 * (all_acc[name] - few_acc[name]) for name in ("conv encoder, frozen", "PCA-10")}
    tuned, pixels = "conv encoder, fine-tuned", "pixels (logistic regression)"
    return [above("fine-tuned: test errors, few / all labels",
                  metrics.error_ratio(few_acc[tuned], all_acc[tuned]), 1, log=True),
            above("pixels: test errors, few / all labels",
                  metrics.error_ratio(few_acc[pixels], all_acc[pixels]), 1, log=True),
            below("frozen heads' losses apart, points (either way)",
                  abs(lost["conv encoder, frozen"] - lost["PCA-10"]), _few_band(few_acc, all_acc, n))]


# --------------------------------------------------------------------------- ex3-full-covariance


def _covariance_measure(full_codes, noise, mlp_aes) -> dict:
    """How far the independent and the correlated draws lie from the training codes, recomputed."""
    digits = _digits()
    _dict_of("mlp_aes", mlp_aes, [50], "autoencoders by code size")
    model = autoencoder("mlp_aes[50]", mlp_aes[50], latent_dim=50)
    _learnt("mlp_aes[50]", model, digits)
    for name, value in (("full_codes", full_codes), ("noise", noise)):
        if not isinstance(value, torch.Tensor) or value.dim() != 2 or value.shape[1] != 50:
            raise Problem(f"{name} should be a tensor of random codes, one row of 50 numbers each, got "
                          f"{type(value).__name__} {tuple(getattr(value, 'shape', ()))}.")
    if full_codes.shape != noise.shape:
        raise Problem(f"full_codes should hold one code per row of noise ({len(noise)}), not {len(full_codes)}.")
    if not (abs(float(noise.mean())) < 0.2 and abs(float(noise.std()) - 1) < 0.2):
        raise Problem(f"noise should be section 3.4's standard-normal draws (mean 0, spread 1), not draws of mean "
                      f"{float(noise.mean()):.2f} and spread {float(noise.std()):.2f}.")
    model.eval()
    with torch.no_grad():
        z = model.encode(digits.x_train)  # (N, 50) the training codes
        mu, sd = z.mean(0), z.std(0)
        chol = torch.linalg.cholesky(torch.cov(z.T) + 1e-5 * torch.eye(50, device=z.device))
        noise = noise.to(z.device, z.dtype)
        independent, correlated = mu + sd * noise, mu + noise @ chol.T
        given = full_codes.detach().to(z.device, z.dtype)
        if not torch.allclose(given, correlated, rtol=1e-3, atol=1e-3 * float(sd.mean())):
            spread = float((given.std(0) / z.std(0)).median())
            raise Problem(
                "full_codes are section 3.4's independent draws: draw mu + noise @ L.T instead."
                if torch.allclose(given, independent, rtol=1e-3, atol=1e-3 * float(sd.mean())) else
                f"full_codes are not mu + noise @ L.T, with L the Cholesky factor of the covariance of the "
                f"training codes (torch.cov(z50_train.T)); their spread per dimension is {spread:.2f} times the "
                f"training codes' (the draws asked for give about 1).")
        d_full = metrics.nearest_distance(correlated, z).median()
        d_random = metrics.nearest_distance(independent, z).median()
    return {"d_full": float(d_full), "d_random": float(d_random)}


def _covariance_rule(d_full: float, d_random: float) -> list:
    """Correlated draws land closer to the training codes than independent ones (claim correlated-draws-closer)."""
    return [below("correlated / independent draws' distance", d_full / d_random, 1, log=True)]
