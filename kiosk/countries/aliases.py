"""Hand-curated country data that neither CLDR (through babel) nor pycountry carries.

CLDR names every country in every language babel has, and pycountry adds the ISO names and
official long forms; `scripts/make_country_tables.py` turns both into the tables
`kiosk.countries` reads. People at a trade show also write 'Holland', 'Mainland China', 'Dubai',
'Ceylon' or 'USA', and some facts no library holds (which names two countries share, which
territory belongs to which state). Those are kept here, apart from the matching code, so a
reviewer can check them line by line. An entry CLDR or pycountry already resolves to the same
country does not belong here (the generator's --report lists none today).
"""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


# Everyday names, colloquial and CRM forms that CLDR and the ISO catalogs lack.
_ALIASES: dict[str, str] = {
    "AE": "Emirates | The Emirates | Dubai | Abu Dhabi | Emiratos | Emirats | 阿聯酋 | 迪拜 | 杜拜 | "
    "ドバイ | 두바이 | الإمارات",
    "AU": "호주",
    "BA": "Bosnia | Bosnien",
    "BY": "Belorussia | Byelorussia | Weißrussland | Белоруссия",
    "CD": "Congo RDC | Zaire | DR Congo | D.R. Congo | Congo DR | Congo, DR | Congo DRC | "
    "DR of Congo | RD Congo | 民主刚果",
    "CG": "Congo Republic | Congo, Rep. | Congo, Republic of",
    "CH": "Helvetia",
    "CI": "Ivory Coast | Elfenbeinküste",
    "CN": "Mainland China | China Mainland | China (Mainland) | PR China | P.R. China | "
    "China PR | China, People's Republic of | 中国大陆 | 中國大陸 | 中国内地 | 大陆 | 内地",
    "CZ": "Česká republika | Czech",
    "DO": "Dominicana | DR Dominicana | 多米尼加",
    "FK": "Malvinas | Falklands",
    "GB": "Gran Bretaña | Great Britain | Britain | England | Scotland | Wales | "
    "Northern Ireland | Great Britain and Northern Ireland | Inglaterra | Escocia | Gales | "
    "Großbritannien | Grande-Bretagne | Angleterre | Inghilterra | Gran Bretagna | "
    "Grã-Bretanha | 英格兰 | 苏格兰 | 威尔士 | 大不列颠 | Англия | بريطانيا",
    "HK": "Hong Kong, China | 中国香港 | 中國香港 | 香港特區 | ホンコン",
    "IE": "Eire | Éire | Republic of Ireland",
    "IN": "Bharat",
    "IR": "Persia",
    "JP": "Nippon | Nihon",
    "KP": "Korea North | Korea (North) | Korea, North | 北韩 | DPR Korea | Korea DPR | "
    "Korea, DPR | 朝鮮 | 조선",
    "KR": "Korea South | Korea (South) | Korea, South | Republic of Korea | 南韩 | 한국 | 남한 | 韓國",
    "LA": "Lao PDR | Lao P.D.R.",
    "MK": "Macedonia | FYR Macedonia | Former Yugoslav Republic of Macedonia | "
    "Republic of Macedonia | Mazedonien | Macédoine | 马其顿",
    "MM": "Burma",
    "MO": "Macau SAR | Macao, China | Macau, China | 中国澳门 | 中國澳門",
    "NL": "Holland | Holanda | Olanda | Голландия",
    "NZ": "Aotearoa",
    "PH": "Pilipinas",
    "PS": "Palestina | Palestinian Territory | West Bank | Gaza | West Bank and Gaza | فلسطين",
    "RU": "РФ | 俄国",
    "SA": "Saudi | 沙特",
    "SZ": "Swaziland | Swasiland | 史瓦济兰",
    "TL": "Timor",
    "TR": "Turkey | 터키",
    "TW": "Republic of China | Chinese Taipei | Taiwan ROC | Taiwan (R.O.C.) | Taiwan, China | "
    "中华民国 | 中国台湾 | 中國台灣",
    "US": "America | EE. UU. | EE.UU. | EEUU | アメリカ | США | أمريكا | الولايات المتحدة الأمريكية",
    "VA": "Vatican | Holy See | Vaticano",
    "ZA": "ЮАР",
}

ALIASES: dict[str, tuple[str, ...]] = {code: _split(text) for code, text in _ALIASES.items()}

# Abbreviations accepted only when the whole input is that abbreviation (letters, optionally
# dotted: 'U.A.E.'), the same way ISO codes are. Never matched inside longer text.
ABBREVIATIONS: dict[str, str] = {
    "US": "US",
    "USA": "US",
    "UK": "GB",
    "UAE": "AE",
    "EAU": "AE",  # Emiratos Árabes Unidos / Émirats arabes unis
    "VAE": "AE",  # Vereinigte Arabische Emirate
    "KSA": "SA",
    "PRC": "CN",
    "ROC": "TW",
    "ROK": "KR",
    "DPRK": "KP",
    "DRC": "CD",
    "RDC": "CD",  # République démocratique du Congo
    "RSA": "ZA",
    "FYROM": "MK",
    "HKSAR": "HK",
    "EEUU": "US",
    "BVI": "VG",
    "USVI": "VI",
}

