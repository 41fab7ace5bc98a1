"""Private sales notes, written in the salesperson's working language.

These are what reception must never see: prices, payment habits, who decides. Each template
names a product in the note's language, a quantity, a certificate the buyer's market needs.
"""

from __future__ import annotations

from random import Random

PRODUCTS: dict[str, tuple[str, ...]] = {
    "en": ("LED panels", "downlights", "track lights", "linear lights", "LED strips", "high bays",
           "floodlights", "street lights", "DALI controls", "emergency lights"),
    "zh": ("面板灯", "筒灯", "轨道灯", "线条灯", "灯带", "工矿灯", "投光灯", "路灯", "智能调光控制",
           "应急灯"),
    "es": ("paneles LED", "downlights", "focos de carril", "lineales LED", "tiras LED",
           "campanas industriales", "proyectores", "farolas", "controles DALI",
           "luces de emergencia"),
    "de": ("LED-Panels", "Downlights", "Stromschienenstrahler", "Lichtbänder", "LED-Streifen",
           "Hallenstrahler", "Fluter", "Straßenleuchten", "DALI-Steuerungen", "Notleuchten"),
    "fr": ("dalles LED", "downlights", "spots sur rail", "profilés linéaires", "rubans LED",
           "cloches industrielles", "projecteurs", "luminaires d'éclairage public",
           "commandes DALI", "blocs de secours"),
    "ja": ("LEDパネル", "ダウンライト", "スポットライト", "ライン照明", "LEDテープ", "高天井灯", "投光器",
           "街路灯", "調光システム", "非常灯"),
    "ko": ("LED 평판등", "다운라이트", "레일 조명", "라인 조명", "LED 스트립", "공장등", "투광등", "가로등",
           "조명 제어", "비상등"),
}  # fmt: skip

TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "Buys {p} for hotel projects; wants {c} certificates before ordering.",
        "Price-sensitive. Compares our {p} with two Ningbo suppliers.",
        "Asked for {p} samples; sent {n} pcs by DHL.",
        "Yearly order of about {q} pcs {p}. Pays 30% deposit, 70% before shipment.",
        "Interested in {p} with DALI dimming. Needs {c}.",
        "Distributor in {city}; asks for exclusivity.",
        "Complained about driver failures in the last batch of {p}; replacements sent.",
        "Wants OEM packaging with their logo, MOQ {q}.",
        "Tender in Q{qtr}; needs IES files and {c} for {p}.",
        "The owner decides; call before 10:00 local time.",
        "Slow payer, keep L/C terms.",
        "Invited to the booth; confirmed day {d}.",
    ),
    "zh": (
        "老客户，每年下单约{q}只{p}，对价格敏感。",
        "需要{c}认证，{p}样品已寄出（{n}只）。",
        "对{p}感兴趣，要求DALI调光。",
        "付款慢，建议信用证。",
        "想做OEM，要印他们的logo，起订量{q}。",
        "上一批{p}驱动有问题，已补发。",
        "项目客户，Q{qtr}有招标，需要IES文件。",
        "已邀请来展位，确认第{d}天来。",
        "老板本人负责采购，上午联系比较好。",
        "在比较宁波的供应商，报价要快。",
    ),
    "es": (
        "Cliente de proyectos hoteleros; pide certificados {c} antes de comprar.",
        "Muy sensible al precio. Compara nuestros {p} con dos proveedores de Ningbo.",
        "Pidió muestras de {p}; enviadas {n} uds por DHL.",
        "Pedido anual de unas {q} uds de {p}. Paga 30% anticipo y 70% antes del embarque.",
        "Quiere precio FOB Zhongshan para {q} uds de {p}.",
        "Distribuidor en {city}; pide exclusividad.",
        "Reclamó fallos de drivers en el último lote de {p}; enviamos reposición.",
        "Licitación en el Q{qtr}; necesita archivos IES y {c}.",
        "Confirmó visita al stand el día {d}.",
        "Decide el dueño; llamar por la mañana.",
    ),
    "de": (
        "Kauft {p} für Hotelprojekte, braucht {c}-Zertifikate vor der Bestellung.",
        "Sehr preissensibel, vergleicht mit zwei Lieferanten aus Ningbo.",
        "Muster {p} angefragt, {n} Stück per DHL verschickt.",
        "Rahmenvertrag über ca. {q} Stück {p} pro Jahr.",
        "Braucht DALI-Treiber und {c}-Zertifikat für {p}.",
        "Reklamation: Treiberausfälle in der letzten Lieferung, Ersatz geschickt.",
        "Ausschreibung im Q{qtr}, braucht IES-Dateien.",
        "Standbesuch für Tag {d} bestätigt.",
    ),
    "fr": (
        "Achète des {p} pour des projets hôteliers ; exige les certificats {c}.",
        "Très sensible au prix, compare avec deux fournisseurs de Ningbo.",
        "Échantillons de {p} envoyés ({n} pcs, DHL).",
        "Commande annuelle d'environ {q} pcs de {p}.",
        "Distributeur à {city} ; demande l'exclusivité.",
        "Appel d'offres au T{qtr}, besoin des fichiers IES.",
        "Visite du stand confirmée pour le jour {d}.",
    ),
    "ja": (
        "{p}のサンプルを{n}台送付済み。{c}認証が必要。",
        "ホテル案件向けに{p}を購入。価格に厳しい。",
        "年間約{q}台の{p}。支払いはT/T。",
        "展示会ブース来場確認済み（{d}日目）。",
        "決裁者は社長。午前中の連絡が良い。",
    ),
    "ko": (
        "{p} 샘플 {n}개 발송함. {c} 인증 필요.",
        "호텔 프로젝트용 {p} 구매. 가격에 민감함.",
        "연간 약 {q}개 {p} 주문.",
        "부스 방문 확정 ({d}일차).",
    ),
}


def note(rng: Random, language: str, cert: str, city: str) -> str:
    """One or two short notes in `language`, filled with plausible numbers."""
    count = 2 if rng.random() < 0.25 else 1
    texts = rng.sample(TEMPLATES[language], count)
    sep = "" if language in ("zh", "ja") else " "
    return sep.join(
        t.format(
            p=rng.choice(PRODUCTS[language]),
            q=rng.choice((500, 800, 1000, 2000, 3000, 5000, 10000)),
            n=rng.choice((2, 3, 5, 6, 10)),
            c=cert,
            city=city,
            qtr=rng.randint(1, 4),
            d=rng.randint(1, 4),
        )
        for t in texts
    )


def note_language(rng: Random, weights: tuple[tuple[str, int], ...]) -> str:
    langs = [lang for lang, _ in weights]
    return rng.choices(langs, weights=[w for _, w in weights])[0]
