"""The French catalogue is complete, its placeholders fit, and the committed `.mo` is its `.po`.

`locale/catalogues.py` (`make messages`) extracts every text of the code with Babel and compiles
the `.mo` with Babel too: these tests run the same functions, so a text added without a French
translation, a translation that lost or renamed a `{placeholder}`, or a `.po` edited without
recompiling fails here rather than in front of a French reader
(docs/decisions/0015-message-catalogues-compiled-and-committed.md).
"""

from __future__ import annotations

import importlib.util
import io
import string
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    """`locale/catalogues.py`, loaded from its path: `locale` is no package (it would shadow the
    standard library's `locale`)."""
    path = ROOT / "locale" / "catalogues.py"
    spec = importlib.util.spec_from_file_location("f_brain_catalogues", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


catalogues = _script()


@pytest.fixture(scope="module")
def french() -> Catalog:
    catalog: Catalog = catalogues.read("fr")
    return catalog


def _brace_fields(text: str) -> list[tuple[str, str | None, str | None]]:
    """The `{name!conversion:spec}` fields of a `str.format` template, sorted."""
    try:
        parsed = string.Formatter().parse(text)
        return sorted(
            (name, conversion, spec) for _, name, spec, conversion in parsed if name is not None
        )
    except ValueError:  # not a format template: no fields to keep
        return []


def _texts(message: Message) -> list[str]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    return [str(text) for text in ids]


def _translations(message: Message) -> list[str]:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [str(text) for text in strings]


def test_the_po_holds_exactly_the_texts_of_the_code(french: Catalog) -> None:
    """What `make messages` would write is what is committed: no text missing, none stale."""
    expected = catalogues.po_text(catalogues.updated(catalogues.read("fr"), catalogues.extracted()))

    assert catalogues.po_path("fr").read_bytes() == expected, "stale: run `make messages`"


def test_every_text_has_a_french_translation(french: Catalog) -> None:
    assert catalogues.untranslated(french) == []
    assert len([message for message in french if message.id]) > 100


def test_every_translation_keeps_the_placeholders_of_its_text(french: Catalog) -> None:
    mismatched = [
        (message.id, message.string)
        for message in french
        if message.id
        and any(
            _brace_fields(translated) != _brace_fields(_texts(message)[0])
            for translated in _translations(message)
        )
    ]

    assert mismatched == []


def test_babel_finds_no_error_in_the_percent_placeholders(french: Catalog) -> None:
    """Django's templates give `%(name)s` texts: Babel's own checkers (python-format)."""
    errors = [(message.id, [str(error) for error in found]) for message, found in french.check()]

    assert errors == []


def test_the_committed_mo_is_the_po_compiled() -> None:
    po = catalogues.po_path("fr").read_bytes()

    compiled = catalogues.mo_bytes(read_po(io.BytesIO(po), locale="fr", domain="django"))

    assert catalogues.mo_path("fr").read_bytes() == compiled, "stale: run `make messages`"


def test_django_reads_the_committed_mo() -> None:
    with translation.override("fr"):
        assert translation.pgettext(catalogues.CONDITION_CONTEXT, "Overcast") == "Couvert"
        assert (
            translation.gettext("Location {id} was not found.") == "Le lieu {id} est introuvable."
        )


def test_the_script_and_the_serializers_agree_on_the_condition_context() -> None:
    from adapters.rest.serializers.weather import CONDITION_CONTEXT

    assert catalogues.CONDITION_CONTEXT == CONDITION_CONTEXT


def test_the_placeholder_check_can_fail() -> None:
    """The check above would see a renamed or dropped field."""
    assert _brace_fields("doit être entre {bas} et {high}.") != _brace_fields(
        "must be between {low} and {high}."
    )
    assert _brace_fields("{name!r} n’est pas un fuseau.") != _brace_fields(
        "{name} is not an IANA time zone name."
    )
