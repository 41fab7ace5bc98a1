"""Scenarios for the ownership engine: each one is a situation at the booth and its answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.config import ShowConfig
from kiosk.models import Contact, Decision, Salesperson, TerritoryRule
from kiosk.routing import RULES, company_key, decide, route_unknown

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
FILED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIRST = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
RECENT = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
CONFIG = ShowConfig()
PEOPLE = {
    p.id: p
    for p in (
        Salesperson("ana", "Ana Ruiz"),
        Salesperson("li", "Li Wei"),
        Salesperson("ken", "Ken Sato"),
        Salesperson("mia", "Mia Chen"),
        Salesperson("dirk", "Dirk Vogel"),
    )
}
RULE_ROWS = [
    TerritoryRule(5, 9, "default", "", ("ana",)),  # listed first on purpose: tiers still apply
    TerritoryRule(1, 1, "domain", "toyota.co.jp", ("ken",)),
    TerritoryRule(2, 2, "company", "Siemens AG", ("dirk",)),
    TerritoryRule(3, 3, "country", "JP, KR", ("ken", "mia")),
    TerritoryRule(4, 4, "region", "EU", ("dirk",)),
]


def fake_regions(alpha2: str, group: str) -> bool:
    return group.upper() == "EU" and alpha2 in {"DE", "FR", "ES"}


def run(visitor: Contact, **kw) -> Decision:
    kw.setdefault("salespeople", PEOPLE)
    kw.setdefault("rules", RULE_ROWS)
    kw.setdefault("config", CONFIG)
    kw.setdefault("now", NOW)
    kw.setdefault("in_region", fake_regions)
    return decide(visitor, **kw)


def check(d: Decision, rule: str, sp: str | None, **evidence: datetime | str) -> None:
    """Rule, person and the evidence used (datetimes compared as ISO strings)."""
    assert d.rule == rule and rule in RULES
    assert d.salesperson_id == sp
    assert d.evidence["decided_at"] == NOW.isoformat()
    for key, value in evidence.items():
        want = value.isoformat() if isinstance(value, datetime) else value
        assert d.evidence.get(key) == want, (key, d.evidence)
    assert d.reason and "\n" not in d.reason


def customer(**kw) -> Contact:
    base = dict(
        id="c1",
        name="Taro Yamada",
        company="Nippon Widgets",
        email="taro@widgets.jp",
        country="JP",
        owner_id="ana",
        filed_at=FILED,
        first_contact_by="ana",
        first_contact_at=FIRST,
        last_contact_at=RECENT,
    )
    return Contact(**(base | kw))


def new_visitor(**kw) -> Contact:
    return Contact(**({"id": None, "name": "Jane Doe"} | kw))


# Rule 1 ------------------------------------------------------------------------------


def test_known_customer_walks_in_alone():
    d = run(customer())
    check(d, "existing-owner", "ana", filed_at=FILED, first_contact_at=FIRST, owner_id="ana")
    assert d.flags == {"known"} and d.proposals == ()
    assert "Ana Ruiz" in d.reason and "2026-03-02" in d.reason


@pytest.mark.parametrize(("precedence", "called"), [("filed", "ana"), ("first_contact", "li")])
def test_filed_versus_first_contact_follows_configured_precedence(precedence, called):
    early = datetime(2026, 1, 10, tzinfo=UTC)
    visitor = customer(first_contact_by="li", first_contact_at=early)
    d = run(visitor, config=replace(CONFIG, precedence=precedence))
    check(d, "owner-precedence", called, filed_at=FILED, first_contact_at=early)
    assert d.evidence["owner_id"] == "ana" and d.evidence["first_contact_by"] == "li"
    assert {"ownership-conflict", "known"} <= d.flags
    assert "2026-03-02" in d.reason and "2026-01-10" in d.reason
    # Either way the conflict is an item for the manager: the card is amber, never green.
    assert [(p.kind, p.proposed_id, p.current_id) for p in d.proposals] == [
        ("reassign", "li", "ana")
    ]
    assert "needs-decision" in d.flags
    if called == "ana":
        assert "until the manager decides" in d.proposals[0].reason


# Rule 2 ------------------------------------------------------------------------------


def test_brought_by_another_keeps_owner_and_proposes_assistant():
    d = run(customer(), brought_by="li")
    check(d, "brought-by", "ana", filed_at=FILED, brought_by="li", suggested_split="0.3")
    (p,) = d.proposals
    assert (p.kind, p.proposed_id, p.current_id, p.split) == ("assistant", "li", "ana", 0.3)
    assert {"brought-by", "needs-decision"} <= d.flags and "Li Wei" in d.reason


@pytest.mark.parametrize(
    ("suggested", "maximum", "expected"), [(0.7, 0.8, 0.5), (0.3, 0.2, 0.2), (0.5, 0.5, 0.5)]
)
def test_split_is_capped_by_engine_even_when_config_says_more(suggested, maximum, expected):
    config = replace(CONFIG, suggested_split=suggested, max_split=maximum)
    d = run(customer(), brought_by="li", config=config)
    check(d, "brought-by", "ana", filed_at=FILED)
    assert d.proposals[0].split == expected <= 0.5


def test_brought_by_the_owner_adds_nothing():
    d = run(customer(), brought_by="ana")
    check(d, "existing-owner", "ana", filed_at=FILED, brought_by="ana")
    assert d.proposals == () and "brought-by" not in d.flags


# Rule 3 ------------------------------------------------------------------------------


def test_lapsed_owner_is_flagged_and_reassignment_proposed_not_applied():
    last = NOW - timedelta(days=214)
    visitor = customer(
        filed_at=last - timedelta(days=30), first_contact_at=None, last_contact_at=last
    )
    d = run(visitor)
    check(d, "lapsed-owner", "ana", last_activity_at=last, last_contact_at=last)
    assert d.evidence["days_since_activity"] == "214" and d.evidence["lapse_days"] == "90"
    assert {"lapsed", "needs-decision"} <= d.flags
    assert "214 days" in d.reason and last.strftime("%Y-%m-%d") in d.reason
    (p,) = d.proposals
    assert (p.kind, p.proposed_id, p.current_id) == ("reassign", "ken", "ana")


def test_lapse_boundary_is_strictly_more_than_lapse_days():
    at_limit = customer(
        filed_at=NOW - timedelta(days=90), first_contact_at=None, last_contact_at=None
    )
    d = run(at_limit)
    check(d, "existing-owner", "ana", last_activity_at=NOW - timedelta(days=90))
    assert "lapsed" not in d.flags
    over = replace(at_limit, filed_at=NOW - timedelta(days=90, seconds=1))
    check(run(over), "lapsed-owner", "ana", filed_at=NOW - timedelta(days=90, seconds=1))


def test_lapse_days_is_configurable():
    visitor = customer(
        last_contact_at=NOW - timedelta(days=45), filed_at=None, first_contact_at=None
    )
    check(run(visitor), "existing-owner", "ana", last_contact_at=NOW - timedelta(days=45))
    d = run(visitor, config=replace(CONFIG, lapse_days=30))
    check(d, "lapsed-owner", "ana", lapse_days="30", days_since_activity="45")


def test_lapsed_proposal_never_names_the_lapsed_owner_and_no_dates_means_no_lapse():
    old = NOW - timedelta(days=400)
    d = run(
        customer(
            owner_id="ken",
            first_contact_by=None,
            filed_at=old,
            first_contact_at=None,
            last_contact_at=None,
        )
    )
    check(d, "lapsed-owner", "ken", filed_at=old)
    assert d.proposals[0].proposed_id == "mia"  # same territory rule, not the lapsed owner
    sole = customer(owner_id="dirk", country="DE", first_contact_by=None, filed_at=old)
    d = run(replace(sole, first_contact_at=None, last_contact_at=None))
    check(d, "lapsed-owner", "dirk", last_activity_at=old)
    # Not the default owner: an open item with nobody proposed, the manager chooses.
    assert [(p.kind, p.proposed_id, p.current_id) for p in d.proposals] == [
        ("reassign", None, "dirk")
    ]
    assert {"lapsed", "needs-decision"} <= d.flags
    undated = customer(filed_at=None, first_contact_at=None, last_contact_at=None)
    d = run(undated)
    check(d, "existing-owner", "ana")
    assert "lapsed" not in d.flags and "last_activity_at" not in d.evidence


# Rule 4 ------------------------------------------------------------------------------


@pytest.mark.parametrize("via_argument", [True, False])
def test_customer_preference_is_a_proposal_owner_unchanged(via_argument):
    visitor = customer() if via_argument else customer(preferred_id="li")
    d = run(visitor, preferred_id="li" if via_argument else None)
    check(d, "customer-preference", "ana", filed_at=FILED, preferred_id="li")
    (p,) = d.proposals
    assert (p.kind, p.proposed_id, p.current_id) == ("preference", "li", "ana")
    assert "preference" in d.flags


# Rule 5 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visitor", "rule", "sp", "rule_id"),
    [
        (new_visitor(email="Taro@Toyota.co.jp", country="US"), "key-account-domain", "ken", 1),
        (new_visitor(email="t@mail.eu.toyota.co.jp"), "key-account-domain", "ken", 1),
        (new_visitor(company="SIEMENS", country="BR"), "key-account-company", "dirk", 2),
        (new_visitor(company="Siemens A.G.", country="BR"), "key-account-company", "dirk", 2),
        (new_visitor(email="x@nottoyota.co.jp", country="KR"), "territory-country", "ken", 3),
        (new_visitor(country="DE"), "territory-region", "dirk", 4),
        (new_visitor(country="BR", company="Siemens Energy"), "default-owner", "ana", 5),
    ],
)
def test_unknown_visitor_routed_by_territory_in_tier_order(visitor, rule, sp, rule_id):
    d = run(visitor)
    check(d, rule, sp)
    assert d.territory_rule_id == rule_id and d.evidence["territory_rule"].startswith(
        f"#{rule_id} "
    )
    assert "new-visitor" in d.flags and d.proposals == ()
    assert ("key-account" in d.flags) == rule.startswith("key-account")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Toyota Motor Co., Ltd.", "TOYOTA MOTOR CO LTD"),
        ("Acme GmbH & Co. KG", "acme"),
        ("Grupo Bimbo, S.A.B. de C.V.", "Grupo Bimbo SAB de CV"),
        ("Cemex S.A. de C.V.", "cemex"),
        ("トヨタ自動車株式会社", "トヨタ自動車"),
        ("株式会社デンソー", "デンソー"),
        ("华为技术有限公司", "华为技术"),
        ("PT Astra International Tbk", "Astra International"),
        ("Müller Ltd", "MULLER"),
    ],
)
def test_company_key_strips_legal_forms(a, b):
    assert company_key(a) == company_key(b) != ""


def test_company_key_keeps_a_name_that_is_only_a_legal_form():
    assert company_key("Inc.") == "inc" and company_key("") == "" and company_key(None) == ""


def rotate(rule_people, *, away=(), rotation="round-robin", n=4):
    people = {k: replace(v, away=k in away) for k, v in PEOPLE.items()}
    rules = [TerritoryRule(7, 1, "country", "JP", rule_people)]
    counts: dict[tuple[int, str], int] = {}
    chosen = []
    for _ in range(n):
        d = run(
            new_visitor(country="JP"),
            salespeople=people,
            rules=rules,
            rotation_counts=counts,
            config=replace(CONFIG, rotation=rotation),
        )
        check(d, "territory-country", d.salesperson_id)
        chosen.append(d.salesperson_id)
        counts[(7, d.salesperson_id)] = counts.get((7, d.salesperson_id), 0) + 1
    return chosen, d


def test_round_robin_between_two_reps_over_four_visitors():
    chosen, last = rotate(("ken", "mia"))
    assert chosen == ["ken", "mia", "ken", "mia"]
    assert last.evidence["rotation"] == "round-robin (ken=2, mia=1)"


def test_round_robin_skips_the_one_marked_away():
    chosen, last = rotate(("ken", "mia", "li"), away={"mia"})
    assert chosen == ["ken", "li", "ken", "li"]
    assert "Mia Chen (rule #7)" in last.evidence["away"]


def test_rotation_first_always_takes_the_first_present():
    assert rotate(("ken", "mia"), rotation="first")[0] == ["ken"] * 4
    assert rotate(("ken", "mia"), away={"ken"}, rotation="first")[0] == ["mia"] * 4


def test_whole_territory_away_falls_through_to_next_rule_then_unrouted():
    people = {k: replace(v, away=k in {"ken", "mia"}) for k, v in PEOPLE.items()}
    d = run(new_visitor(country="JP"), salespeople=people)
    check(d, "default-owner", "ana", territory_rule="#5 (position 9) default → ana")
    assert d.evidence["away"] == "Ken Sato (rule #3); Mia Chen (rule #3)"
    everyone = {k: replace(v, away=True) for k, v in PEOPLE.items()}
    d = run(new_visitor(country="JP"), salespeople=everyone)
    check(d, "unrouted", None)
    assert {"unrouted", "needs-decision"} <= d.flags and "Ana Ruiz (rule #5)" in d.evidence["away"]


def test_nothing_matches_is_unrouted_but_a_bringer_is_proposed():
    d = run(new_visitor(country="BR"), rules=RULE_ROWS[1:], brought_by="li")
    check(d, "unrouted", None, brought_by="li", country="BR")
    assert [(p.kind, p.proposed_id) for p in d.proposals] == [("reassign", "li")]


def test_known_contact_without_valid_owner_is_routed_by_territory():
    for owner, flag in ((None, "no-owner"), ("gone", "owner-missing")):
        d = run(customer(owner_id=owner, first_contact_by=None))
        check(d, "territory-country", "ken", filed_at=FILED)
        assert {flag, "known", "needs-decision"} <= d.flags
        assert [(p.kind, p.proposed_id, p.current_id) for p in d.proposals] == [
            ("reassign", "ken", owner)
        ]


def test_real_region_groups():
    regions = pytest.importorskip("kiosk.countries.regions")
    assert regions.in_group("DE", regions.normalize_group("EU"))
    rules = [
        TerritoryRule(9, 1, "region", "eu", ("dirk",)),
        TerritoryRule(10, 2, "region", "Latam", ("li",)),
    ]
    d = decide(new_visitor(country="FR"), salespeople=PEOPLE, rules=rules, config=CONFIG, now=NOW)
    check(d, "territory-region", "dirk", country="FR")
    d = decide(new_visitor(country="MX"), salespeople=PEOPLE, rules=rules, config=CONFIG, now=NOW)
    check(d, "territory-region", "li", country="MX")
    d = decide(new_visitor(country="JP"), salespeople=PEOPLE, rules=rules, config=CONFIG, now=NOW)
    check(d, "unrouted", None)


# Owner away, invitations, disputes, key accounts, odd input ---------------------------


def test_away_owner_is_still_called_with_backup_named():
    people = PEOPLE | {"ana": replace(PEOPLE["ana"], away=True)}
    d = run(customer(assistant_id="li", split=0.3), salespeople=people)
    check(d, "existing-owner", "ana", filed_at=FILED, backup_id="li")
    assert "owner-away" in d.flags and "Li Wei" in d.reason


def test_invitation_dispute_and_key_account_flags_on_known_customer():
    visitor = customer(email="taro@toyota.co.jp")
    d = run(visitor, invited_by="li", open_dispute=True)
    check(d, "existing-owner", "ana", filed_at=FILED, invited_by="li")
    assert {"invited", "dispute", "key-account", "needs-decision"} <= d.flags
    assert d.evidence["key_account_rule"].startswith("#1 ") and "invited by Li Wei" in d.reason


def test_naive_datetimes_are_utc_and_junk_never_raises():
    naive = datetime(2026, 3, 2, 9, 0)
    d = run(customer(filed_at=naive), now=NOW.replace(tzinfo=None))
    check(d, "existing-owner", "ana", filed_at=FILED)
    junk = [
        TerritoryRule(1, 1, "bogus", "??", ("x",)),
        TerritoryRule(2, 2, "country", "", ()),
        TerritoryRule(3, 3, "domain", "@", ("nobody",)),
    ]
    d = run(
        new_visitor(email="not an email", country="??"),
        rules=junk,
        brought_by="ghost",
        preferred_id="ghost",
    )
    check(d, "unrouted", None, brought_by="ghost", preferred_id="ghost")


def test_route_unknown_can_be_called_alone():
    d = route_unknown(
        new_visitor(country="KR"), salespeople=PEOPLE, rules=RULE_ROWS, now=NOW, exclude={"ken"}
    )
    check(d, "territory-country", "mia", country="KR")


def test_every_rule_name_is_described_once():
    from typing import get_args

    from kiosk.models import RuleName
    from kiosk.routing import RULES

    assert set(RULES) == set(get_args(RuleName))
