"""Whether an international number is valid, and whose it is: phonenumbers' answer, sooner.

phonenumbers calls a number valid when it fits its region's general description and one of
up to ten kinds (premium rate, toll free, …, fixed line, mobile), each a length check and a
regular expression tried from Python; for +1, +7 or +44 it repeats that for each region
sharing the code until one claims the number (25 regions for +1). Reading a scanned number
that way was half of an exact phone lookup at a million contacts, and the most for the
numbers no region claims.

Here the kinds of a region are joined, for each length, into one expression compiled the
first time a number of that region and length is read, so a region costs one `fullmatch`.
The metadata and the order of the questions are phonenumbers' own;
`tests/core/test_phone_validity.py` checks that the answers agree for every calling code.
"""

from __future__ import annotations

import re
from typing import Any

# What makes a number valid besides the general description (phonenumbers' number types).
# Mobile counts only where its pattern differs from fixed line's: where they are the same,
# phonenumbers asks fixed line alone.
_KINDS = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
          "uan", "voicemail", "fixed_line")  # fmt: skip
_NON_GEO = "001"  # phonenumbers' region for +800, +882 and the other codes of no country

_NEVER = re.compile(r"(?!)")
_unions: dict[tuple[int, str, int], re.Pattern[str]] = {}
_leads: dict[str, re.Pattern[str]] = {}
_generals: dict[tuple[int, str], tuple[re.Pattern[str], frozenset[int]] | None] = {}


def _pn() -> Any:
    # measured start-up cost: phonenumbers (~13 ms), first needed here (a number read)
    import phonenumbers

    return phonenumbers


def _metadata(code: int, region: str) -> Any:
    return _pn().PhoneMetadata.metadata_for_region_or_calling_code(code, region)


def _leading(pattern: str) -> re.Pattern[str]:
    found = _leads.get(pattern)
    if found is None:
        found = _leads[pattern] = re.compile(pattern)
    return found


def _usable(desc: Any) -> bool:
    return desc is not None and bool(desc.national_number_pattern)


def _general(code: int, region: str, meta: Any) -> tuple[re.Pattern[str], frozenset[int]] | None:
    key = (code, region)
    if key not in _generals:
        desc = meta.general_desc
        _generals[key] = (
            (re.compile(desc.national_number_pattern), frozenset(desc.possible_length))
            if _usable(desc)
            else None
        )
    return _generals[key]


def _union(code: int, region: str, meta: Any, length: int) -> re.Pattern[str]:
    """The kinds of number of `length` digits a region has, as one expression."""
    key = (code, region, length)
    found = _unions.get(key)
    if found is None:
        descs = [getattr(meta, kind) for kind in _KINDS]
        if not meta.same_mobile_and_fixed_line_pattern:
            descs.append(meta.mobile)
        parts = [
            f"(?:{d.national_number_pattern})"
            for d in descs
            if _usable(d) and (not d.possible_length or length in d.possible_length)
        ]
        found = _unions[key] = re.compile("|".join(parts)) if parts else _NEVER
    return found


def _has_kind(nsn: str, code: int, region: str, meta: Any) -> bool:
    """phonenumbers' `_number_type_helper(nsn, meta) != UNKNOWN`."""
    general = _general(code, region, meta)
    if general is None:
        return False
    pattern, lengths = general
    if lengths and len(nsn) not in lengths:
        return False
    if pattern.fullmatch(nsn) is None:
        return False
    return _union(code, region, meta, len(nsn)).fullmatch(nsn) is not None


def region_of(number: Any) -> str | None:
    """phonenumbers' `region_code_for_number`: the one region of the calling code, or the
    first region sharing it whose leading digits (else whose kinds of number) fit."""
    pn = _pn()
    code = number.country_code
    regions = pn.COUNTRY_CODE_TO_REGION_CODE.get(code)
    if regions is None:
        return None
    if len(regions) == 1:
        return str(regions[0])
    nsn = pn.national_significant_number(number)
    if _claimants(code, regions, len(nsn)).fullmatch(nsn) is None:
        return None  # no region's test below would pass: one expression, not 25 tries
    return _region_by_region(code, tuple(str(r) for r in regions), nsn)


def _claim(code: int, region: str, length: int) -> str | None:
    """The expression that matches the national digits (`length` of them) `region` would
    claim under calling code `code`, as phonenumbers asks: its leading digits when it has
    them, else its general pattern and the union of its number kinds; None when it cannot."""
    meta = _pn().PhoneMetadata.metadata_for_region(region.upper(), None)
    if meta is None:
        return None
    if meta.leading_digits is not None:  # a prefix decides, as `.match` reads it
        return f"(?:{meta.leading_digits})[0-9]*"
    general = _general(code, region, meta)
    if general is None or (general[1] and length not in general[1]):
        return None
    return f"(?=(?:{general[0].pattern})\\Z)(?:{_union(code, region, meta, length).pattern})"


