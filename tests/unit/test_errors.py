"""The domain error hierarchy, as adapters will see it."""

from __future__ import annotations

from domain.errors import (
    AllProvidersUnavailable,
    DomainError,
    InvalidInput,
    NotFound,
    ProviderUnavailable,
)


def test_invalid_input_names_its_field_for_problem_details() -> None:
    error = InvalidInput("hours", "must be between 1 and 384.")
    assert error.errors == {"hours": ["must be between 1 and 384."]}
    assert isinstance(error, ValueError)
    assert isinstance(error, DomainError)


def test_not_found_says_what_was_missing() -> None:
    assert str(NotFound("Location", "abc")) == "Location abc was not found."


def test_all_providers_unavailable_keeps_every_reason() -> None:
    failures = [ProviderUnavailable("open-meteo", "timed out"), ProviderUnavailable("met", "503")]
    error = AllProvidersUnavailable(failures)
    assert isinstance(error, ProviderUnavailable)
    assert error.failures == tuple(failures)
    assert "open-meteo" in str(error)
    assert "met" in str(error)
    assert "timed out" in str(error)


def test_all_providers_unavailable_without_providers_still_explains() -> None:
    assert "no provider" in str(AllProvidersUnavailable([]))
