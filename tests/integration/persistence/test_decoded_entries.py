"""`_Decoded`: one decoded copy per distinct cache entry, within a byte budget."""

from __future__ import annotations

from adapters.persistence.cache import _Decoded


def test_equal_entries_decode_to_one_shared_copy() -> None:
    decoded = _Decoded(budget_bytes=10_000)
    value = ("reading", 18.5, None)

    first = decoded.decode(decoded.encode(value))
    again = decoded.decode(decoded.encode(value))  # other bytes objects, equal content

    assert first == value
    assert again is first


def test_the_oldest_copies_go_first_to_stay_within_the_budget() -> None:
    entries = [_Decoded(budget_bytes=0).encode(("reading", index)) for index in range(4)]
    decoded = _Decoded(budget_bytes=2 * max(len(entry) for entry in entries))
    copies = [decoded.decode(entry) for entry in entries]

    assert decoded.decode(entries[3]) is copies[3]  # still kept
    assert decoded.decode(entries[0]) is not copies[0]  # dropped, decoded afresh
    assert decoded.decode(entries[0]) == copies[0]
    assert decoded._kept <= decoded._budget
