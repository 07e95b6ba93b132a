"""The domain error hierarchy, as adapters will see it: English messages as the core writes them,
and the same messages in another language when an adapter passes its gettext to `render`."""

from __future__ import annotations

import logging

import pytest

from domain.errors import (
    AllProvidersUnavailable,
    DomainError,
    InvalidInput,
    NotFound,
    ProviderUnavailable,
)

#: A tiny catalogue standing in for Django's gettext.
FRENCH = {
    "Location {id} was not found.": "Le lieu {id} est introuvable.",
    "must be between {low} and {high}.": "doit être compris entre {low} et {high}.",
    "must be a number.": "doit être un nombre.",
    "{provider} is unavailable: {reason}": "{provider} est indisponible : {reason}",
    "timed out": "délai dépassé",
    "every weather provider failed ({reasons})": "tous les fournisseurs ont échoué ({reasons})",
}


def french(template: str) -> str:
    return FRENCH.get(template, template)


def test_invalid_input_names_its_field_for_problem_details() -> None:
    error = InvalidInput("hours", "must be between {low} and {high}.", low=1, high=384)
    assert error.errors == {"hours": ["must be between 1 and 384."]}
    assert error.reason == "must be between 1 and 384."
    assert str(error) == error.message == "hours: must be between 1 and 384."
    assert isinstance(error, ValueError)
    assert isinstance(error, DomainError)


def test_invalid_input_in_another_language_keeps_its_field_name() -> None:
    error = InvalidInput("hours", "must be between {low} and {high}.", low=1, high=384)
    assert error.errors_in(french) == {"hours": ["doit être compris entre 1 et 384."]}
    assert error.render(french) == "hours: doit être compris entre 1 et 384."
    assert error.message == "hours: must be between 1 and 384."  # English stays the message


def test_not_found_says_what_was_missing() -> None:
    error = NotFound("Location {id} was not found.", id="abc")
    assert str(error) == "Location abc was not found."
    assert error.template == "Location {id} was not found."
    assert error.params == {"id": "abc"}


def test_not_found_in_french_formats_the_translation_with_the_same_values() -> None:
    assert NotFound("Location {id} was not found.", id="abc").render(french) == (
        "Le lieu abc est introuvable."
    )


def test_a_template_without_parameters_is_its_own_text_braces_and_all() -> None:
    error = DomainError("Send {} or {x} literally.")
    assert error.message == "Send {} or {x} literally."
    assert error.render(french) == "Send {} or {x} literally."


def test_a_translation_that_does_not_fit_its_parameters_gives_english(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(template: str) -> str:
        return "doit être entre {bas} et {haut}." if template.startswith("must be") else template

    error = InvalidInput("days", "must be between {low} and {high}.", low=1, high=16)
    with caplog.at_level(logging.WARNING, logger="domain.errors"):
        assert error.errors_in(broken) == {"days": ["must be between 1 and 16."]}
    assert "does not fit its parameters" in caplog.text


def test_an_english_template_that_does_not_fit_its_parameters_is_a_bug() -> None:
    with pytest.raises(KeyError):
        InvalidInput("days", "must be between {low} and {high}.", low=1)


def test_all_providers_unavailable_keeps_every_reason() -> None:
    failures = [ProviderUnavailable("open-meteo", "timed out"), ProviderUnavailable("met", "503")]
    error = AllProvidersUnavailable(failures)
    assert isinstance(error, ProviderUnavailable)
    assert error.failures == tuple(failures)
    assert "open-meteo" in str(error)
    assert "met" in str(error)
    assert "timed out" in str(error)


def test_all_providers_unavailable_translates_every_reason_it_holds() -> None:
    error = AllProvidersUnavailable([ProviderUnavailable("open-meteo", "timed out")])
    assert error.render(french) == (
        "open-meteo est indisponible : tous les fournisseurs ont échoué "
        "(open-meteo est indisponible : délai dépassé)"
    )


def test_all_providers_unavailable_without_providers_still_explains() -> None:
    assert "no provider" in str(AllProvidersUnavailable([]))