# Names that people use for more than one country. Resolving them would silently route a visitor
# to the wrong salesperson; returning None makes the kiosk ask, with these as the choices.
# 'Sudan' or 'Niger' are not here: each is one country's own name.
_AMBIGUOUS: dict[str, str] = {
    "KR KP": "Korea | Corea | Corée | Coreia | Корея | كوريا",
    "CG CD": "Congo | Kongo | Конго | 刚果 | 剛果 | コンゴ | 콩고 | الكونغو",
    "VG VI": "Virgin Islands | Islas Vírgenes | Jungferninseln | Îles Vierges | Ilhas Virgens | "
    "Isole Vergini | Виргинские острова | 维尔京群岛 | 維京群島 | ヴァージン諸島 | 버진 제도",
    "GN GQ GW": "Guinea | Guinée | Guiné | Гвинея | 几内亚 | 幾內亞 | ギニア | 기니",
    # Both peoples are 'Dominicans'; the Spanish 'Dominicana' is unambiguous (see DO).
    "DO DM": "Dominican",
}

AMBIGUOUS: dict[str, tuple[str, ...]] = {
    name: tuple(codes.split()) for codes, text in _AMBIGUOUS.items() for name in _split(text)
}

# Kosovo has no ISO 3166-1 code; XK (alpha-3 XKX) is the user-assigned code in common use.
EXTRA_CODES: dict[str, str] = {"XK": "XKX"}
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {"XK": ("Kosova", "Republic of Kosovo")}

# Former names that CLDR and ISO 3166-3 (which pycountry carries, and the generator reads: Upper
# Volta, Dahomey, Zaire, East Timor …) do not list, as old CRM records still have them.
_HISTORIC: dict[str, str] = {
    "LK": "Ceylon",
    "TH": "Siam",
    "ZW": "Rhodesia",
    "ZM": "Northern Rhodesia",
    "KH": "Kampuchea | Democratic Kampuchea | Khmer Republic",
    "TW": "Formosa",
    "ET": "Abyssinia",
    "TZ": "Tanganyika",
    "BW": "Bechuanaland",
    "LS": "Basutoland",
    "MW": "Nyasaland",
    "BZ": "British Honduras",
    "SR": "Dutch Guiana",
    "GY": "British Guiana",
    "DE": "West Germany | East Germany",
    "MG": "Malagasy Republic",
    "KG": "Kirghizia",
    "TM": "Turkmenia",
    "BD": "East Pakistan",
    "AE": "Trucial States",
    "CD": "Congo-Léopoldville",
    "BI": "Urundi",
    "RW": "Ruanda",
    "GQ": "Spanish Guinea",
    "GW": "Portuguese Guinea",
    "ML": "French Sudan",
    "TL": "Portuguese Timor",
}
HISTORIC: dict[str, tuple[str, ...]] = {code: _split(text) for code, text in _HISTORIC.items()}

# Former states that are no one country today: never a country, never a typo of one.
DISSOLVED: tuple[str, ...] = _split(
    "Soviet Union | USSR | Yugoslavia | Czechoslovakia | Serbia and Montenegro | "
    "Netherlands Antilles | Gran Colombia | United Arab Republic | Austria-Hungary"
)

# Territories and the state they belong to, for text that names both: 'Hong Kong, China',
# 'Puerto Rico (USA)', 'Greenland, Denmark' name the territory. No library carries sovereignty
# (CLDR's containment is geographic). Taiwan is listed because CRMs write 'Taiwan, China'.
_DEPENDENCIES: dict[str, str] = {
    "CN": "HK MO TW",
    "US": "AS GU MP PR UM VI",
    "GB": "AI BM FK GG GI GS IM IO JE KY MS PN SH TC VG",
    "FR": "BL GF GP MF MQ NC PF PM RE TF WF YT",
    "NL": "AW BQ CW SX",
    "DK": "FO GL",
    "FI": "AX",
    "NO": "BV SJ",
    "AU": "CC CX HM NF",
    "NZ": "CK NU TK",
}
DEPENDENCIES: dict[str, str] = {
    territory: state for state, codes in _DEPENDENCIES.items() for territory in codes.split()
}

# English names of subdivisions that pycountry's ISO 3166-2 catalogs lack. A subdivision is not
# a country ('Bavaria' is None) but it must never pass for a typo of one, and it lets
# `suggest_countries` offer its country.
_SUBDIVISIONS: dict[str, str] = {
    "DE": "Lower Saxony | North Rhine-Westphalia | Hesse | Saxony | Saxony-Anhalt | Thuringia | "
    "Rhineland-Palatinate | Mecklenburg-Western Pomerania | Mecklenburg-West Pomerania | "
    "Baden-Wuerttemberg",
    "AT": "Tyrol | Styria | Carinthia | Upper Austria | Lower Austria",
    "CH": "Zurich | Geneva | Berne | Lucerne | Grisons",
    "IT": "Lombardy | Tuscany | Piedmont | Sicily | Sardinia | Apulia | Aosta Valley",
    "ES": "Catalonia | Andalusia | Basque Country | Valencian Community | Navarre | "
    "Balearic Islands | Canary Islands | Castile and León | Castile-La Mancha",
    "FR": "Brittany | Normandy | Burgundy | Corsica | Provence | Alsace | Lorraine | Picardy",
    "BE": "Flanders | Wallonia | Brussels-Capital Region",
    "GB": "Greater London",
    "CN": "Guangdong | Zhejiang | Jiangsu | Shandong | Fujian | Sichuan | Hubei | Hunan | "
    "Henan | Hebei | Anhui | Jiangxi | Shanxi | Shaanxi | Yunnan | Guizhou | Guangxi | "
    "Inner Mongolia | Tibet | Xinjiang | Heilongjiang | Jilin | Liaoning | Hainan | Gansu | "
    "Qinghai | Ningxia",
    "RU": "Tatarstan | Bashkortostan | Chechnya | Moscow Oblast",
    "IN": "Delhi",
    "JP": "Hokkaido | Tokyo | Osaka | Kyoto | Okinawa",
}
SUBDIVISIONS: dict[str, tuple[str, ...]] = {
    code: _split(text) for code, text in _SUBDIVISIONS.items()
}
