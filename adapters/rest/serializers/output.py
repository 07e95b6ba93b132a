"""`FlatResultSerializer`: the JSON of a flat result DTO, written by a plan made once per class.

DRF's `Serializer.to_representation` walks bound copies of the declared fields for every object
(and deep-copies them for every serializer instance): on a page of 50 locations or a 48-hour
forecast that walk was the largest part of the request. The fields stay declared as usual — they
are the OpenAPI schema — and the first use of a class turns them into a list of
(key, attribute, converter) that each object then goes through. Output equals DRF's own, which
`tests/api/test_output_serializers.py` checks field type by field type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rest_framework import serializers

from adapters.rest.serializers.queries import InstantField, instant_text

Converter = Callable[[Any], Any]
Plan = tuple[tuple[str, str, Converter], ...]

#: Field types whose `to_representation` is exactly a builtin; others keep their own method.
_DIRECT: dict[type[serializers.Field[Any, Any, Any, Any]], Converter] = {
    serializers.FloatField: float,
    serializers.IntegerField: int,
    serializers.CharField: str,
    InstantField: instant_text,
}


def _converter(field: serializers.Field[Any, Any, Any, Any]) -> Converter:
    if isinstance(field, serializers.UUIDField) and field.uuid_format == "hex_verbose":
        return str
    return _DIRECT.get(type(field), field.to_representation)


class FlatResultSerializer(serializers.Serializer[Any]):
    """For results whose every field is a plain attribute of the object (no `source` paths,
    no nested serializers); a class that breaks the rule fails on its first use."""

    _plans: ClassVar[dict[type[FlatResultSerializer], Plan]] = {}

    @classmethod
    def plan(cls) -> Plan:
        plan = FlatResultSerializer._plans.get(cls)
        if plan is None:
            plan = FlatResultSerializer._plans[cls] = cls._make_plan()
        return plan

    @classmethod
    def _make_plan(cls) -> Plan:
        steps = []
        for name, field in cls().fields.items():
            if field.write_only:
                continue
            if isinstance(field, serializers.BaseSerializer) or len(field.source_attrs) != 1:
                raise TypeError(f"{cls.__name__}.{name} is not a plain attribute field.")
            steps.append((name, field.source_attrs[0], _converter(field)))
        return tuple(steps)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """`null` for a missing value, as DRF writes it, without calling the converter."""
        return {
            key: None if (value := getattr(instance, attribute)) is None else convert(value)
            for key, attribute, convert in self.plan()
        }
