"""Synthetic CRM contacts for the benchmarks: `generate(n)` streams n of them.

Multi-script and deterministic: accented Latin (Spanish, German, French, Portuguese,
Turkish, Polish), Chinese, Japanese and Korean names written family name first with no
space, Arabic and Cyrillic; companies in their own script or in Latin letters; e-mail
addresses spelling the name in Latin letters; E.164 phones (every tenth one formatted);
badge ids on a third of the contacts; owners among twelve salespeople.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.text import fold  # noqa: E402

# Each group: (weight, given names, family names, family-first?, countries, companies).
# Names are "native|latin" pairs: the Latin form spells the e-mail address.
_W = str.split
GROUPS: dict[str, dict[str, Any]] = {
    "zh": dict(w=24, first=True, sep="",
               given=_W("小明|xiaoming 伟|wei 芳|fang 秀英|xiuying 建国|jianguo 丽|li 强|qiang "
                        "敏|min 静|jing 磊|lei 洋|yang 艳|yan 勇|yong 军|jun 杰|jie 娟|juan 涛|tao "
                        "明|ming 超|chao 霞|xia 平|ping 刚|gang 桂英|guiying 海燕|haiyan 志强|zhiqiang"),
               family=_W("王|wang 李|li 张|zhang 刘|liu 陈|chen 杨|yang 黄|huang 赵|zhao 吴|wu "
                         "周|zhou 徐|xu 孙|sun 马|ma 朱|zhu 胡|hu 郭|guo 何|he 高|gao 林|lin "
                         "罗|luo 郑|zheng 梁|liang 谢|xie 宋|song 唐|tang 欧阳|ouyang"),
               countries=[("CN", 85, "深圳 上海 北京 广州 宁波 义乌 Shenzhen Shanghai"),
                          ("TW", 6, "台北 Taipei"), ("SG", 5, "Singapore"), ("HK", 4, "香港")],
               brand=_W("光明|Bright 华达|Huada 金龙|Golden_Dragon 旭日|Sunrise 永胜|Everwin "
                        "海天|Haitian 鸿运|Hongyun 东方|Oriental"),
               trade=_W("电子|Electronics 机械|Machinery 纺织|Textile 照明|Lighting 包装|Packaging "
                        "五金|Hardware"),
               legal=_W("有限公司|Co.,_Ltd. 集团|Group 贸易有限公司|Trading_Co.,_Ltd.")),
    "ja": dict(w=8, first=True, sep="",
               given=_W("健|ken 翔太|shota 陽菜|hina 結衣|yui 大輔|daisuke 美咲|misaki 拓也|takuya "
                        "直樹|naoki 由美|yumi 誠|makoto 花子|hanako 太郎|taro"),
               family=_W("佐藤|sato 鈴木|suzuki 高橋|takahashi 田中|tanaka 伊藤|ito 渡辺|watanabe "
                         "山本|yamamoto 中村|nakamura 小林|kobayashi 加藤|kato 吉田|yoshida"),
               countries=[("JP", 100, "東京 大阪 名古屋 Tokyo Osaka Yokohama")],
               brand=_W("東京|Tokyo 日本|Nippon 富士|Fuji 桜|Sakura 三和|Sanwa 関東|Kanto"),
               trade=_W("精機|Seiki 電機|Denki 商事|Shoji 化学|Chemical"),
               legal=_W("株式会社|K.K. 有限会社|Co.,_Ltd.")),
    "ko": dict(w=7, first=True, sep="",
               given=_W("민준|minjun 서연|seoyeon 지훈|jihoon 하은|haeun 도윤|doyun 지우|jiwoo "
                        "서준|seojun 수빈|subin 예준|yejun 지민|jimin"),
               family=_W("김|kim 이|lee 박|park 최|choi 정|jung 강|kang 조|cho 윤|yoon 장|jang 임|lim"),
               countries=[("KR", 100, "서울 부산 인천 Seoul Busan Incheon")],
               brand=_W("한빛|Hanbit 대한|Daehan 삼화|Samhwa 미래|Mirae"),
               trade=_W("정밀|Precision 전자|Electronics 철강|Steel 화학|Chemical"),
               legal=_W("주식회사|Co.,_Ltd. (주)|Corp.")),
    "ar": dict(w=6, first=False, sep=" ",
               given=_W("محمد|mohammed أحمد|ahmed علي|ali فاطمة|fatima عمر|omar ليلى|layla "
                        "يوسف|youssef خالد|khaled مريم|mariam"),
               family=_W("العلي|alali الحسن|alhassan حداد|haddad المصري|almasri الخطيب|alkhatib "
                         "العمري|alomari السيد|alsayed"),
               countries=[("AE", 30, "دبي Dubai أبوظبي"), ("SA", 30, "الرياض Riyadh Jeddah"),
                          ("EG", 20, "القاهرة Cairo"), ("JO", 10, "Amman"), ("MA", 10, "Casablanca")],
               brand=_W("النور|Al_Noor الخليج|Gulf الصقر|Falcon الواحة|Oasis"),
               trade=_W("للتجارة|Trading للمقاولات|Contracting للصناعات|Industries"),
               legal=_W("ذ.م.م|LLC م.م.ح|FZE")),
    "ru": dict(w=7, first=False, sep=" ",
               given=_W("Иван|ivan Алексей|alexey Ольга|olga Дмитрий|dmitry Наталья|natalia "
                        "Сергей|sergey Анна|anna Михаил|mikhail Екатерина|ekaterina"),
               family=_W("Иванов|ivanov Петров|petrov Смирнов|smirnov Кузнецов|kuznetsov "
                         "Попов|popov Соколов|sokolov Волков|volkov Новиков|novikov"),
               countries=[("RU", 70, "Москва Moscow Санкт-Петербург"), ("KZ", 15, "Almaty Алматы"),
                          ("UA", 15, "Київ Kyiv Odesa")],
               brand=_W("Восток|Vostok Север|Sever Техно|Tekhno Урал|Ural"),
               trade=_W("Трейд|Trade Снаб|Snab Пром|Prom Инжиниринг|Engineering"),
               legal=_W("ООО|LLC АО|JSC")),
    "es": dict(w=17, first=False, sep=" ",
               given=_W("José|jose María|maria Juan|juan Lucía|lucia Andrés|andres Sofía|sofia "
                        "Martín|martin Raúl|raul Inés|ines Jesús|jesus Ramón|ramon Ángel|angel "
                        "Carmen|carmen Pedro|pedro Óscar|oscar"),
               family=_W("Martínez|martinez García|garcia López|lopez Hernández|hernandez "
                         "González|gonzalez Pérez|perez Rodríguez|rodriguez Sánchez|sanchez "
                         "Ramírez|ramirez Núñez|nunez Jiménez|jimenez Muñoz|munoz Gómez|gomez "
                         "Díaz|diaz Álvarez|alvarez Castillo|castillo"),
               countries=[("ES", 30, "Madrid Barcelona Valencia Sevilla"),
                          ("MX", 30, "Ciudad_de_México Guadalajara Monterrey"),
                          ("AR", 15, "Buenos_Aires Córdoba"), ("CO", 15, "Bogotá Medellín"),
                          ("CL", 10, "Santiago Valparaíso")],
               brand=_W("Industrias Grupo Comercial Importadora Distribuidora Técnicas Aceros"),
               trade=_W("del_Norte Ibérica Andina Martínez del_Pacífico Hermanos"),
               legal=_W("S.A. S.L. S.A._de_C.V. Ltda. S.R.L.")),
    "de": dict(w=9, first=False, sep=" ",
               given=_W("Jürgen|juergen Günter|guenter Jörg|joerg Anna|anna Lukas|lukas "
                        "Sören|soeren Björn|bjoern Katrin|katrin Stefan|stefan Uwe|uwe "
                        "François|francois Zoë|zoe João|joao Çağla|cagla Łukasz|lukasz"),
               family=_W("Müller|mueller Schmidt|schmidt Schröder|schroeder Weiß|weiss "
                         "Groß|gross Köhler|koehler Bäcker|baecker Dubois|dubois Lefèvre|lefevre "
                         "Gonçalves|goncalves Yılmaz|yilmaz Nowak|nowak Wójcik|wojcik"),
               countries=[("DE", 50, "München Köln Berlin Düsseldorf Hamburg"),
                          ("AT", 10, "Wien Graz"), ("FR", 15, "Paris Lyon Orléans"),
                          ("PT", 8, "Lisboa Porto"), ("TR", 10, "İstanbul Ankara"),
                          ("PL", 7, "Kraków Łódź Warszawa")],
               brand=_W("Müller Nord Süd Rhein Alpen Technik Bäcker Weber"),
               trade=_W("Maschinenbau Elektrotechnik Logistik Handel Werkzeuge Industrie"),
               legal=_W("GmbH AG GmbH_&_Co._KG SARL S.A. Sp._z_o.o.")),
    "en": dict(w=22, first=False, sep=" ",
               given=_W("John|john Mary|mary James|james Patricia|patricia Robert|robert "
                        "Jennifer|jennifer Michael|michael Linda|linda David|david Susan|susan "
                        "William|william Karen|karen Jordan|jordan Chad|chad Georgia|georgia "
                        "Priya|priya Rahul|rahul Chinedu|chinedu"),
               family=_W("Smith|smith Johnson|johnson Williams|williams Brown|brown Jones|jones "
                         "Miller|miller Davis|davis Wilson|wilson Taylor|taylor Clark|clark "
                         "Patel|patel Sharma|sharma Okafor|okafor Martin|martin Thompson|thompson"),
               countries=[("US", 45, "Chicago Houston Seattle New_York"), ("GB", 20, "London Leeds"),
                          ("IN", 15, "Mumbai Bengaluru Pune"), ("AU", 8, "Sydney Perth"),
                          ("CA", 7, "Toronto Vancouver"), ("NG", 5, "Lagos Abuja")],
               brand=_W("Acme Summit Pioneer Atlas Global Pacific Northern Apex"),
               trade=_W("Supplies Industries Components Systems Imports Distribution"),
               legal=_W("Inc. Ltd LLC Corp. Pvt._Ltd.")),
}  # fmt: skip
# Calling code and the leading digits and length of a typical mobile number.
PHONES = {
    "CN": ("86", "13 15 18", 11), "TW": ("886", "9", 9), "SG": ("65", "8 9", 8),
    "HK": ("852", "5 6 9", 8), "JP": ("81", "70 80 90", 10), "KR": ("82", "10", 10),
    "AE": ("971", "50 55", 9), "SA": ("966", "50 55", 9), "EG": ("20", "10 11", 10),
    "JO": ("962", "7", 9), "MA": ("212", "6", 9), "RU": ("7", "9", 10), "KZ": ("7", "70", 10),
    "UA": ("380", "67 50", 9), "ES": ("34", "6", 9), "MX": ("52", "55 33", 10),
    "AR": ("54", "911", 11), "CO": ("57", "3", 10), "CL": ("56", "9", 9), "DE": ("49", "15 17", 11),
    "AT": ("43", "66", 11), "FR": ("33", "6 7", 9), "PT": ("351", "9", 9), "TR": ("90", "5", 10),
    "PL": ("48", "5 6", 9), "US": ("1", "2 3 4 6 7", 10), "GB": ("44", "7", 10),
    "IN": ("91", "9 8", 10), "AU": ("61", "4", 9), "CA": ("1", "4 6", 10), "NG": ("234", "80", 10),
}  # fmt: skip
SALESPEOPLE = [f"s{i:02d}" for i in range(1, 13)]


def _pairs(items: list[str]) -> list[tuple[str, str]]:
    split = (x.replace("_", " ").split("|") for x in items)
    return [(p[0], p[-1]) for p in split]


def _slug(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isascii() and ch.isalnum())[:14] or "co"


@dataclass
class _Group:
    """One script/culture's pools, with its companies pre-built once."""

    key: str
    given: list[tuple[str, str]]
    family: list[tuple[str, str]]
    family_first: bool
    sep: str
    countries: list[tuple[str, list[str]]]
    country_weights: list[int]
    companies: list[tuple[str, str]]  # (name, domain)


