"""badges.txt: scanner payloads to try at the demo kiosk, known and unknown visitors.

Every block starts with one comment line saying who it is and what the kiosk should do; the
first word is 'known' (the visitor is in contacts.csv, by badge id or e-mail), 'new visitor'
(nobody in the CRM; routed by the territory sheet) or 'unreadable'. Blocks are separated by
one blank line, so a test or a person can feed them to the kiosk one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from . import badge_formats as fmt
from .fixtures import BY_TAG
from .phones import make_phone
from .show import REGISTRATION_URL, SHOW_NAME

COUNTRY_NAMES = {
    "AE": "United Arab Emirates", "AU": "Australia", "BR": "Brazil", "CN": "China",
    "DE": "Germany", "DO": "Dominican Republic", "ES": "Spain", "IT": "Italy", "JP": "Japan",
    "KR": "South Korea", "MX": "Mexico", "NG": "Nigeria", "SA": "Saudi Arabia",
    "US": "United States", "VN": "Vietnam",
}  # fmt: skip


@dataclass(frozen=True)
class Visitor:
    """A visitor who is not in the CRM."""

    badge_id: str
    name: str
    given: str
    family: str
    company: str
    email: str
    country: str
    title: str
    city: str
    expect: tuple[str, ...]  # who the territory sheet should call


NEW_VISITORS: dict[str, Visitor] = {
    "br": Visitor("GLE26-0950101", "Rafael Mendes Carvalho", "Rafael", "Mendes Carvalho",
                  "Casa da Luz Materiais Elétricos Ltda.", "rafael.carvalho@casadaluz.com.br",
                  "BR", "Comprador", "Campinas", ("sofia", "mateo")),
    "mx": Visitor("GLE26-0950102", "Daniela Ortiz Villanueva", "Daniela", "Ortiz Villanueva",
                  "Iluminación Integral del Norte, S.A. de C.V.", "dortiz@iluminacionintegral.mx",
                  "MX", "Jefa de Compras", "Saltillo", ("sofia", "mateo")),
    "kr": Visitor("GLE26-0950103", "이서연", "서연", "이", "(주)새벽조명",
                  "seoyeon.lee@saebyeok-lighting.co.kr", "KR", "구매팀 과장", "Seoul", ("minji",)),
    "ae": Visitor("GLE26-0950104", "خالد المنصوري", "Khalid", "Al-Mansouri",
                  "Desert Bloom Lighting Trading L.L.C.", "khalid@desertbloom-lighting.ae", "AE",
                  "Procurement Manager", "Dubai", ("omar",)),
    "cn": Visitor("GLE26-0950105", "陈晓明", "晓明", "陈", "深圳市星河光电科技有限公司",
                  "chenxm@xinghe-opto.com.cn", "CN", "采购总监", "Shenzhen", ("david",)),
    "vn": Visitor("GLE26-0950106", "Trần Thị Thu Hà", "Thị Thu Hà", "Trần",
                  "Truong Son Lighting Co., Ltd", "ha.tran@truongson-lighting.vn", "VN",
                  "Purchasing Manager", "Đà Nẵng", ("tina",)),
    "us": Visitor("GLE26-0950107", "Megan O'Reilly", "Megan", "O'Reilly",
                  "Prairie State Electric Supply", "megan.oreilly@prairiestate-electric.com",
                  "US", "Director of Purchasing", "Springfield, IL 62703, USA", ("kevin",)),
    "nordlicht": Visitor("GLE26-0950108", "Sabine Krämer", "Sabine", "Krämer",
                         "Nordlicht Bau GmbH", "s.kraemer@nordlicht-bau.de", "DE",
                         "Projektleiterin", "Hamburg", ("david",)),
    "brightway": Visitor("GLE26-0950109", "Luis Fernando Treviño", "Luis Fernando", "Treviño",
                         "Brightway Supply México", "ltrevino@brightway-supply.com", "MX",
                         "Gerente de Sucursal", "Monterrey", ("kevin",)),
    "costa_azul": Visitor("GLE26-0950110", "Yokasta Peña", "Yokasta", "Peña",
                          "Costa Azul Hoteles", "yokasta.pena87@gmail.com", "DO",
                          "Gerente de Mantenimiento", "Punta Cana", ("ana",)),
    "it": Visitor("GLE26-0950111", "Giulia Ferrante", "Giulia", "Ferrante", "Luce Lombarda S.r.l.",
                  "g.ferrante@lucelombarda.it", "IT", "Responsabile acquisti", "Milano",
                  ("lukas", "claire")),
    "au": Visitor("GLE26-0950112", "Liam O'Sullivan", "Liam", "O'Sullivan",
                  "Southern Cross Electrical Wholesale Pty Ltd",
                  "liam.osullivan@southerncross-electrical.com.au", "AU", "Branch Manager",
                  "Brisbane", ("kevin",)),
    "ng": Visitor("GLE26-0950113", "Chiamaka Okeke", "Chiamaka", "Okeke",
                  "Lekki Power & Lighting Ltd", "chiamaka@lekkipower.com.ng", "NG",
                  "Procurement Officer", "Lagos", ("david",)),
}  # fmt: skip
FREE_MAIL_VISITOR = "m.rossi.lightdesign@gmail.com"
UNKNOWN_BADGE = "GLE26-0954321"


def reserved_emails() -> set[str]:
    """Addresses of the new visitors, which no generated customer may use."""
    return {v.email for v in NEW_VISITORS.values()} | {FREE_MAIL_VISITOR}


def reserved_badges() -> set[str]:
    return {v.badge_id for v in NEW_VISITORS.values()} | {UNKNOWN_BADGE}


Block = tuple[str, str]  # (comment without '# ', payload)
Values = dict[str, str]


def _visitor_values(rng: Random, v: Visitor) -> Values:
    return {
        "badge_id": v.badge_id, "name": v.name, "company": v.company, "email": v.email,
        "country": v.country, "title": v.title, "phone": make_phone(v.country, rng),
        "city": v.city, "country_name": COUNTRY_NAMES[v.country],
    }  # fmt: skip


def _known_values(tag: str, by_email: dict[str, dict[str, str]], badge: int = 0) -> Values:
    f = BY_TAG[tag]
    row = by_email[f.email.casefold()]
    return {
        "badge_id": f.badges[badge] if f.badges else "", "name": f.name, "company": f.company,
        "email": f.email, "country": f.country, "title": f.title, "phone": row["phone"],
        "city": f.city, "country_name": COUNTRY_NAMES[f.country],
    }  # fmt: skip


def _known_blocks(by_email: dict[str, dict[str, str]]) -> list[Block]:
    def k(tag: str, badge: int = 0) -> Values:
        return _known_values(tag, by_email, badge)

    jose, ricardo, alejandro = k("lapsed"), k("assistant"), k("preferred")
    return [
        ("known · 佐藤 健, 株式会社光和照明 (Japan) · plain registration id → existing customer "
         "of Kenji Watanabe; reception calls Kenji", k("kenji_customer")["badge_id"]),
        ("known · Jürgen Müller, Nordlicht Bau (Germany) · id behind a 'REG:' label → key-account "
         "customer of David Liang", "REG:" + k("key_account_known")["badge_id"]),
        ("known · José Martínez Núñez (Spain) · caret layout → lapsed owner: Ana has had no deal "
         "or contact for over 90 days, so the kiosk proposes a reassignment to the manager",
         fmt.delimited(jose, "^")),
        ("known · Ana Paula Ferreira da Silva (Brazil) · QR read with the AIM prefix ]Q1 → owner "
         "Sofía, but Mateo met her first (Canton Fair 2023): an ownership conflict to show",
         "]Q1" + k("conflict")["badge_id"]),
        ("known · Ricardo Gutiérrez Salinas (Mexico) · registration URL with ?id= → owner Mateo, "
         "Ana assists with a 30% split",
         f"{REGISTRATION_URL}?id={ricardo['badge_id']}&lang=es"),
        ("known · Alejandro Vargas (USA) · JSON → owner Kevin; the customer prefers Sofía "
         "(recorded, the manager decides)", fmt.json_badge(alejandro, "Alejandro", "Vargas")),
        ("known · Nguyễn Văn An (Vietnam) · pipe layout with the second of his three badge ids → "
         "customer of Tina", fmt.delimited(k("multi_badge", 1), "|")),
        ("known · 高橋 直樹 (Japan) · vCard 3.0, found by e-mail → historical owner David and "
         "lapsed; the Japan desk is Kenji, so the kiosk proposes a reassignment",
         fmt.vcard3(k("historical_lapsed"), "Naoki", "Takahashi")),
        ("known · 김민준 (South Korea) · e-mail address only → found by e-mail, customer of Minji",
         BY_TAG["korean_email_only"].email),
        ("known · 王伟 (China) · vCard 2.1 with QUOTED-PRINTABLE UTF-8 → customer of David",
         fmt.vcard21_qp(k("chinese"), "伟", "王")),
        ("known · محمد العتيبي (Saudi Arabia) · MECARD, found by e-mail → customer of Omar",
         fmt.mecard(k("arabic"), "محمد", "العتيبي")),
        ("known · Thomas Müller, Müller Lichttechnik (Germany) · tab layout → the CRM has two "
         "Thomas Müllers; the badge id picks the right one (Lukas)",
         fmt.delimited(k("same_name_a"), "\t")),
    ]  # fmt: skip


def _new_blocks(rng: Random) -> list[Block]:
    def v(key: str) -> Values:
        return _visitor_values(rng, NEW_VISITORS[key])

    mx = v("mx") | {"country": "México"}
    n = NEW_VISITORS
    return [
        ("new visitor · Brazil, pipe layout → region LATAM, round-robin between Sofía and Mateo",
         fmt.delimited(v("br"), "|")),
        ("new visitor · Mexico, caret layout with the country written out → LATAM rotation: "
         "whoever of Sofía and Mateo is next", fmt.delimited(mx, "^")),
        ("new visitor · South Korea, tab layout → country rule KR → Minji",
         fmt.delimited(v("kr"), "\t")),
        ("new visitor · United Arab Emirates, vCard 3.0 with an Arabic name → region MIDDLE_EAST "
         "→ Omar", fmt.vcard3(v("ae"), n["ae"].given, n["ae"].family)),
        ("new visitor · China, vCard 2.1 QUOTED-PRINTABLE with soft line breaks → region "
         "GREATER_CHINA → David", fmt.vcard21_qp(v("cn"), n["cn"].given, n["cn"].family)),
        ("new visitor · Vietnam, MECARD with escaped commas → region ASEAN → Tina",
         fmt.mecard(v("vn"), n["vn"].given, n["vn"].family)),
        ("new visitor · USA, BIZCARD → country rule US CA → Kevin",
         fmt.bizcard(v("us"), n["us"].given, n["us"].family)),
        ("new visitor · a Nordlicht Bau colleague not yet in the CRM, caret layout → key account "
         "by e-mail domain → David (the domain rule beats the DACH desk)",
         fmt.delimited(v("nordlicht"), "^")),
        ("new visitor · Brightway Supply's Mexico branch, JSON → key account by e-mail domain → "
         "Kevin, not the LATAM rotation",
         fmt.json_badge(v("brightway"), n["brightway"].given, n["brightway"].family)),
        ("new visitor · Costa Azul Hoteles staff with a personal Gmail, Dominican Republic, pipe "
         "layout → key account by company name → Ana", fmt.delimited(v("costa_azul"), "|")),
        ("new visitor · Italy, semicolon layout → region EUROPE, round-robin between Lukas and "
         "Claire", fmt.delimited(v("it"), ";")),
        ("new visitor · Australia, vCard 3.0 → region OCEANIA → Kevin",
         fmt.vcard3(v("au"), n["au"].given, n["au"].family)),
        ("new visitor · Nigeria, pipe layout → no country or region rule → default owner David",
         fmt.delimited(v("ng"), "|")),
        ("new visitor · e-mail address only, free mail, no country → default owner David "
         "(reception may ask where they are from)", FREE_MAIL_VISITOR),
        ("new visitor · a registration id the CRM does not know and nothing else to route by → "
         "default owner David (reception may ask for a business card)", UNKNOWN_BADGE),
    ]  # fmt: skip


def badges_txt(rng: Random, contacts: list[dict[str, str]]) -> str:
    """The whole file; `contacts` supplies the phones the generator gave known visitors."""
    by_email = {r["email"].casefold(): r for r in contacts if r["email"]}
    blocks = _known_blocks(by_email) + _new_blocks(rng)
    blocks.append(("unreadable · scanner noise → the kiosk says it cannot read the badge",
                   "@@@ +++ ¿¿¿ ~~~ 000 ---"))  # fmt: skip
    header = (
        f"# Demo badge scans for {SHOW_NAME}. Generated by scripts/make_demo_data.py.\n"
        "# One scan per block; blocks are separated by a blank line. The comment line says who\n"
        "# it is and what the kiosk should do: 'known' visitors are in contacts.csv (by badge id\n"
        "# or e-mail), 'new visitor' ones are not and are routed by territories.csv."
    )
    body = "\n\n".join(f"# {comment}\n{payload}" for comment, payload in blocks)
    return f"{header}\n\n{body}\n"