def _claimants(code: int, regions: Any, length: int) -> re.Pattern[str]:
    """The tests `region_of` makes of each region sharing `code`, for numbers of `length`
    digits, as one expression that matches when any of them would pass. A number no region
    claims (an eighth of the numbers at a million contacts, most of them +1) was tried
    against every region in turn: the slowest exact lookups."""
    key = (code, "*", length)
    found = _unions.get(key)
    if found is None:
        parts = [c for region in regions if (c := _claim(code, region, length)) is not None]
        found = _unions[key] = re.compile("|".join(parts)) if parts else _NEVER
    return found


def valid_in(number: Any, region: str | None) -> bool:
    """phonenumbers' `is_valid_number_for_region`."""
    if region is None:
        return False
    pn = _pn()
    code = number.country_code
    meta = _metadata(code, region.upper())
    if meta is None or (region != _NON_GEO and code != pn.country_code_for_valid_region(region)):
        return False
    return _has_kind(pn.national_significant_number(number), code, region, meta)


def region_if_valid(number: Any) -> tuple[bool, str | None]:
    """(valid, region) as phonenumbers' `is_valid_number` and `region_code_for_number` say."""
    region = region_of(number)
    return valid_in(number, region), region


def facts_of(code: int, nsn: str) -> tuple[bool, str | None]:
    """`region_if_valid` of the number with calling code `code` and national significant
    number `nsn` (digits, leading zeros included), without building a PhoneNumber: one
    expression for the number's calling code and length says whose it is and (for a code of
    one region) whether it is valid; a shared code (+1, +7, +44) asks a second for the
    region it found. The per-question route was ~10 µs of a ~20 µs phone lookup at a
    million contacts (`tests/core/test_phone_validity.py` checks that both agree)."""
    judge = _judges.get((code, len(nsn)))
    if judge is None:
        judge = _judges[code, len(nsn)] = _judge(code, len(nsn))
    regions, claims, kinds = judge
    if len(regions) == 1:
        return kinds[0].fullmatch(nsn) is not None, regions[0]
    found = claims.fullmatch(nsn)
    if found is None:
        return False, None
    name = found.lastgroup
    if name is None or name[:1] != "r":  # not one of ours: ask as region_of asks
        region = _region_by_region(code, regions, nsn)
        if region is None:
            return False, None
        return kinds[regions.index(region)].fullmatch(nsn) is not None, region
    i = int(name[1:])
    return kinds[i].fullmatch(nsn) is not None, regions[i]


_Judge = tuple[tuple[str, ...], re.Pattern[str], tuple[re.Pattern[str], ...]]
_judges: dict[tuple[int, int], _Judge] = {}


def _judge(code: int, length: int) -> _Judge:
    """For numbers of `length` digits under `code`: (the code's regions, one expression
    whose named alternative `rI` matches when region I is the first to claim the number as
    `region_of` asks, and for each region the expression `valid_in` amounts to)."""
    pn = _pn()
    regions = tuple(str(r) for r in pn.COUNTRY_CODE_TO_REGION_CODE.get(code, ()))
    kinds = tuple(_valid_pattern(code, region, length) for region in regions)
    if len(regions) <= 1:
        return regions, _NEVER, kinds
    parts = [
        f"(?P<r{i}>{c})"
        for i, region in enumerate(regions)
        if (c := _claim(code, region, length)) is not None
    ]
    return regions, re.compile("|".join(parts)) if parts else _NEVER, kinds


def _valid_pattern(code: int, region: str, length: int) -> re.Pattern[str]:
    """What `valid_in(number, region)` asks of a number of `length` digits, as one
    expression (`_NEVER` when no such number can be valid there)."""
    pn = _pn()
    meta = _metadata(code, region.upper())
    if meta is None or (region != _NON_GEO and code != pn.country_code_for_valid_region(region)):
        return _NEVER
    general = _general(code, region, meta)
    if general is None or (general[1] and length not in general[1]):
        return _NEVER
    union = _union(code, region, meta, length)
    if union is _NEVER:
        return _NEVER
    return re.compile(f"(?=(?:{general[0].pattern})\\Z)(?:{union.pattern})")


def _region_by_region(code: int, regions: tuple[str, ...], nsn: str) -> str | None:
    """`region_of`'s loop over the regions sharing `code`."""
    pn = _pn()
    for region in regions:
        meta = pn.PhoneMetadata.metadata_for_region(region.upper(), None)
        if meta is None:
            continue
        if meta.leading_digits is not None:
            if _leading(meta.leading_digits).match(nsn):
                return region
        elif _has_kind(nsn, code, region, meta):
            return region
    return None
