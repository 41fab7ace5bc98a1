"""Delimited badges without configuration (issue 11): the show's layout when it fits, else
the columns read by their content, and a layout learnt from a show's first scans."""

from __future__ import annotations

import pytest

from kiosk.badge_formats.layout import (
    check_layout,
    infer_fields,
    looks_like_id,
    looks_like_phone,
)
from kiosk.badges import BADGE_FIELD_NAMES, LayoutProposal, parse_badge, propose_layout
from kiosk.config import DEFAULT_BADGE_FIELDS

# --- the configured layout, when it fits ---------------------------------------------------


def test_a_badge_that_fits_the_show_layout_is_read_with_it() -> None:
    badge = parse_badge("EXPO2026-000903^Ana Ruiz^Acme^ana@acme.example^Spain^CEO^+34 600 123 456")
    assert (badge.inferred, badge.layout) == (False, DEFAULT_BADGE_FIELDS)
    assert (badge.name, badge.company, badge.title) == ("Ana Ruiz", "Acme", "CEO")
    assert badge.warnings == ()


def test_a_fitting_layout_wins_even_where_content_would_guess_otherwise() -> None:
    # Settled in issue 11: every typed field checks out, so the show's layout is used.
    badge = parse_badge("EXPO2026-001016;Ole;Nielsen;ole@nielsen.example")
    assert (badge.name, badge.company, badge.inferred) == ("Ole", "Nielsen", False)


def test_a_misspelt_country_in_the_right_column_keeps_the_layout() -> None:
    badge = parse_badge("1^Ana^Acme^^Atlantis")
    assert (badge.name, badge.company, badge.inferred) == ("Ana", "Acme", False)
    assert any("Atlantis" in w for w in badge.warnings)


def test_configured_first_and_last_name_layout() -> None:
    order = ["badge_id", "first_name", "last_name", "company", "title", "email", "country"]
    badge = parse_badge(
        "EXPO2026-000322|Amara|Diallo|Dakar Lumière|Directrice|amara@dakar.example|Senegal",
        field_order=order,
    )
    assert (badge.name, badge.title, badge.country, badge.inferred) == (
        "Amara Diallo",
        "Directrice",
        "SN",
        False,
    )
    assert badge.layout == tuple(order)


# --- read by content ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            "EXPO2026-000481^Kenji^Sato^Sato Lighting KK^Purchasing Manager^kenji@sato.example^JP",
            dict(badge_id="EXPO2026-000481", name="Kenji Sato", company="Sato Lighting KK",
                 title="Purchasing Manager", email="kenji@sato.example", country="JP"),
        ),
        (
            "CIFF26-A00318|Wei|Zhang|Guangzhou Lumen Co., Ltd.|Sales Director|wei@gz.example|中国",
            dict(badge_id="CIFF26-A00318", name="Wei Zhang", company="Guangzhou Lumen Co., Ltd.",
                 title="Sales Director", country="CN"),
        ),
        (
            "GLE26-0012345\tMaría\tGonzález\tAzteca S.A. de C.V.\tDirectora de Compras\t"
            "maria@azteca.example\tMéxico",
            dict(badge_id="GLE26-0012345", name="María González", company="Azteca S.A. de C.V.",
                 title="Directora de Compras", country="MX"),
        ),
        (
            "Priya;Nair;Lumina Exports Pvt Ltd;Head of Procurement;priya@lumina.example;"
            "+91 98200 12345;India;EXPO2026-000512",
            dict(badge_id="EXPO2026-000512", name="Priya Nair", phone="+91 98200 12345",
                 company="Lumina Exports Pvt Ltd", title="Head of Procurement", country="IN"),
        ),
        (
            "Ana Ruiz|Frutas del Sur S.L.|ana@frutas.example|+34 612 345 678|España",
            dict(badge_id=None, name="Ana Ruiz", company="Frutas del Sur S.L.",
                 phone="+34 612 345 678", country="ES"),
        ),
        (
            "EXPO2026-000555|Emma|Schmidt|Marketing Manager|Lichtwerk GmbH|emma@lw.example|Germany",
            dict(name="Emma Schmidt", title="Marketing Manager", company="Lichtwerk GmbH"),
        ),
        (
            "Bright Star Electronics Co., Ltd.^Chen Jie^General Manager^chen@bs.example^Taiwan^"
            "CIFF26-A00999",
            dict(badge_id="CIFF26-A00999", name="Chen Jie", title="General Manager",
                 company="Bright Star Electronics Co., Ltd.", country="TW"),
        ),
        (
            "CIFF26-B01234|李娜|深圳光明照明有限公司|采购经理|li.na@szgm.example|+86 755 8888 6666|CN",
            dict(name="李娜", company="深圳光明照明有限公司", title="采购经理", country="CN"),
        ),
        (
            "GLE26-0050001|Jean|Dupont|Lumen France|Directeur Commercial|01 42 68 53 00|"
            "jean@lumen.example|France",
            dict(name="Jean Dupont", company="Lumen France", phone="01 42 68 53 00", country="FR"),
        ),
    ],
)  # fmt: skip
def test_vendor_orders_are_read_by_content(payload: str, expected: dict[str, object]) -> None:
    badge = parse_badge(payload)
    assert badge.kind == "delimited"
    assert badge.inferred
    assert {k: getattr(badge, k) for k in expected} == expected
    assert any("layout" in w for w in badge.warnings)


