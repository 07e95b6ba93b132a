"""`FlatResultSerializer`: the JSON of a flat result DTO, written by a plan made once per class.

DRF's `Serializer.to_representation` walks bound copies of the declared fields for every object
(and deep-copies them for every serializer instance): on a page of 50 locations or a 48-hour
forecast that walk was the largest part of the request. The fields stay declared as usual — they
are the OpenAPI schema — and the first use of a class compiles them into one function.

Ids, instants and dates are left as objects for the renderer, which writes them in C as the
contract spells them (orjson, with `OPT_UTC_Z`: `2026-11-24T14:00:00Z`); turning each into text
here was half of a location list's time. What a client receives equals DRF's own output for
the same fields, which `tests/api/test_output_serializers.py` checks field type by field type.

A field whose text depends on the language of the response (`LocalizedField`: the
`condition_label` of readings and forecast points) makes its class compile one writer per
language, each with the converter that field gives for it; a list asks for its writer once, so
the language is looked up once per list, not once per item (that lookup costs more than
writing a point).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from django.utils.translation import get_language
from rest_framework import serializers

from adapters.rest.serializers.queries import CalendarDateField, InstantField, in_utc

Converter = Callable[[Any], Any]
Plan = tuple[tuple[str, str, Converter | None], ...]
Writer = Callable[[Any], dict[str, Any]]

#: Field types whose `to_representation` is exactly a builtin; others keep their own method.
_DIRECT: dict[type[serializers.Field[Any, Any, Any, Any]], Converter] = {
    serializers.FloatField: float,
    serializers.IntegerField: int,
    serializers.CharField: str,
}


class LocalizedField(serializers.CharField):
    """A text field written in the language of the response."""

    def converter(self) -> Converter:
        """How a value is written in the active language: asked once per language, so it may
        compute what it needs for that language up front."""
        raise NotImplementedError


def _converter(field: serializers.Field[Any, Any, Any, Any]) -> Converter | None:
    """How a field's value becomes what the renderer writes; `None`: as it is."""
    if isinstance(field, LocalizedField):
        return field.converter()
    if isinstance(field, serializers.UUIDField) and field.uuid_format == "hex_verbose":
        return None  # written as its canonical text
    if isinstance(field, CalendarDateField):
        return None  # written as YYYY-MM-DD
    if isinstance(field, InstantField):
        return in_utc  # so that it is written with Z
    own: Converter = field.to_representation
    if type(field) is serializers.BooleanField:
        return partial(_boolean, own)
    return _DIRECT.get(type(field), own)


def _boolean(own: Converter, value: Any) -> Any:
    """A boolean as it is; anything else as DRF writes it (its method costs eight calls)."""
    return value if value is True or value is False else own(value)


class FlatListSerializer(serializers.ListSerializer[Any]):
    """`many=True` of a `FlatResultSerializer`: one writer for the whole list."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        write = self.child.writer()  # type: ignore[union-attr]
        return [write(item) for item in data]


class FlatResultSerializer(serializers.Serializer[Any]):
    """For results whose every field is a plain attribute of the object (no `source` paths,
    no nested serializers); a class that breaks the rule fails on its first use."""

    class Meta:
        list_serializer_class = FlatListSerializer

    _writers: ClassVar[dict[object, Writer]] = {}
    _localized: ClassVar[dict[type[FlatResultSerializer], bool]] = {}

    @classmethod
    def plan(cls) -> Plan:
        steps = []
        for name, field in cls().fields.items():
            if field.write_only:
                continue
            if isinstance(field, serializers.BaseSerializer) or len(field.source_attrs) != 1:
                raise TypeError(f"{cls.__name__}.{name} is not a plain attribute field.")
            steps.append((name, field.source_attrs[0], _converter(field)))
        return tuple(steps)

    @classmethod
    def writer(cls) -> Writer:
        """The class's writer; in the active language if a field is a `LocalizedField`."""
        localized = FlatResultSerializer._localized.get(cls)
        if localized is None:
            localized = FlatResultSerializer._localized[cls] = any(
                isinstance(field, LocalizedField) for field in cls().fields.values()
            )
        key = (cls, get_language()) if localized else cls
        writer = FlatResultSerializer._writers.get(key)
        if writer is None:
            writer = FlatResultSerializer._writers[key] = _compiled(cls.plan())
        return writer

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return self.writer()(instance)


def _compiled(plan: Plan) -> Writer:
    """The plan as one function of straight-line code (the way attrs writes `__init__`): a
    loop over the steps cost a third more per object. `null` for a missing value, as DRF
    writes it, without calling the converter. Keys and attributes are the serializer's own
    field names, checked to be identifiers; converters are passed in, never written out."""
    lines = ["def write(instance):", "    return {"]
    namespace: dict[str, Any] = {}
    for index, (key, attribute, convert) in enumerate(plan):
        if not (key.isidentifier() and attribute.isidentifier()):
            raise TypeError(f"{key!r} is not a plain attribute field.")
        if convert is None:
            lines.append(f"        {key!r}: instance.{attribute},")
            continue
        namespace[f"convert_{index}"] = convert
        lines.append(
            f"        {key!r}: None if (value_{index} := instance.{attribute}) is None"
            f" else convert_{index}(value_{index}),"
        )
    lines.append("    }")
    exec("\n".join(lines), namespace)  # noqa: S102 - the source is built from field names alone
    writer: Writer = namespace["write"]
    return writer
