"""The project's message catalogue: extract every text to translate, update the French `.po`,
compile the `.mo` (`make messages`). Python and Babel only: no GNU gettext anywhere.

Run from the repository root, as the Makefile does:

    .venv/bin/python locale/catalogues.py            # extract, update fr/…/django.po, compile
    .venv/bin/python locale/catalogues.py --check    # exit 1 if either file lags behind the code

What is extracted (docs/decisions/0015-message-catalogues-compiled-and-committed.md):

- the Python of `domain/`, `application/`, `adapters/` and `server_config/` (not migrations),
  with Babel's extractor: Django's gettext family, and the core's own markers, which are the
  error classes themselves (the template argument of `InvalidInput(field, "must be …", …)`,
  `NotFound("… {id} …", id=…)` and the others; `translatable(…)` for a template elsewhere).
  An f-string there cannot be translated as written: Babel skips it, with a warning;
- the Django templates under `adapters/*/templates/`, through Django's own `templatize` (what
  `makemessages` feeds to xgettext), then Babel's Python extractor;
- the WMO conditions of `domain/weather_codes.py`, under the context `weather condition` (the
  REST adapter's `condition_label` looks them up there; the domain marks nothing).

New texts arrive untranslated (or "fuzzy", guessed from a similar old text): translate them in
the `.po`, remove the `fuzzy` flag, and run this again to compile.
`tests/integration/test_message_catalogues.py` fails while any text of the code has no French (or
a translation's placeholders differ from its text's), and while the `.mo` is not the `.po`
compiled; `tests/api/test_languages.py` reads the French the API, the dashboard and the admin give.
This file is a script, not a module of the project: `locale/` is no package (and must never be
one: it would shadow the standard library's `locale`).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
LANGUAGES = ("fr",)
DOMAIN = "django"
PYTHON_SOURCES = ("domain", "application", "adapters", "server_config")
TEMPLATE_SOURCES = "adapters/*/templates/**/*.html"
#: As in `adapters.rest.serializers.weather` (a test holds the two equal).
CONDITION_CONTEXT = "weather condition"

#: Babel's keyword specs: argument positions of the message (and of its context, `(n, "c")`).
DJANGO_KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
#: The core's errors take their template first, or after the field or the provider it is about
#: (`domain/errors.py`).
CORE_KEYWORDS = {
    "translatable": None,
    "DomainError": (1,),
    "NotFound": (1,),
    "Forbidden": (1,),
    "Conflict": (1,),
    "StorageUnavailable": (1,),
    "QueueUnavailable": (1,),
    "InvalidInput": (2,),
    "ProviderUnavailable": (2,),
}
KEYWORDS = {**DJANGO_KEYWORDS, **CORE_KEYWORDS}
#: In the adapters, what a provider says went wrong is a diagnostic, shown as it is: only the core
#: writes a `ProviderUnavailable` reason as a template.
ADAPTER_KEYWORDS = {name: spec for name, spec in KEYWORDS.items() if name != "ProviderUnavailable"}
COMMENT_TAGS = ("Translators:",)
HEADER_COMMENT = (
    "# The F_BRAIN backend's own texts: API problems and validation messages, weather conditions,\n"
    "# the dashboard, the admin's labels. Translate the msgstr lines, keep every {placeholder},\n"
    "# then `make messages` (locale/catalogues.py) re-extracts and compiles django.mo."
)


def python_files() -> Iterator[Path]:
    for source in PYTHON_SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def template_files() -> Iterator[Path]:
    yield from sorted(ROOT.glob(TEMPLATE_SOURCES))


def _add(
    catalog: Catalog, path: Path, messages: list[tuple[int, object, list[str], object]]
) -> None:
    where = path.relative_to(ROOT).as_posix()
    for lineno, message, comments, context in messages:
        catalog.add(
            message,  # type: ignore[arg-type]
            locations=[(where, lineno)],
            auto_comments=comments,
            context=context,  # type: ignore[arg-type]
        )


def extracted() -> Catalog:
    """Every text of the code to translate, as a template (no translations)."""
    from django.utils.translation.template import templatize

    sys.path.insert(0, str(ROOT))
    from domain.weather_codes import CONDITIONS, UNKNOWN_CONDITION

    catalog = Catalog(domain=DOMAIN, project="F_BRAIN backend", charset="utf-8")
    for path in python_files():
        with path.open("rb") as source:
            keywords = ADAPTER_KEYWORDS if path.parts[len(ROOT.parts)] == "adapters" else KEYWORDS
            _add(catalog, path, list(extract("python", source, keywords, COMMENT_TAGS)))
    for path in template_files():
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        # Python's tokenizer would read the template's indentation; every call is on one line.
        lines = (line.lstrip() for line in code.splitlines())
        code_bytes = io.BytesIO("\n".join(lines).encode("utf-8"))
        _add(catalog, path, list(extract("python", code_bytes, DJANGO_KEYWORDS, COMMENT_TAGS)))
    conditions = ROOT / "domain" / "weather_codes.py"
    for text in (*CONDITIONS.values(), UNKNOWN_CONDITION):
        _add(catalog, conditions, [(0, text, ["A WMO weather condition."], CONDITION_CONTEXT)])
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="F_BRAIN backend", fuzzy=False)
    with path.open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


def updated(catalog: Catalog, template: Catalog) -> Catalog:
    """`catalog` with the texts of `template`: new ones untranslated (or fuzzy), gone ones
    dropped (git remembers them), translations of the others kept."""
    template.creation_date = catalog.creation_date  # a stable header: no diff without a change
    catalog.update(template, update_header_comment=False)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    catalog.header_comment = HEADER_COMMENT
    catalog.project, catalog.version = "F_BRAIN backend", "1"
    catalog.msgid_bugs_address = catalog.last_translator = catalog.language_team = "F_BRAIN"
    catalog.revision_date = catalog.creation_date
    return catalog


def po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    # Without line numbers: the `.po` changes when a text does, not whenever code above it moves
    # (the file names stay, to tell a translator where a text is used).
    write_po(out, catalog, width=100, sort_by_file=True, ignore_obsolete=True, include_lineno=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """`catalog` compiled; entries still fuzzy or untranslated are left out, as msgfmt does."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def untranslated(catalog: Catalog) -> list[str]:
    return [
        str(message.id)
        for message in catalog
        if message.id and (message.fuzzy or not message.string or not all(message.string))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="locale/catalogues.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    template = extracted()
    stale = False
    for language in LANGUAGES:
        catalog = updated(read(language), template)
        po, mo = po_text(catalog), mo_bytes(read_po(io.BytesIO(po_text(catalog))))
        for path, content in ((po_path(language), po), (mo_path(language), mo)):
            current = path.read_bytes() if path.exists() else b""
            if current == content:
                continue
            stale = True
            if args.check:
                print(f"{path.relative_to(ROOT)} is stale: run make messages", file=sys.stderr)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                print(f"wrote {path.relative_to(ROOT)}")
        missing = untranslated(catalog)
        if missing:
            print(f"{language}: {len(missing)} texts to translate in {po_path(language)}:")
            for text in missing:
                print(f"  {text!r}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