def test_inferred_layout_names_each_column() -> None:
    badge = parse_badge("Chloé|Bernard|chloe@lumineux.example|Lumineux SAS|France|EXPO2026-001018")
    assert badge.layout == ("first_name", "last_name", "email", "company", "country", "badge_id")
    assert set(badge.layout) <= set(BADGE_FIELD_NAMES)


def test_a_family_name_in_capitals_comes_last() -> None:
    badge = parse_badge("EXPO2026-000777|ROSSI|Marco|Luce Italia S.r.l.|IT|m.rossi@luce.example")
    assert (badge.name, badge.country) == ("Marco ROSSI", "IT")
    assert badge.layout[1:3] == ("last_name", "first_name")


def test_quoted_values_lose_their_quotes() -> None:
    badge = parse_badge('"EXPO2026-000901";"Lucas";"Martin";"Lumière SARL";"lucas@lum.example"')
    assert (badge.badge_id, badge.name, badge.company) == (
        "EXPO2026-000901",
        "Lucas Martin",
        "Lumière SARL",
    )


def test_the_inferred_warning_names_what_did_not_fit() -> None:
    badge = parse_badge("77^Li Wei^li.wei@example.cn^Acme Trading^CN")
    assert (badge.badge_id, badge.email, badge.company) == (
        "77",
        "li.wei@example.cn",
        "Acme Trading",
    )
    assert any("field 3" in w and "e-mail" in w for w in badge.warnings)


def test_a_first_name_that_is_a_country_stays_a_name() -> None:
    badge = parse_badge("Jordan|Smith|Acme Lighting Ltd|jordan@acme.example")
    assert (badge.name, badge.country) == ("Jordan Smith", None)


def test_two_letter_words_are_codes_only_in_capitals() -> None:
    badge = parse_badge("EXPO2026-1|Wei|Li|Acme Ltd|wei@acme.example")
    assert (badge.name, badge.country) == ("Wei Li", None)


# --- the pieces -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "score"),
    [
        ("EXPO2026-000481", 3), ("CIFF26-A00318", 3), ("GLE26-0012345", 3), ("REG:778899", 2),
        ("A-10442", 2), ("48812731", 2), ("77", 1), ("Ana Ruiz", 0), ("ana@x.example", 0),
        ("https://x.example/1", 0), ("+34 612 345 678", 0), ("Sales", 0),
    ],
)  # fmt: skip
def test_id_shapes(value: str, score: int) -> None:
    assert looks_like_id(value) == score


@pytest.mark.parametrize(
    ("value", "region", "phone"),
    [
        ("+34 612 345 678", None, True), ("0049 711 123456", None, True),
        ("01 42 68 53 00", "FR", True), ("030 1234567", None, True), ("48812731", None, False),
        ("EXPO2026-000481", None, False), ("+1 999", None, False), ("2026", "US", False),
    ],
)  # fmt: skip
def test_phone_shapes(value: str, region: str | None, phone: bool) -> None:
    assert looks_like_phone(value, region) is phone


