"""Hand-curated country names that pycountry's ISO data and translations do not cover.

pycountry gives the official ISO names and their gettext translations; people at a trade show
write something else: 'USA', 'Holland', 'Mainland China', 'Dubai', '韓国'. This module is the
data half of `kiosk.countries` (which owns matching); keeping it apart keeps that module small
and lets a reviewer check the facts here line by line.
"""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


# Everyday names, colloquial forms, former names and the kiosk languages' spellings that the
# ISO catalogs lack. Several entries repeat a catalog name; that is harmless (same country).
_ALIASES: dict[str, str] = {
    "AE": "Emirates | The Emirates | Dubai | Abu Dhabi | Emiratos | Emirats | 阿联酋 | 阿聯酋 | "
    "阿拉伯联合酋长国 | 迪拜 | 杜拜 | ドバイ | 두바이",
    "AT": "Österreich | Austria | Autriche | 奥地利 | 奧地利",
    "AU": "Australien | Australie | 澳洲 | 澳大利亚 | 오스트레일리아 | 호주",
    "BA": "Bosnia | Bosnia-Herzegovina | Bosnia and Herzegovina | Bosnien",
    "BN": "Brunei | 文莱 | 汶萊",
    "BO": "Bolivia | 玻利维亚 | 玻利維亞",
    "BR": "Brasil | Brasilien | Brésil | 巴西",
    "BY": "Belarus | Belorussia | Byelorussia | Bielorrusia | Weißrussland | 白俄罗斯",
    "CD": "Democratic Republic of the Congo | Democratic Republic of Congo | DR Congo | "
    "D.R. Congo | Congo DR | Congo, DR | Congo DRC | Congo RDC | DR of Congo | RD Congo | Congo-Kinshasa | Zaire | "
    "République démocratique du Congo | República Democrática del Congo | 刚果民主共和国 | "
    "刚果（金） | 刚果金 | 民主刚果 | 剛果民主共和國",
    "CG": "Republic of the Congo | Republic of Congo | Congo Republic | Congo-Brazzaville | "
    "Congo, Rep. | Congo, Republic of | République du Congo | 刚果（布） | 刚果布 | 刚果共和国",
    "CH": "Switzerland | Swiss | Schweiz | Suisse | Svizzera | Suiza | Suíça | Helvetia | 瑞士 | "
    "スイス | 스위스",
    "CI": "Ivory Coast | Côte d'Ivoire | Cote dIvoire | Costa de Marfil | Elfenbeinküste | "
    "科特迪瓦 | 象牙海岸",
    "CN": "People's Republic of China | Mainland China | China Mainland | China (Mainland) | "
    "PR China | P.R. China | China PR | China, People's Republic of | 中国 | 中國 | 中国大陆 | "
    "中國大陸 | 中国内地 | 大陆 | 内地 | 中华人民共和国 | 中華人民共和國 | 중국 | Chine | Китай",
    "CV": "Cape Verde | Cabo Verde | Kap Verde | 佛得角",
    "CZ": "Czech Republic | Czechia | Czech | Česko | Česká republika | Tschechien | "
    "Chequia | República Checa | Tchéquie | 捷克",
    "DE": "Germany | Deutschland | Alemania | Allemagne | Germania | Alemanha | 德国 | 德國 | "
    "ドイツ | 독일 | Германия",
    "DO": "Dominicana | Dominican Rep. | DR Dominicana | 多米尼加 | 多米尼加共和国",
    "ES": "Spain | España | Espana | Spanien | Espagne | Spagna | Espanha | 西班牙 | スペイン | "
    "스페인",
    "FK": "Falkland Islands | Falklands | Malvinas | Islas Malvinas",
    "FM": "Micronesia",
    "FR": "Francia | Frankreich | 法国 | 法國 | フランス | 프랑스",
    "GB": "United Kingdom | Great Britain | Britain | England | Scotland | Wales | "
    "Northern Ireland | Great Britain and Northern Ireland | Gran Bretaña | Inglaterra | "
    "Escocia | Gales | Großbritannien | Grande-Bretagne | Angleterre | Inghilterra | "
    "Gran Bretagna | Grã-Bretanha | 英国 | 英國 | 英格兰 | 苏格兰 | 威尔士 | 大不列颠 | "
    "イギリス | 영국 | Великобритания | Англия | بريطانيا",
    "HK": "Hongkong | Hong Kong SAR | Hong Kong, China | Hong Kong SAR, China | 香港 | "
    "中国香港 | 中國香港 | 香港特别行政区 | 香港特區 | 홍콩 | ホンコン",
    "ID": "Indonesien | 印尼 | 印度尼西亚",
    "IE": "Ireland | Republic of Ireland | Eire | Éire | Irlanda | Irland | 爱尔兰",
    "IN": "Bharat | Indien | 印度",
    "IR": "Iran | Persia | Irán | 伊朗",
    "IT": "Italia | Italien | Italie | 意大利 | 義大利 | イタリア | 이탈리아",
    "JP": "Japan | 日本 | Nippon | Nihon | Japón | Japon | Giappone | Japão | 일본 | Япония",
    "KP": "North Korea | N. Korea | N Korea | Korea North | Korea (North) | Korea, North | "
    "DPR Korea | Korea DPR | Korea, Dem. People's Rep. | Korea, DPR | 朝鲜 | 朝鮮 | 北朝鮮 | "
    "北韩 | 北韓 | 북한 | 조선 | Corea del Norte | Nordkorea | Corée du Nord | Coreia do Norte | "
    "Северная Корея | كوريا الشمالية",
    "KR": "South Korea | S. Korea | S Korea | Korea South | Korea (South) | Korea, South | "
    "Republic of Korea | Korea Republic | Korea, Rep. | Korea Rep. | 한국 | 대한민국 | 남한 | "
    "韓国 | 韓國 | 韩国 | 南韩 | 南韓 | 大韩民国 | 大韓民國 | Corea del Sur | Südkorea | "
    "Corée du Sud | Coreia do Sul | Южная Корея | كوريا الجنوبية",
    "LA": "Laos | Lao PDR | Lao P.D.R. | Lao | 老挝 | 寮國 | ラオス | 라오스",
    "MD": "Moldova | Moldavia | Moldau | Moldavie | 摩尔多瓦",
    "MK": "Macedonia | North Macedonia | FYR Macedonia | Former Yugoslav Republic of Macedonia | "
    "Republic of Macedonia | Mazedonien | Macédoine | 马其顿 | 北马其顿",
    "MM": "Burma | Myanmar | Birmania | Birmanie | 缅甸 | 緬甸 | ミャンマー",
    "MO": "Macau | Macao SAR | Macau SAR | Macao, China | Macau, China | 澳门 | 澳門 | 中国澳门 | 中國澳門 | 마카오",
    "MX": "México | Mexiko | Mexique | 墨西哥",
    "NL": "Holland | The Netherlands | Netherlands | Nederland | Niederlande | Holanda | "
    "Países Bajos | Pays-Bas | Paesi Bassi | Olanda | 荷兰 | 荷蘭 | オランダ | 네덜란드",
    "NZ": "Aotearoa | 新西兰 | 紐西蘭",
    "PH": "Pilipinas | Filipinas | 菲律宾 | 菲律賓",
    "PS": "Palestine | State of Palestine | Palestinian Territories | Palestinian Territory | "
    "West Bank | Gaza | Palestina | 巴勒斯坦",
    "RU": "Russia | Russian Federation | Rusia | Russland | Russie | Россия | 俄罗斯 | 俄羅斯 | "
    "俄国 | ロシア | 러시아",
    "SA": "Saudi | Saudi Arabia | Kingdom of Saudi Arabia | Arabia Saudita | Arabia Saudí | "
    "Saudi-Arabien | Arabie saoudite | 沙特 | 沙特阿拉伯 | サウジアラビア | 사우디아라비아",
    "SY": "Syria | Siria | Syrien | Syrie | 叙利亚",
    "SZ": "Swaziland | Eswatini | Suazilandia | Swasiland | 斯威士兰 | 史瓦济兰",
    "TL": "East Timor | Timor-Leste | Timor | 东帝汶",
    "TR": "Turkey | Türkiye | Turkiye | Türkei | Turquía | Turquie | Turchia | 土耳其 | トルコ | "
    "터키 | 튀르키예",
    "TW": "Taiwan | Republic of China | Chinese Taipei | Taiwan ROC | Taiwan (R.O.C.) | "
    "Taiwan, China | 台湾 | "
    "台灣 | 臺灣 | 中华民国 | 中華民國 | 中国台湾 | 中國台灣 | 대만 | 타이완 | Taiwán | Тайвань",
    "TZ": "Tanzania | Tansania | 坦桑尼亚",
    "US": "United States | United States of America | America | Estados Unidos | "
    "Estados Unidos de América | EE. UU. | EE.UU. | EEUU | Vereinigte Staaten | États-Unis | "
    "Stati Uniti | 美国 | 美國 | 美利坚合众国 | アメリカ | アメリカ合衆国 | 米国 | 미국 | США",
    "VA": "Vatican | Vatican City | Holy See | Vaticano | Vatikan | Città del Vaticano | 梵蒂冈 | "
    "梵蒂岡",
    "VE": "Venezuela | 委内瑞拉",
    "VN": "Vietnam | Viet Nam | Việt Nam | 越南 | ベトナム | 베트남",
    "ZA": "South Africa | Sudáfrica | Südafrika | Afrique du Sud | 南非",
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
