"""Hand-written customers: the ones the demo script and badges.txt talk about.

Each showcase row sets up one situation the kiosk must explain (a customer of Kenji, a lapsed
owner, a colleague who met the customer first, …) or one piece of awkward data (two people
called Thomas Müller, a company name longer than a screen, no e-mail at all). Everything not
written here (phones) is filled in by the generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Fixed:
    tag: str
    name: str
    company: str
    title: str
    email: str
    country: str
    city: str
    language: str
    grade: str
    owner: str
    filed: datetime | None
    last_contact: datetime | None = None
    last_deal: datetime | None = None
    first_contact_by: str = "owner"  # 'owner', '' or another salesperson id
    first_contact: datetime | None = None  # None: the filing moment
    assistant: str = ""
    split: str = ""
    preferred: str = ""
    badges: tuple[str, ...] = ()
    notes: str = ""
    consent: str = "1"
    phone: bool = True


def _d(text: str) -> datetime:
    return datetime.fromisoformat(text)


SHOWCASE: tuple[Fixed, ...] = (
    Fixed("kenji_customer", "佐藤 健", "株式会社光和照明", "購買部 部長", "ken.sato@kowa-shomei.co.jp",
          "JP", "大阪", "ja", "A", "kenji", _d("2021-04-12 10:20"), _d("2026-11-05 15:40"),
          _d("2026-09-18 11:05"), badges=("GLE26-0012345",),
          notes="年間約3000台のダウンライト。展示会ブース来場確認済み（1日目）。"),
    Fixed("key_account_known", "Jürgen Müller", "Nordlicht Bau GmbH", "Einkaufsleiter",
          "j.mueller@nordlicht-bau.de", "DE", "Hamburg", "de", "A", "david",
          _d("2022-02-14 09:45"), _d("2026-10-28 14:10"), _d("2026-10-02 16:30"),
          badges=("GLE26-0020418",),
          notes="Framework contract 2025-2027 for LED panels and linear lights. Price list "
          "valid until March."),
    Fixed("lapsed", "José Martínez Núñez", "Iluminaciones Martínez Núñez, S.L.",
          "Gerente de Compras", "J.Martinez@iluminacionesmn.es", "ES", "Sevilla", "es", "B",
          "ana", _d("2020-06-08 11:30"), _d("2025-12-16 10:15"), _d("2025-03-11 12:00"),
          badges=("GLE26-0031876",),
          notes="Pedido anual de unas 2000 uds de downlights. Sin respuesta desde diciembre."),
    Fixed("conflict", "Ana Paula Ferreira da Silva", "Ferreira Iluminação Ltda.",
          "Diretora Comercial", "anapaula@ferreirailuminacao.com.br", "BR", "São Paulo", "pt",
          "A", "sofia", _d("2024-05-20 09:10"), _d("2026-11-10 13:25"), _d("2026-07-02 10:45"),
          first_contact_by="mateo", first_contact=_d("2023-10-19 15:30"),
          badges=("GLE26-0044102",),
          notes="Conoció a Mateo en la Feria de Cantón 2023; Sofía la dio de alta en 2024."),
    Fixed("assistant", "Ricardo Gutiérrez Salinas", "Materiales Eléctricos del Bajío, S.A. de C.V.",
          "Director Comercial", "rgutierrez@mebajio.com.mx", "MX", "León", "es", "A", "mateo",
          _d("2022-09-05 16:00"), _d("2026-11-12 09:20"), _d("2026-08-21 11:10"),
          assistant="ana", split="0.3", badges=("GLE26-0052277",),
          notes="项目客户，Ana负责西班牙总部的技术对接，佣金30%。"),
    Fixed("preferred", "Alejandro Vargas", "Sunshine Electrical Supply LLC", "Purchasing Manager",
          "avargas@sunshine-electrical.com", "US", "Miami", "es", "B", "kevin",
          _d("2023-03-27 10:05"), _d("2026-10-30 17:15"), _d("2026-06-15 09:50"),
          preferred="sofia", badges=("GLE26-0061530",),
          notes="Prefers to talk business in Spanish with Sofía; Kevin handles quotes."),
    Fixed("multi_badge", "Nguyễn Văn An", "Công ty TNHH Chiếu sáng Sao Mai", "Giám đốc",
          "an.nguyen@saomai-lighting.com.vn", "VN", "TP. Hồ Chí Minh", "vi", "B", "tina",
          _d("2023-08-01 14:40"), _d("2026-11-03 10:00"), _d("2026-05-19 15:20"),
          badges=("GLE26-0070011", "GLE26-0070012", "GLE26-0070013"),
          notes="Registered once per show day, so three badges."),
    Fixed("historical_lapsed", "高橋 直樹", "東光電機株式会社", "海外事業部 マネージャー",
          "n.takahashi@toko-denki.co.jp", "JP", "名古屋", "ja", "B", "david",
          _d("2019-05-09 10:30"), _d("2025-06-03 11:45"), _d("2024-11-20 14:00"),
          badges=("GLE26-0081190",),
          notes="2019年广州展会认识，当时日本市场还没有专人负责。"),
    Fixed("arabic", "محمد العتيبي", "مؤسسة العتيبي للإنارة (Al-Otaibi Lighting Est.)",
          "مدير المشتريات", "m.alotaibi@alotaibi-lighting.com.sa", "SA", "الرياض", "ar", "A",
          "omar", _d("2021-11-15 13:00"), _d("2026-11-18 12:30"), _d("2026-10-06 10:20"),
          badges=("GLE26-0090655",), notes="Needs SASO certificates for floodlights."),
    Fixed("korean_email_only", "김민준", "(주)한빛조명", "구매팀장", "minjun.kim@hanbit-lighting.co.kr",
          "KR", "서울", "ko", "B", "minji", _d("2022-07-07 10:10"), _d("2026-11-02 16:00"),
          _d("2026-04-14 11:30"), notes="연간 약 5000개 LED 평판등 주문."),
    Fixed("chinese", "王伟", "上海明辉照明有限公司", "采购经理", "wangwei@minghui-lighting.com.cn",
          "CN", "上海", "zh", "C", "david", _d("2024-01-22 15:15"), _d("2026-09-25 10:40"),
          badges=("GLE26-0009888",), notes="在比较宁波的供应商，报价要快。"),
    Fixed("same_name_a", "Thomas Müller", "Müller Lichttechnik GmbH", "Geschäftsführer",
          "t.mueller@mueller-lichttechnik.de", "DE", "München", "de", "A", "lukas",
          _d("2020-10-19 08:50"), _d("2026-11-09 11:00"), _d("2026-09-30 14:45"),
          badges=("GLE26-0013579",),
          notes="Not the Thomas Müller from Elektro Brandt in Köln!"),
    Fixed("same_name_b", "Thomas Müller", "Elektro Brandt GmbH", "Projektleiter",
          "thomas.mueller@elektro-brandt.de", "DE", "Köln", "de", "C", "lukas",
          _d("2025-02-03 13:35"), _d("2026-10-14 09:30"), badges=("GLE26-0024680",)),
    Fixed("long_company", "María Guadalupe Hernández de la Garza",
          "Compañía Iberoamericana de Iluminación Arquitectónica, Urbana y Eficiencia "
          "Energética, S.A. de C.V.", "Gerente de Proyectos",
          "guadalupe.hernandez@ciluminacion.com.mx", "MX", "Monterrey", "es", "B", "sofia",
          _d("2023-06-12 12:00"), _d("2026-11-16 10:10"), badges=("GLE26-0035791",)),
    Fixed("no_email", "François-Xavier Lefèvre-Château", "Lumières & Reflets SARL", "Gérant", "",
          "FR", "Bordeaux", "fr", "C", "claire", _d("2022-04-25 10:00"), _d("2026-09-08 15:30"),
          consent="0", notes="Pas d'e-mail : appeler sur le portable."),
    Fixed("no_email_nordic", "Øyvind Kjærstad-Hånes", "Fjordlys AS", "Daglig leder", "", "NO",
          "Bergen", "nb", "C", "claire", _d("2024-09-30 14:20"), _d("2026-10-21 11:50"),
          consent="0"),
    Fixed("apostrophe", "Siobhán O'Connor-Ní Bhriain", "Brightlight Electrical Distributors Ltd",
          "Purchasing Manager", "siobhan.oconnor@brightlight.ie", "IE", "Galway", "en", "B",
          "lukas", _d("2023-02-08 09:25"), _d("2026-11-11 16:40"), _d("2026-03-03 10:00")),
    Fixed("quotes", "Vicente Soler Ferrer", 'Luz & Forma "Iluminación", S.L.',
          "Responsable de Compras", "vsoler@luzyforma.es", "ES", "Valencia", "es", "B", "ana",
          _d("2021-07-19 11:40"), _d("2026-10-07 12:20"), _d("2026-02-24 09:15")),
    Fixed("turkish", "İbrahim Işıkoğlu", "Işıkoğlu Aydınlatma A.Ş.", "Satın Alma Müdürü",
          "ibrahim@isikoglu.com.tr", "TR", "İstanbul", "tr", "B", "omar",
          _d("2022-11-28 10:35"), _d("2026-11-19 14:05"), _d("2026-01-12 11:25")),
    Fixed("caps", "DUPONT Jean-Marc", "Éclairage Dupont SAS", "Directeur général",
          "jm.dupont@eclairage-dupont.fr", "FR", "Lille", "fr", "A", "claire",
          _d("2019-09-16 15:00"), _d("2026-10-19 10:30"), _d("2026-08-27 16:10")),
    Fixed("thai", "สมชาย ใจดี", "บริษัท สยาม ไลท์ติ้ง จำกัด", "ผู้จัดการฝ่ายจัดซื้อ",
          "somchai@siamlighting.co.th", "TH", "กรุงเทพมหานคร", "th", "B", "tina",
          _d("2023-12-04 13:50"), _d("2026-11-06 10:15")),
    Fixed("russian", "Алексей Смирнов", "ООО «СветТорг»", "Менеджер по закупкам",
          "a.smirnov@svettorg.ru", "RU", "Москва", "ru", "C", "david", _d("2021-03-01 10:00"),
          _d("2026-10-01 12:00"), _d("2025-11-10 10:30")),
)  # fmt: skip

BY_TAG: dict[str, Fixed] = {f.tag: f for f in SHOWCASE}


@dataclass(frozen=True)
class KeyAccount:
    """A big customer with several buyers, all owned by the key-account rule's person."""

    company: str
    domain: str  # '' when its staff write from personal mail
    country: str
    cities: tuple[str, ...]
    owner: str
    count: int
    free_mail_share: float = 0.0


