"""Country resolution, autocomplete, display names and flags."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.countries import LANGUAGES, country_codes, country_name, country_names, flag
from kiosk.countries.resolve import CountrySuggestion, resolve_country, suggest_countries
from tests.examples import examples

ALIASES = [
    ("USA", "US"),
    ("U.S.A.", "US"),
    ("US", "US"),
    ("us", "US"),
    ("U.S.", "US"),
    ("America", "US"),
    ("United States of America", "US"),
    ("united states", "US"),
    ("EE. UU.", "US"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("England", "GB"),
    ("Scotland", "GB"),
    ("Wales", "GB"),
    ("United Kingdom of Great Britain and Northern Ireland", "GB"),
    ("UAE", "AE"),
    ("U.A.E.", "AE"),
    ("Dubai", "AE"),
    ("PRC", "CN"),
    ("P.R. China", "CN"),
    ("Mainland China", "CN"),
    ("People's Republic of China", "CN"),
    ("ROK", "KR"),
    ("South Korea", "KR"),
    ("Republic of Korea", "KR"),
    ("Korea, Republic of", "KR"),
    ("Korea (South)", "KR"),
    ("North Korea", "KP"),
    ("DPRK", "KP"),
    ("Korea, Democratic People's Republic of", "KP"),
    ("Holland", "NL"),
    ("Netherlands", "NL"),
    ("The Netherlands", "NL"),
    ("Türkiye", "TR"),
    ("Turkiye", "TR"),
    ("Turkey", "TR"),
    ("Viet Nam", "VN"),
    ("Vietnam", "VN"),
    ("Czechia", "CZ"),
    ("Czech Republic", "CZ"),
    ("Ivory Coast", "CI"),
    ("Côte d'Ivoire", "CI"),
    ("Cote d'Ivoire", "CI"),
    ("COTE D IVOIRE", "CI"),
    ("Russia", "RU"),
    ("Russian Federation", "RU"),
    ("Iran", "IR"),
    ("Iran, Islamic Republic of", "IR"),
    ("Syria", "SY"),
    ("Laos", "LA"),
    ("Bolivia", "BO"),
    ("Venezuela", "VE"),
    ("Tanzania", "TZ"),
    ("Moldova", "MD"),
    ("Macedonia", "MK"),
    ("North Macedonia", "MK"),
    ("Swaziland", "SZ"),
    ("Eswatini", "SZ"),
    ("Burma", "MM"),
    ("Myanmar", "MM"),
    ("Taiwan", "TW"),
    ("Republic of China", "TW"),
    ("Hong Kong", "HK"),
    ("Hongkong", "HK"),
    ("Macau", "MO"),
    ("Macao", "MO"),
    ("Palestine", "PS"),
    ("Vatican", "VA"),
    ("Vatican City", "VA"),
    ("KSA", "SA"),
    ("Saudi", "SA"),
    ("Democratic Republic of the Congo", "CD"),
    ("DRC", "CD"),
    ("DR Congo", "CD"),
    ("Congo-Brazzaville", "CG"),
    ("Republic of the Congo", "CG"),
    ("Sudan", "SD"),
    ("South Sudan", "SS"),
    ("Niger", "NE"),
    ("Nigeria", "NG"),
    ("Equatorial Guinea", "GQ"),
    ("Guinea-Bissau", "GW"),
    ("Papua New Guinea", "PG"),
    ("British Virgin Islands", "VG"),
    ("U.S. Virgin Islands", "VI"),
    ("St. Lucia", "LC"),
    ("Saint Lucia", "LC"),
    ("Trinidad & Tobago", "TT"),
    ("Bosnia", "BA"),
    ("East Timor", "TL"),
    ("Cape Verde", "CV"),
    ("Kosovo", "XK"),
]

MULTILINGUAL = [
    # Chinese, simplified and traditional
    ("中国", "CN"),
    ("中國", "CN"),
    ("美国", "US"),
    ("美國", "US"),
    ("德国", "DE"),
    ("德國", "DE"),
    ("西班牙", "ES"),
    ("日本", "JP"),
    ("韩国", "KR"),
    ("韓國", "KR"),
    ("英国", "GB"),
    ("台湾", "TW"),
    ("臺灣", "TW"),
    ("香港", "HK"),
    ("澳门", "MO"),
    ("阿联酋", "AE"),
    ("沙特阿拉伯", "SA"),
    ("俄罗斯", "RU"),
    ("朝鲜", "KP"),
    ("刚果（金）", "CD"),
    # Spanish
    ("España", "ES"),
    ("Espana", "ES"),
    ("Alemania", "DE"),
    ("Estados Unidos", "US"),
    ("Reino Unido", "GB"),
    ("México", "MX"),
    ("Países Bajos", "NL"),
    ("Corea del Sur", "KR"),
    ("Marruecos", "MA"),
    # German
    ("Deutschland", "DE"),
    ("Österreich", "AT"),
    ("Schweiz", "CH"),
    ("Vereinigte Staaten", "US"),
    ("Südkorea", "KR"),
    # French
    ("Allemagne", "DE"),
    ("États-Unis", "US"),
    ("Royaume-Uni", "GB"),
    ("Pays-Bas", "NL"),
    # Japanese
    ("ドイツ", "DE"),
    ("アメリカ", "US"),
    ("韓国", "KR"),
    ("イギリス", "GB"),
    # Korean
    ("한국", "KR"),
    ("대한민국", "KR"),
    ("독일", "DE"),
    ("미국", "US"),
    ("북한", "KP"),
    # Portuguese
    ("Alemanha", "DE"),
    ("Estados Unidos da América", "US"),
    ("Brasil", "BR"),
    # Arabic
    ("الصين", "CN"),
    ("ألمانيا", "DE"),
    ("الإمارات العربية المتحدة", "AE"),
    # Russian
    ("Россия", "RU"),
    ("Германия", "DE"),
    ("Китай", "CN"),
    # Italian
    ("Germania", "DE"),
    ("Stati Uniti", "US"),
    ("Svizzera", "CH"),
]

CODES = [
    ("DE", "DE"),
    ("de", "DE"),
    (" DE ", "DE"),
    ("DEU", "DE"),
    ("deu", "DE"),
    ("GBR", "GB"),
    ("GB", "GB"),
    ("CHN", "CN"),
    ("NA", "NA"),  # Namibia's code, when it is the whole input
    ("XK", "XK"),
]

TYPOS = [
    ("Germny", "DE"),
    ("Frnace", "FR"),
    ("Brazill", "BR"),
    ("Argentinia", "AR"),
    ("Phillipines", "PH"),
    ("Untied States", "US"),
    ("Untied Kingdom", "GB"),
    ("Swizerland", "CH"),
    ("Austrailia", "AU"),
    ("Itlay", "IT"),
    ("Tailand", "TH"),
    ("Saudia Arabia", "SA"),
    ("Alemanai", "DE"),
]

JUNK = [
    "Booth 12",
    "Acme Corp",
    "Hall 3",
    "hello",
    "test",
    "N/A",
    "n/a",
    "N.A.",
    "",
    "   ",
    "12345",
    "0",
    "-",
    "???",
    "none",
    "unknown",
    "Stand B-204",
    "Jpan",  # too short to guess
    # Words and cities one letter away from a short name: a changed letter is not a typo here
    "Vienna",
    "Cambridge",
    "Lagos",
    "child",
    "index",
    "spawn",
    "games",
    "timer",
    "Gemany GmbH & Co. KG",
    "x" * 500,
]

AMBIGUOUS = [
    ("Korea", {"KR", "KP"}),
    ("korea", {"KR", "KP"}),
    ("Corea", {"KR", "KP"}),
    ("Congo", {"CG", "CD"}),
    ("刚果", {"CG", "CD"}),
    ("Guinea", {"GN", "GQ", "GW"}),
    ("Virgin Islands", {"VG", "VI"}),
    ("Islas Vírgenes", {"VG", "VI"}),
    ("Dominican", {"DO", "DM"}),
]


# The forms CRMs and statistics exports write: abbreviations, inversions, government prefixes.
CRM_FORMS = [
    ("Yemen, Rep.", "YE"),
    ("Egypt, Arab Rep.", "EG"),
    ("Iran, Islamic Rep.", "IR"),
    ("Korea, Rep.", "KR"),
    ("Korea, Dem. People's Rep.", "KP"),
    ("Korea, Dem. Rep.", "KP"),
    ("Congo, Dem. Rep.", "CD"),
    ("Congo, Rep.", "CG"),
    ("Dem. Rep. of the Congo", "CD"),
    ("Micronesia, Fed. Sts.", "FM"),
    ("Russian Fed.", "RU"),
    ("Czech Rep.", "CZ"),
    ("Cayman Is.", "KY"),
    ("Solomon Isds", "SB"),
    ("Turks & Caicos Is.", "TC"),
    ("St. Vincent & the Grenadines", "VC"),
    ("Bahamas, The", "BS"),
    ("Kingdom of Spain", "ES"),
    ("Kingdom of the Netherlands", "NL"),
    ("Hashemite Kingdom of Jordan", "JO"),
    ("Republic of Rwanda", "RW"),
    ("Republic of the Sudan", "SD"),
    ("Republic of Georgia", "GE"),
    ("Federal Republic of Germany", "DE"),
    ("Bundesrepublik Deutschland", "DE"),
    ("Reino de España", "ES"),
    ("Venezuela, RB", "VE"),
    ("Lao PDR", "LA"),
]

SPECIAL_REGIONS = [
    ("Hong Kong S.A.R.", "HK"),
    ("Macau S.A.R.", "MO"),
    ("Hong Kong SAR, China", "HK"),
    ("China, Hong Kong Special Administrative Region", "HK"),
    ("China, Macao Special Administrative Region", "MO"),
    ("China (Hong Kong)", "HK"),
    ("中国香港特别行政区", "HK"),
    ("澳門特別行政區", "MO"),
    ("Taiwan, Province of China", "TW"),
    ("Puerto Rico, USA", "PR"),
    ("Greenland (Denmark)", "GL"),
    ("Curaçao, Netherlands", "CW"),
]

HISTORIC = [
    ("Ceylon", "LK"),
    ("Upper Volta", "BF"),
    ("Dahomey", "BJ"),
    ("Zaire", "CD"),
    ("East Timor", "TL"),
    ("Siam", "TH"),
    ("Swaziland", "SZ"),
]

ENDONYMS = [
    ("Eesti", "EE"),
    ("Lietuva", "LT"),
    ("Latvija", "LV"),
    ("Ísland", "IS"),
    ("Shqipëria", "AL"),  # CLDR has 'Shqipëri'; the definite form is one letter away
    ("Монголия", "MN"),
    ("Svizzera", "CH"),
    ("Suomi", "FI"),
    ("Magyarország", "HU"),
    ("Ελλάδα", "GR"),
    ("საქართველო", "GE"),
    ("Hrvatska", "HR"),
    ("Türkiye", "TR"),
    ("Oʻzbekiston", "UZ"),
    ("O'zbekiston", "UZ"),
]

# Subdivisions, regions and former states: never a country (and never a typo of one).
NOT_COUNTRIES = [
    "Bavaria",
    "Bayern",
    "Texas",
    "TX",
    "Ontario",
    "New South Wales",
    "NSW",
    "Catalonia",
    "广东省",
    "State of Georgia",
    "EMEA",
    "APAC",
    "LATAM",
    "Latin America",
    "South America",
    "Americas",
    "European Union",
    "أوروبا",  # Arabic 'Europe', one letter from Aruba's name
    "Sub-Saharan Africa",
    "USSR",
    "Yugoslavia",
    "Czechoslovakia",
]


@pytest.mark.parametrize(
    ("text", "code"), ALIASES + MULTILINGUAL + CODES + CRM_FORMS + SPECIAL_REGIONS + HISTORIC
)
def test_resolves_exact_names_codes_and_aliases(text: str, code: str) -> None:
    assert resolve_country(text) == code


@pytest.mark.parametrize(("text", "code"), ENDONYMS)
def test_resolves_each_countrys_own_names(text: str, code: str) -> None:
    assert resolve_country(text) == code


@pytest.mark.parametrize(("text", "code"), TYPOS)
def test_resolves_small_typos(text: str, code: str) -> None:
    assert resolve_country(text) == code


@pytest.mark.parametrize("text", NOT_COUNTRIES)
def test_subdivisions_regions_and_former_states_are_none(text: str) -> None:
    assert resolve_country(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Georgia", "GE"),  # alone, the country
        ("Georgia, USA", "US"),
        ("Georgia (US)", "US"),
        ("GA, USA", "US"),
        ("Atlanta, GA, USA", "US"),
        ("Bavaria, Germany", "DE"),
        ("Berlin, DE", "DE"),
        ("Luxembourg, Belgium", "BE"),  # the Belgian province
        ("GA", "GA"),  # a whole two-letter input is an ISO code: Gabon
        ("Atlanta, Georgia", None),  # Georgia the state or the country: ask
        ("Atlanta, GA", None),  # Gabon's code, or the state
        ("Denver, CO", None),  # never Colombia
        ("Los Angeles, CA", None),  # never Canada
        ("State of Georgia", None),
        ("Texas, Mexico", None),  # parts that contradict each other
    ],
)
def test_a_state_is_read_with_what_surrounds_it(text: str, code: str | None) -> None:
    assert resolve_country(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Brasill", "BR"),
        ("Jordon", "JO"),  # one vowel for another, from six letters on
        ("Czech Repulic", "CZ"),  # a typo in 'Republic'
        ("Kingdom of Spian", "ES"),
        ("United Kindom", "GB"),
    ],
)
def test_typos_in_longer_forms(text: str, code: str) -> None:
    assert resolve_country(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "Nigera",  # Niger (its Latvian name, unaccented) or Nigeria
        "Serbai",  # Serbia or Serba, a Bosnian municipality
        "Yeman",
    ],
)
def test_typos_without_a_clear_winner_are_none(text: str) -> None:
    assert resolve_country(text) is None


@pytest.mark.parametrize(("text", "lang", "code"), [("Texas", "en", "US"), ("Bavaria", "de", "DE")])
def test_a_subdivision_suggests_its_country(text: str, lang: str, code: str) -> None:
    first = suggest_countries(text, lang)[0]
    assert first.alpha2 == code and first.score < 100 and first.matched_as == text


@pytest.mark.parametrize("text", JUNK)
def test_junk_is_never_a_country(text: str) -> None:
    assert resolve_country(text) is None


@pytest.mark.parametrize("text", [None, 42, b"Germany", ["DE"]])
def test_non_text_is_none(text: object) -> None:
    assert resolve_country(text) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "codes"), AMBIGUOUS)
def test_ambiguous_names_resolve_to_none_but_suggest_every_candidate(
    text: str, codes: set[str]
) -> None:
    assert resolve_country(text) is None
    options = suggest_countries(text)
    assert codes <= {o.alpha2 for o in options}
    top = {o.alpha2 for o in options if o.score == 100}
    assert top == codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Shanghai, China", "CN"),
        ("Germany (DE)", "DE"),
        ("China / 中国", "CN"),
        ("Deutschland (Germany)", "DE"),
        ("Taiwan, China", "TW"),
        ("Hong Kong, China", "HK"),
    ],
)
def test_resolves_from_parts_that_agree(text: str, code: str) -> None:
    assert resolve_country(text) == code


@pytest.mark.parametrize("text", ["Korea/Japan", "Germany, France", "Nigera", "Koreaa"])
def test_conflicting_or_equidistant_input_is_none(text: str) -> None:
    assert resolve_country(text) is None


def test_every_code_and_english_name_resolves() -> None:
    for country in pycountry.countries:
        assert resolve_country(country.alpha_2) == country.alpha_2
        assert resolve_country(country.alpha_3) == country.alpha_2
        assert resolve_country(country.name) in (country.alpha_2, None)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_display_name_resolves_back_to_its_country(lang: str) -> None:
    for code in country_codes():
        assert resolve_country(country_name(code, lang)) == code, (lang, code)


def test_country_codes_cover_iso_and_kosovo() -> None:
    codes = country_codes()
    assert {c.alpha_2 for c in pycountry.countries} | {"XK"} == codes


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("DE", "en", "Germany"),
        ("DE", "zh", "德国"),
        ("DE", "zh-CN", "德国"),
        ("DE", "zh_TW", "德國"),
        ("DE", "es", "Alemania"),
        ("DE", "de", "Deutschland"),
        ("DE", "fr", "Allemagne"),
        ("DE", "ja", "ドイツ"),
        ("DE", "ko", "독일"),
        ("DE", "pt", "Alemanha"),
        ("DE", "ar", "ألمانيا"),
        ("DE", "ru", "Германия"),
        ("DE", "it", "Germania"),
        ("ES", "es", "España"),
        ("ES", "zh", "西班牙"),
        ("KR", "en", "South Korea"),
        ("KR", "zh", "韩国"),
        ("KR", "es", "Corea del Sur"),
        ("BO", "en", "Bolivia"),
        ("BO", "es", "Bolivia"),
        ("CD", "en", "Democratic Republic of the Congo"),
        ("CD", "es", "República Democrática del Congo"),
        ("CG", "en", "Republic of the Congo"),
        ("TW", "en", "Taiwan"),
        ("VG", "en", "British Virgin Islands"),
        ("XK", "zh", "科索沃"),
        ("de", "EN", "Germany"),
    ],
)
def test_country_name(code: str, lang: str, name: str) -> None:
    assert country_name(code, lang) == name


def test_country_name_falls_back_to_english_and_keeps_unknown_codes() -> None:
    assert country_name("DE", "xx") == "Germany"
    assert country_name("DE", "") == "Germany"
    assert country_name("ZZ", "zh") == "ZZ"
    assert country_name(None, "en") == ""  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "zh", "es"])
def test_display_names_never_use_inverted_iso_forms(lang: str) -> None:
    for code, name in country_names(lang).items():
        if code in ("BQ", "SH"):  # genuine lists: 'Bonaire, Sint Eustatius and Saba'
            continue
        assert ", " not in name, (code, name)


def test_flag() -> None:
    assert flag("DE") == "\U0001f1e9\U0001f1ea"
    assert flag("jp") == "🇯🇵"
    assert flag("XK") == "🇽🇰"
    for junk in ("", "D", "DEU", "1A", "ÄB", None):
        assert flag(junk) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "lang", "code", "name"),
    [
        ("ja", "en", "JP", "Japan"),
        ("Jap", "es", "JP", "Japón"),
        ("西", "zh", "ES", "西班牙"),
        ("ale", "es", "DE", "Alemania"),
        ("Deu", "zh", "DE", "德国"),
        ("中", "zh", "CN", "中国"),
        ("한", "ko", "KR", "대한민국"),
        ("zealand", "en", "NZ", "New Zealand"),
        ("Germny", "es", "DE", "Alemania"),
        ("united k", "en", "GB", "United Kingdom"),
    ],
)
def test_suggestions_rank_the_expected_country_first(
    text: str, lang: str, code: str, name: str
) -> None:
    first = suggest_countries(text, lang)[0]
    assert (first.alpha2, first.name) == (code, name)


def test_suggestions_are_named_in_the_ui_language_and_say_what_matched() -> None:
    options = suggest_countries("Deutsch", "zh")
    assert options[0] == CountrySuggestion("DE", "德国", "Deutschland", options[0].score)
    assert 0 < options[0].score < 100
    assert suggest_countries("Germany", "es")[0] == CountrySuggestion(
        "DE", "Alemania", "Germany", 100
    )


def test_suggestions_prefer_prefix_over_typo_and_respect_limit() -> None:
    options = suggest_countries("sa", "en", limit=3)
    assert len(options) == 3
    assert [o.score for o in options] == sorted((o.score for o in options), reverse=True)
    assert suggest_countries("a", limit=0) == []
    assert len(suggest_countries("a", limit=50)) > 8


def test_sudan_resolves_but_south_sudan_is_offered() -> None:
    options = suggest_countries("Sudan")
    assert options[0].alpha2 == "SD" and options[0].score == 100
    assert "SS" in {o.alpha2 for o in options}


@pytest.mark.parametrize("text", ["", "   ", "12", "Booth 12", "N/A"])
def test_suggestions_for_junk_are_empty_or_weak(text: str) -> None:
    assert all(o.score < 100 for o in suggest_countries(text))


_NAMES = sorted({country_name(code, lang) for code in country_codes() for lang in ("en", "es")})
# Country names with random damage exercise the typo path, not only the "no match" path.
_TEXTS = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda name, at, noise: name[:at] + noise + name[at + 1 :],
        st.sampled_from(_NAMES),
        st.integers(0, 12),
        st.text(max_size=2),
    ),
)


@settings(max_examples=examples(200), deadline=None)
@given(_TEXTS)
def test_any_text_resolves_to_none_or_a_known_code(text: str) -> None:
    result = resolve_country(text)
    assert result is None or result in country_codes()


@settings(max_examples=examples(100), deadline=None)
@given(st.text(max_size=20), st.sampled_from(["en", "zh", "es", "fr", "??"]))
def test_any_text_gives_valid_suggestions(text: str, lang: str) -> None:
    options = suggest_countries(text, lang, limit=5)
    assert len(options) <= 5
    codes = country_codes()
    for option in options:
        assert option.alpha2 in codes
        assert 0 <= option.score <= 100
        assert option.name and option.matched_as