def test_check_layout_tells_soft_from_hard_misfits() -> None:
    order = ["badge_id", "name", "company", "email", "country"]
    fit = check_layout(["Ana", "Acme", "ana@x.example", "", "Atlantis"], order)
    assert fit.ok == 0 and not fit.fits
    assert len(fit.hard) == 2  # a badge id without digits, an e-mail in the company column
    assert len(fit.soft) == 1  # a country the resolver does not know


def test_infer_fields_reports_typed_values_and_margin() -> None:
    inference = infer_fields(["EXPO2026-000481", "Kenji", "Sato", "kenji@sato.example", "Japan"])
    assert inference is not None
    assert inference.fields == ("badge_id", "first_name", "last_name", "email", "country")
    assert (inference.typed, inference.country) == (3, "JP")
    assert inference.margin > 0
    assert infer_fields(["", ""]) is None
    assert infer_fields(["x"] * 40) is None


# --- learning a show's layout ---------------------------------------------------------------

VENDOR_SCANS = [
    "EXPO2026-000481^Kenji^Sato^Sato Lighting KK^Purchasing Manager^kenji@sato.example^JP",
    "EXPO2026-000482^Ana^Ruiz^Frutas del Sur S.L.^Buyer^ana@frutas.example^ES",
    "EXPO2026-000483^Chidi^Okafor^Lagos Agro Ltd^Managing Director^chidi@lagos.example^Nigeria",
    "EXPO2026-000484^Emma^Schmidt^Lichtwerk GmbH^^emma@lw.example^Germany",
    "]Q1EXPO2026-000485^Li^Wei^Acme Trading Co.^Sales Manager^li.wei@acme.example^中国\r\n",
]


def test_propose_layout_from_the_first_scans() -> None:
    proposal = propose_layout(VENDOR_SCANS)
    assert isinstance(proposal, LayoutProposal)
    assert proposal.fields == (
        "badge_id", "first_name", "last_name", "company", "title", "email", "country",
    )  # fmt: skip
    assert (proposal.scans, proposal.agreeing, proposal.delimiter) == (5, 5, "^")
    assert proposal.confidence == round(5 / 6, 2)
    assert proposal.as_config() == list(proposal.fields)
    assert all(0 <= c <= 1 for c in proposal.columns)


def test_the_proposal_reads_badges_the_same_way_once_configured() -> None:
    proposal = propose_layout(VENDOR_SCANS)
    assert proposal is not None
    for scan in VENDOR_SCANS:
        configured = parse_badge(scan, field_order=proposal.fields)
        assert not configured.inferred
        inferred = parse_badge(scan)
        assert (configured.name, configured.company, configured.country) == (
            inferred.name,
            inferred.company,
            inferred.country,
        )


def test_propose_layout_accepts_badges_and_outvotes_an_odd_scan() -> None:
    scans = [parse_badge(s) for s in VENDOR_SCANS] + [
        "EXPO2026-000486^Acme Trading Co.^Li Wei^^^li@acme.example^CN",  # a damaged one
    ]
    proposal = propose_layout(scans)
    assert proposal is not None
    assert proposal.fields[:3] == ("badge_id", "first_name", "last_name")
    assert proposal.agreeing == 5 and proposal.scans == 6
    assert proposal.confidence < round(5 / 6, 2)


def test_few_scans_give_little_confidence() -> None:
    one = propose_layout(VENDOR_SCANS[:1])
    assert one is not None and one.confidence <= 0.5


def test_nothing_to_learn_from_other_kinds_of_scan() -> None:
    assert (
        propose_layout(
            ["EXPO2026-000481", "MECARD:N:Ruiz,Ana;;", "ID:1;NAME:Ana;EMAIL:a@b.example"]
        )
        is None
    )
    assert propose_layout([]) is None


def test_the_most_common_separator_wins() -> None:
    proposal = propose_layout([*VENDOR_SCANS[:3], "A1|Ana Ruiz|ana@x.example"])
    assert proposal is not None and proposal.delimiter == "^"
