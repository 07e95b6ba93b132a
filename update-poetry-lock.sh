#!/usr/bin/env bash
# Relock poetry.lock from pyproject.toml, then rewrite requirements.txt from the new lock.
#
#   ./update-poetry-lock.sh               keep every locked version pyproject.toml still allows
#   ./update-poetry-lock.sh --regenerate  resolve everything afresh (upgrades within the ranges)
#
# Arguments go to `poetry lock`. The export is `make requirements`, the one definition that
# tests/integration/test_requirements.py also runs to find a stale requirements.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Poetry's settings as the Makefile exports them: without them `poetry lock` on a fresh clone would
# create a virtual environment outside the project.
export POETRY_VIRTUALENVS_IN_PROJECT=true
export POETRY_VIRTUALENVS_PREFER_ACTIVE_PYTHON=false
export POETRY_NO_INTERACTION=1

poetry=.tools/poetry/bin/poetry
make --silent --no-print-directory "$poetry"  # bootstraps Poetry + export plugin if absent/stale
"$poetry" lock "$@"
make --no-print-directory requirements