def _groups(rng: random.Random, n: int) -> tuple[list[_Group], list[int]]:
    groups, weights, used = [], [], set()
    for key, g in GROUPS.items():
        brands, trades, legal = _pairs(g["brand"]), _pairs(g["trade"]), _pairs(g["legal"])
        companies = []
        for i in range(max(50, n * g["w"] // 100 // 25)):  # ~25 contacts per company
            (bn, bl), (tn, tl), (ln, ll) = (rng.choice(x) for x in (brands, trades, legal))
            if bn != bl and rng.random() < 0.6:  # the company's name in its own script
                gap = "" if g["first"] else " "  # CJK company names run together
                name = f"{bn}{gap}{tn}{gap}{ln}"
            else:
                name = f"{bl} {tl} {ll}"
            domain = f"{_slug(bl)}{_slug(tl)}"
            domain = f"{domain}{i}" if domain in used else domain
            used.add(domain)
            companies.append((name, f"{domain}.{rng.choice(['com', 'net', 'co', 'biz'])}"))
        countries = [
            (c, [x.replace("_", " ") for x in cities.split()]) for c, _, cities in g["countries"]
        ]
        groups.append(_Group(key, _pairs(g["given"]), _pairs(g["family"]), g["first"], g["sep"],
                             countries, [w for _, w, _ in g["countries"]], companies))  # fmt: skip
        weights.append(g["w"])
    return groups, weights


def _phone(rng: random.Random, country: str, formatted: bool) -> str:
    cc, leads, length = PHONES[country]
    lead = rng.choice(leads.split())
    rest = length - len(lead)
    number = lead + str(rng.randrange(10 ** (rest - 1), 10**rest))
    if formatted:
        return f"+{cc} {number[:3]} {number[3:6]} {number[6:]}"
    return f"+{cc}{number}"


def generate(n: int, seed: int = 7, samples: int = 400) -> tuple[Iterator[dict], list[dict]]:
    """(a stream of n contact dicts, a list that fills with ~`samples` of them as they pass).

    Companies are built once up front and the group and owner of each row drawn per
    batch of 5 000 with `Random.choices`, so generating a million rows takes seconds
    (reported apart from the import). Deterministic for a seed.
    """
    rng = random.Random(seed)
    groups, weights = _groups(rng, n)
    keep: list[dict] = []
    every = max(1, n // samples)
    dates = [f"20{y:02d}-{m:02d}-{d:02d}T09:00:00+00:00" for y in range(15, 25)
             for m in range(1, 13) for d in (1, 9, 17, 25)]  # fmt: skip
    titles = ["Purchasing Manager", "CEO", "Buyer", "采购经理", "Director de Compras",
              "Einkaufsleiter", "営業部長", "", ""]  # fmt: skip

    def rows() -> Iterator[dict]:
        i = 0
        while i < n:
            size = min(5000, n - i)
            picks = rng.choices(range(len(groups)), weights, k=size)
            owners = rng.choices(SALESPEOPLE + [None], k=size)
            for gi, owner in zip(picks, owners, strict=True):
                g = groups[gi]
                (gn, gl), (fn, fl) = rng.choice(g.given), rng.choice(g.family)
                name = f"{fn}{g.sep}{gn}" if g.family_first else f"{gn} {fn}"
                country, cities = rng.choices(g.countries, g.country_weights)[0]
                company, domain = rng.choice(g.companies)
                row = {
                    "id": f"C{i:07d}",
                    "crm_id": f"CRM-{i}",
                    "name": name,
                    "company": company,
                    "title": rng.choice(titles),
                    "email": f"{gl}.{fl}{i}@{domain}".replace(" ", ""),
                    "phone": _phone(rng, country, formatted=i % 10 == 0),
                    "country": country,
                    "city": rng.choice(cities),
                    "owner_id": owner,
                    "filed_at": rng.choice(dates),
                    "badge_ids": f"B{i:08d}" if i % 3 == 0 else "",
                }
                if i % every == 0:
                    keep.append(row)
                i += 1
                yield row

    return rows(), keep