KEY_ACCOUNTS: tuple[KeyAccount, ...] = (
    KeyAccount("Nordlicht Bau GmbH", "nordlicht-bau.de", "DE", ("Hamburg", "Bremen"), "david", 5),
    KeyAccount("KV Retail Group GmbH", "kv-retail.eu", "DE", ("Hamburg",), "lukas", 3),
    KeyAccount("KV Retail Nederland B.V.", "kv-retail.eu", "NL", ("Utrecht",), "lukas", 1),
    KeyAccount("KV Retail Polska Sp. z o.o.", "kv-retail.eu", "PL", ("Poznań",), "lukas", 2),
    KeyAccount("KV Retail Česko s.r.o.", "kv-retail.eu", "CZ", ("Brno",), "lukas", 1),
    KeyAccount("KV Retail Österreich GmbH", "kv-retail.eu", "AT", ("Linz",), "lukas", 1),
    KeyAccount("Grupo Luminar, S.A. de C.V.", "luminar.com.mx", "MX", ("Guadalajara", "Monterrey"),
               "sofia", 5),
    KeyAccount("Brightway Supply Inc.", "brightway-supply.com", "US", ("Chicago", "Dallas"),
               "kevin", 4),
    KeyAccount("Brightway Supply Canada Ltd.", "brightway-supply.com", "CA", ("Toronto",),
               "kevin", 1),
    KeyAccount("Brightway Supply México, S. de R.L. de C.V.", "brightway-supply.com", "MX",
               ("Monterrey",), "kevin", 1),
    KeyAccount("Costa Azul Hoteles", "costaazulhoteles.com", "ES", ("Palma", "Málaga", "Madrid"),
               "ana", 3, free_mail_share=0.34),
    KeyAccount("Costa Azul Hoteles", "costaazulhoteles.com", "MX", ("Cancún",), "ana", 2,
               free_mail_share=0.5),
    KeyAccount("Costa Azul Hoteles", "costaazulhoteles.com", "DO", ("Punta Cana",), "ana", 1),
    KeyAccount("Larsen & Dahl Byggvarer AS", "larsen-dahl.no", "NO", ("Oslo", "Bergen"),
               "david", 3),
)  # fmt: skip
