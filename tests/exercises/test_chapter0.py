"""Chapter 0's exercise: the book's solution passes; the wrong answers a student gives do not."""

import pandas as pd
import pytest

from aelab import data, exercises, models, runtime, train

EPOCHS = 8  # the chapter's quick-profile budget


def _fit(latent_dim, epochs=EPOCHS, lr=5e-3):
    digits = data.mnist(verbose=False)
    runtime.seed_everything(0)
    model = models.MLPAutoencoder((1, 28, 28), latent_dim=latent_dim, hidden=(128, 64), output="sigmoid")
    history = train.fit(model, digits.x_train, train.reconstruction_objective(), epochs=epochs, lr=lr,
                        batch_size=256, test=digits.x_test)
    return model, history


@pytest.fixture(scope="module")
def book():
    """The chapter's 2-number model and the book's solution, as the quick profile trains them."""
    model, history = _fit(2)
    wider, wider_history = _fit(10)
    return dict(wider=wider, wider_history=wider_history, model=model, history=history)


def _says(capsys, ex, **answers):
    passed = ex.check(**answers)
    return bool(passed), capsys.readouterr().out


def test_the_books_solution_passes_in_both_profiles(book, capsys, monkeypatch):
    ex = exercises.get("ex0-latent")
    monkeypatch.setenv("AELAB_QUICK", "1")
    passed, said = _says(capsys, ex, **book)
    assert passed and said.startswith("Correct as far as the quick profile can tell")
    assert "checked in the full profile only" in said  # it does not print the full profile's verdict
    monkeypatch.delenv("AELAB_QUICK")
    passed, said = _says(capsys, ex, **book)
    assert passed and said.startswith("Correct: ten numbers reconstruct") and "10 numbers / 2 numbers" in said


def test_the_untouched_starter_is_not_attempted(capsys):
    passed, said = _says(capsys, exercises.get("ex0-latent"), wider=..., wider_history=..., model=..., history=...)
    assert not passed and said.startswith("Not attempted")


def test_typed_numbers_fail(book, capsys):
    ex = exercises.get("ex0-latent")
    typed = pd.DataFrame({"epoch": range(1, EPOCHS + 1), "train_loss": [0.02] * EPOCHS, "test_loss": [0.02] * EPOCHS})
    passed, said = _says(capsys, ex, **dict(book, wider_history=typed))
    assert not passed and "the history's last test_loss is 0.02, but the model wider gives" in said
    passed, said = _says(capsys, ex, **dict(book, wider=0.02))
    assert not passed and "wider should be the autoencoder you trained" in said


def test_an_untrained_model_fails(book, capsys):
    ex = exercises.get("ex0-latent")
    runtime.seed_everything(0)
    fresh = models.MLPAutoencoder((1, 28, 28), latent_dim=10, hidden=(128, 64), output="sigmoid")
    passed, said = _says(capsys, ex, **dict(book, wider=fresh))  # with the trained model's history
    assert not passed and "the model wider gives" in said
    # its own loss typed into a history of the right length: it matches, but it learnt nothing
    digits = data.mnist(verbose=False)
    own = train.evaluate(fresh, digits.x_test, train.reconstruction_objective())["loss"]
    typed = pd.DataFrame({"epoch": range(1, EPOCHS + 1), "train_loss": own, "test_loss": [own] * EPOCHS})
    passed, said = _says(capsys, ex, **dict(book, wider=fresh, wider_history=typed))
    assert not passed and "no better than drawing the mean image" in said


def test_the_wrong_model_or_history_fails(book, capsys):
    ex = exercises.get("ex0-latent")
    passed, said = _says(capsys, ex, **dict(book, wider=book["model"], wider_history=book["history"]))
    assert not passed and "wider has a code of 2 numbers; the exercise asks for 10" in said
    passed, said = _says(capsys, ex, **dict(book, wider_history=book["history"]))  # the 2-number model's
    assert not passed and "pass the model and the history train.fit returned for it" in said
    passed, said = _says(capsys, ex, **dict(book, model=book["wider"], history=book["wider_history"]))
    assert not passed and "model has a code of 10 numbers; the exercise asks for 2" in said


def test_another_number_of_epochs_fails(book, capsys):
    short, short_history = _fit(10, epochs=3)
    passed, said = _says(capsys, exercises.get("ex0-latent"), **dict(book, wider=short, wider_history=short_history))
    assert not passed and f"as many epochs as the 2-number one ({EPOCHS}), not 3" in said


def test_the_rule_is_the_claims_and_can_fail():
    ex = exercises.get("ex0-latent")
    assert all(c.holds for c in ex.rule(wide=0.03, narrow=0.04))
    assert not any(c.holds for c in ex.rule(wide=0.04, narrow=0.03))
    assert not any(c.holds for c in ex.rule(wide=0.04, narrow=0.04))  # a tie is not "better"
