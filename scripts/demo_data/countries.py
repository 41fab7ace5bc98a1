"""The demo company's markets: who lives there, how firms are named, which mail is used.

`weight` is roughly how many of the exporter's 3,200 CRM contacts sit in the country: a
Chinese lighting exporter at a Frankfurt show sells most in Europe, North America and Latin
America, and less but steadily in Asia, the Gulf and Africa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    weight: int
    cultures: tuple[tuple[str, int, str], ...]  # (culture, weight, language override or "")
    cities: tuple[str, ...]  # "Latin" or "Latin/native"
    tld: str
    latin_forms: tuple[str, ...]  # legal-form templates around the Latin name, '{l}'
    native_forms: tuple[str, ...] = ()  # templates using the native name '{n}' (and '{l}')
    native_share: float = 0.0  # how often a firm is written in the local script
    words: str = "en"  # which word bank names the firms (see companies.py)
    cert: str = "CE"  # the product certificate buyers there ask for
    free_mail: tuple[str, ...] = ("gmail.com", "outlook.com", "yahoo.com")


def _c(spec: str) -> tuple[tuple[str, int, str], ...]:
    """'german 60, french 30 fr' → (('german', 60, ''), ('french', 30, 'fr'))."""
    out = []
    for part in spec.split(","):
        bits = part.split()
        out.append((bits[0], int(bits[1]), bits[2] if len(bits) > 2 else ""))
    return tuple(out)


def _t(text: str) -> tuple[str, ...]:
    """Comma-separated items; legal-form templates split only before the next placeholder,
    so '{l}, S.L., {l}, S.A.' gives two forms."""
    if "{" in text:
        return tuple(re.split(r", (?=[^,]*\{[ln]\})", text))
    return tuple(s.strip() for s in text.split(",") if s.strip())


_EN = ("gmail.com", "outlook.com", "yahoo.com")
_LATAM_MAIL = ("gmail.com", "hotmail.com", "outlook.com")
_GULF_FORMS = ("{l} LLC", "{l} Trading L.L.C.", "{l} FZE", "{l} FZCO")
_AR_NATIVE = ("شركة {n} ({l} Co.)", "مؤسسة {n} ({l} Est.)")

COUNTRIES: tuple[Country, ...] = (
    # Europe
    Country("DE", 260, _c("german 100"), _t("Berlin, Hamburg, München, Köln, Frankfurt am Main, Stuttgart, Düsseldorf, Leipzig, Nürnberg, Dortmund, Bremen, Hannover"), "de", _t("{l} GmbH, {l} GmbH & Co. KG, {l} AG, {l} e.K., {l} KG"), words="de", cert="ENEC", free_mail=("gmx.de", "web.de", "t-online.de")),
    Country("AT", 45, _c("german 100"), _t("Wien, Graz, Linz, Salzburg, Innsbruck, Klagenfurt"), "at", _t("{l} GmbH, {l} Ges.m.b.H., {l} KG"), words="de", cert="ENEC", free_mail=("gmx.at", "aon.at")),
    Country("CH", 40, _c("german 60, french 30, italian 10"), _t("Zürich, Genève, Basel, Bern, Lausanne, Luzern, Lugano, St. Gallen"), "ch", _t("{l} AG, {l} GmbH, {l} SA, {l} Sàrl"), words="de", cert="ENEC", free_mail=("bluewin.ch", "gmx.ch")),
    Country("FR", 150, _c("french 92, maghreb 8"), _t("Paris, Lyon, Marseille, Toulouse, Nantes, Lille, Bordeaux, Strasbourg, Rennes, Nice, Montpellier"), "fr", _t("{l} SARL, {l} SAS, {l} SA"), words="fr", cert="ENEC", free_mail=("orange.fr", "free.fr", "wanadoo.fr")),
    Country("BE", 40, _c("dutch 55, french 45"), _t("Bruxelles, Antwerpen, Gent, Liège, Brugge, Charleroi, Leuven, Namur"), "be", _t("{l} BV, {l} NV, {l} SRL, {l} SA"), words="nl", cert="ENEC", free_mail=("skynet.be", "telenet.be")),
    Country("NL", 70, _c("dutch 100"), _t("Amsterdam, Rotterdam, Den Haag, Utrecht, Eindhoven, Tilburg, Groningen, Breda"), "nl", _t("{l} B.V."), words="nl", cert="ENEC", free_mail=("ziggo.nl", "kpnmail.nl", "hotmail.nl")),
    Country("LU", 6, _c("french 60, german 40"), _t("Luxembourg, Esch-sur-Alzette, Differdange"), "lu", _t("{l} S.à r.l., {l} S.A."), words="fr", cert="ENEC", free_mail=("pt.lu",)),
    Country("ES", 180, _c("spanish 100"), _t("Madrid, Barcelona, Valencia, Sevilla, Zaragoza, Málaga, Bilbao, Murcia, Palma, Alicante, A Coruña, Valladolid, Vigo"), "es", _t("{l}, S.L., {l}, S.A., {l}, S.L.U."), words="es", cert="ENEC", free_mail=("gmail.com", "hotmail.es", "telefonica.net")),
    Country("PT", 50, _c("portuguese 100"), _t("Lisboa, Porto, Braga, Coimbra, Aveiro, Faro, Setúbal, Leiria"), "pt", _t("{l}, Lda., {l}, S.A."), words="pt", cert="ENEC", free_mail=("sapo.pt", "gmail.com")),
    Country("IT", 110, _c("italian 100"), _t("Milano, Roma, Torino, Napoli, Bologna, Firenze, Verona, Padova, Bari, Brescia, Bergamo"), "it", _t("{l} S.r.l., {l} S.p.A., {l} S.n.c."), words="it", cert="ENEC", free_mail=("libero.it", "tiscali.it", "gmail.com")),
    Country("GB", 120, _c("english 85, indian 10, polish 5 en"), _t("London, Manchester, Birmingham, Leeds, Glasgow, Bristol, Liverpool, Edinburgh, Leicester, Nottingham"), "co.uk", _t("{l} Ltd, {l} Limited, {l} PLC"), cert="UKCA", free_mail=("btinternet.com", "gmail.com", "outlook.com")),
    Country("IE", 15, _c("irish 70, english 30"), _t("Dublin, Cork, Galway, Limerick, Waterford"), "ie", _t("{l} Ltd, {l} Limited"), cert="ENEC", free_mail=("eircom.net", "gmail.com")),
    Country("PL", 60, _c("polish 100"), _t("Warszawa, Kraków, Wrocław, Poznań, Gdańsk, Łódź, Katowice, Lublin"), "pl", _t("{l} Sp. z o.o., {l} S.A., {l} sp.j."), words="pl", cert="CE", free_mail=("wp.pl", "onet.pl", "o2.pl")),
    Country("CZ", 25, _c("czech 100"), _t("Praha, Brno, Ostrava, Plzeň, Liberec, Olomouc"), "cz", _t("{l} s.r.o., {l} a.s."), words="cs", cert="CE", free_mail=("seznam.cz", "centrum.cz")),
    Country("SE", 30, _c("swedish 100"), _t("Stockholm, Göteborg, Malmö, Uppsala, Västerås, Örebro"), "se", _t("{l} AB"), words="sv", cert="ENEC", free_mail=("telia.com", "gmail.com")),
    Country("NO", 20, _c("norwegian 100"), _t("Oslo, Bergen, Trondheim, Stavanger, Drammen"), "no", _t("{l} AS"), words="nb", cert="ENEC", free_mail=("online.no", "gmail.com")),
    Country("DK", 20, _c("danish 100"), _t("København, Aarhus, Odense, Aalborg, Esbjerg"), "dk", _t("{l} A/S, {l} ApS"), words="da", cert="ENEC", free_mail=("mail.dk", "gmail.com")),
    Country("FI", 15, _c("finnish 100"), _t("Helsinki, Espoo, Tampere, Turku, Oulu"), "fi", _t("{l} Oy, {l} Oyj"), words="fi", cert="ENEC", free_mail=("gmail.com",)),
    Country("GR", 20, _c("greek 100"), _t("Athens/Αθήνα, Thessaloniki/Θεσσαλονίκη, Patras/Πάτρα, Heraklion/Ηράκλειο"), "gr", _t("{l} S.A., {l} Ltd"), _t("{n} Α.Ε., {n} Ε.Π.Ε."), 0.4, words="el", cert="CE", free_mail=("otenet.gr", "gmail.com")),
    Country("RO", 20, _c("romanian 100"), _t("București, Cluj-Napoca, Timișoara, Iași, Constanța, Brașov"), "ro", _t("{l} S.R.L., {l} S.A."), words="ro", cert="CE", free_mail=("yahoo.com", "gmail.com")),
    Country("HU", 20, _c("hungarian 100"), _t("Budapest, Debrecen, Szeged, Miskolc, Pécs, Győr"), "hu", _t("{l} Kft., {l} Zrt."), words="hu", cert="CE", free_mail=("freemail.hu", "gmail.com")),
    Country("TR", 60, _c("turkish 100"), _t("İstanbul, Ankara, İzmir, Bursa, Antalya, Konya, Gaziantep"), "com.tr", _t("{l} A.Ş., {l} Ltd. Şti., {l} San. ve Tic. A.Ş."), words="tr", cert="CE", free_mail=("gmail.com", "hotmail.com")),
    Country("RU", 45, _c("russian 100"), _t("Moscow/Москва, Saint Petersburg/Санкт-Петербург, Novosibirsk/Новосибирск, Yekaterinburg/Екатеринбург, Kazan/Казань"), "ru", _t("{l} LLC, OOO {l}"), _t("ООО «{n}», АО «{n}»"), 0.7, words="ru", cert="EAC", free_mail=("mail.ru", "yandex.ru")),
    Country("UA", 20, _c("ukrainian 100"), _t("Kyiv/Київ, Lviv/Львів, Kharkiv/Харків, Odesa/Одеса, Dnipro/Дніпро"), "com.ua", _t("{l} LLC"), _t("ТОВ «{n}»"), 0.6, words="uk", cert="CE", free_mail=("ukr.net", "gmail.com")),
    Country("KZ", 10, _c("russian 100"), _t("Almaty/Алматы, Astana/Астана, Shymkent/Шымкент"), "kz", _t("{l} LLP"), _t("ТОО «{n}»"), 0.6, words="ru", cert="EAC", free_mail=("mail.ru", "gmail.com")),
    # Americas
    Country("US", 230, _c("english 78, spanish 8 en, chinese_west 7, indian 7"), _t("New York, Los Angeles, Chicago, Houston, Phoenix, Dallas, Atlanta, Miami, Seattle, Denver, Boston, San Diego, Charlotte, Nashville"), "com", _t("{l} Inc., {l} LLC, {l} Corp., {l} Co."), cert="UL", free_mail=_EN),
    Country("CA", 70, _c("english 65, french 28, chinese_west 7"), _t("Toronto, Montréal, Vancouver, Calgary, Ottawa, Edmonton, Québec, Winnipeg"), "ca", _t("{l} Inc., {l} Ltd., {l} Ltée"), cert="cUL", free_mail=("gmail.com", "rogers.com", "videotron.ca")),
    Country("MX", 140, _c("spanish 100"), _t("Ciudad de México, Guadalajara, Monterrey, Puebla, Querétaro, Tijuana, León, Mérida, Cancún"), "com.mx", _t("{l}, S.A. de C.V., {l}, S. de R.L. de C.V."), words="es", cert="NOM", free_mail=_LATAM_MAIL + ("prodigy.net.mx",)),
    Country("BR", 110, _c("portuguese 100"), _t("São Paulo, Rio de Janeiro, Belo Horizonte, Curitiba, Porto Alegre, Recife, Salvador, Fortaleza, Campinas, Goiânia"), "com.br", _t("{l} Ltda., {l} S.A."), words="pt", cert="INMETRO", free_mail=("gmail.com", "uol.com.br", "terra.com.br")),
    Country("AR", 45, _c("spanish 85, italian 15 es"), _t("Buenos Aires, Córdoba, Rosario, Mendoza, La Plata, Mar del Plata"), "com.ar", _t("{l} S.A., {l} S.R.L."), words="es", cert="IRAM", free_mail=_LATAM_MAIL + ("fibertel.com.ar",)),
    Country("CL", 50, _c("spanish 100"), _t("Santiago, Valparaíso, Concepción, Antofagasta, Viña del Mar"), "cl", _t("{l} SpA, {l} Ltda., {l} S.A."), words="es", cert="SEC", free_mail=_LATAM_MAIL),
    Country("CO", 55, _c("spanish 100"), _t("Bogotá, Medellín, Cali, Barranquilla, Cartagena, Bucaramanga"), "com.co", _t("{l} S.A.S., {l} Ltda."), words="es", cert="RETILAP", free_mail=_LATAM_MAIL),
    Country("PE", 35, _c("spanish 100"), _t("Lima, Arequipa, Trujillo, Chiclayo, Cusco"), "com.pe", _t("{l} S.A.C., {l} E.I.R.L."), words="es", cert="CE", free_mail=_LATAM_MAIL),
    Country("EC", 15, _c("spanish 100"), _t("Quito, Guayaquil, Cuenca"), "com.ec", _t("{l} Cía. Ltda., {l} S.A."), words="es", cert="INEN", free_mail=_LATAM_MAIL),
    Country("DO", 10, _c("spanish 100"), _t("Santo Domingo, Santiago de los Caballeros, Punta Cana"), "com.do", _t("{l}, S.R.L."), words="es", cert="UL", free_mail=_LATAM_MAIL),
    Country("CR", 15, _c("spanish 100"), _t("San José, Alajuela, Heredia, Cartago"), "co.cr", _t("{l} S.A."), words="es", cert="UL", free_mail=_LATAM_MAIL),
    Country("GT", 10, _c("spanish 100"), _t("Ciudad de Guatemala, Quetzaltenango, Antigua Guatemala"), "com.gt", _t("{l}, S.A."), words="es", cert="UL", free_mail=_LATAM_MAIL),
    # East and Southeast Asia
    Country("JP", 130, _c("japanese 100"), _t("Tokyo/東京, Osaka/大阪, Nagoya/名古屋, Yokohama/横浜, Fukuoka/福岡, Sapporo/札幌, Kobe/神戸, Kyoto/京都, Sendai/仙台, Hiroshima/広島"), "co.jp", _t("{l} Co., Ltd., {l} Corporation, {l} Inc."), _t("株式会社{n}, {n}株式会社, 有限会社{n}"), 0.65, words="ja", cert="PSE", free_mail=("yahoo.co.jp", "gmail.com", "nifty.com")),
    Country("KR", 90, _c("korean 100"), _t("Seoul/서울, Busan/부산, Incheon/인천, Daegu/대구, Daejeon/대전, Gwangju/광주, Suwon/수원"), "co.kr", _t("{l} Co., Ltd., {l} Corp."), _t("(주){n}, 주식회사 {n}, {n} 주식회사"), 0.5, words="ko", cert="KC", free_mail=("naver.com", "daum.net", "gmail.com")),
    Country("CN", 55, _c("chinese 100"), _t("Shanghai/上海, Beijing/北京, Shenzhen/深圳, Guangzhou/广州, Hangzhou/杭州, Chengdu/成都, Wuhan/武汉, Xiamen/厦门, Ningbo/宁波, Tianjin/天津"), "com.cn", _t("{l} Co., Ltd."), _t("{n}有限公司, {n}股份有限公司"), 0.8, words="zh", cert="CCC", free_mail=("qq.com", "163.com", "126.com")),
    Country("HK", 40, _c("chinese_hk 100"), _t("Hong Kong/香港, Kowloon/九龍, Kwun Tong/觀塘, Tsuen Wan/荃灣, Sha Tin/沙田"), "com.hk", _t("{l} Limited, {l} Co., Ltd."), _t("{n}有限公司"), 0.4, words="zh_hant", cert="CE", free_mail=("yahoo.com.hk", "netvigator.com", "gmail.com")),
    Country("TW", 30, _c("chinese_tw 100"), _t("Taipei/台北, Taichung/台中, Kaohsiung/高雄, Tainan/台南, Taoyuan/桃園, Hsinchu/新竹"), "com.tw", _t("{l} Co., Ltd., {l} Corp."), _t("{n}股份有限公司, {n}有限公司"), 0.6, words="zh_hant", cert="BSMI", free_mail=("yahoo.com.tw", "gmail.com", "hinet.net")),
    Country("SG", 35, _c("chinese_sea 70, malay 15, indian 15"), _t("Singapore"), "com.sg", _t("{l} Pte. Ltd."), cert="SAFETY MARK", free_mail=("singnet.com.sg", "gmail.com")),
    Country("MY", 40, _c("malay 50, chinese_sea 35, indian 15"), _t("Kuala Lumpur, Petaling Jaya, Johor Bahru, George Town, Shah Alam, Ipoh, Kuching, Kota Kinabalu"), "com.my", _t("{l} Sdn. Bhd., {l} Berhad, {l} Enterprise"), words="ms", cert="SIRIM", free_mail=("gmail.com", "yahoo.com", "streamyx.com")),
    Country("TH", 50, _c("thai 100"), _t("Bangkok/กรุงเทพมหานคร, Chiang Mai/เชียงใหม่, Nonthaburi/นนทบุรี, Chonburi/ชลบุรี, Khon Kaen/ขอนแก่น, Phuket/ภูเก็ต"), "co.th", _t("{l} Co., Ltd., {l} Public Co., Ltd."), _t("บริษัท {n} จำกัด"), 0.3, words="th", cert="TISI", free_mail=("hotmail.com", "gmail.com")),
    Country("VN", 50, _c("vietnamese 100"), _t("Hà Nội, TP. Hồ Chí Minh, Đà Nẵng, Hải Phòng, Cần Thơ, Biên Hòa"), "com.vn", _t("{l} Co., Ltd, {l} JSC"), _t("Công ty TNHH {n}, Công ty Cổ phần {n}"), 0.5, words="vi", cert="CR", free_mail=("gmail.com", "yahoo.com.vn")),
    Country("ID", 50, _c("indonesian 85, chinese_sea 15"), _t("Jakarta, Surabaya, Bandung, Medan, Semarang, Makassar, Denpasar, Tangerang"), "co.id", _t("PT {l}, CV {l}"), words="id", cert="SNI", free_mail=("gmail.com", "yahoo.co.id")),
    Country("PH", 30, _c("filipino 100"), _t("Manila, Quezon City, Makati, Cebu City, Davao City, Pasig"), "com.ph", _t("{l} Inc., {l} Corp., {l} Trading"), cert="PS", free_mail=("gmail.com", "yahoo.com")),
    # South Asia
    Country("IN", 70, _c("indian 100"), _t("Mumbai, New Delhi, Bengaluru, Chennai, Hyderabad, Pune, Ahmedabad, Kolkata, Jaipur, Surat"), "co.in", _t("{l} Pvt. Ltd., {l} Private Limited, {l} LLP"), cert="BIS", free_mail=("gmail.com", "rediffmail.com", "yahoo.co.in")),
    Country("PK", 20, _c("south_asian_muslim 100"), _t("Karachi, Lahore, Islamabad, Faisalabad, Rawalpindi"), "com.pk", _t("{l} (Pvt.) Ltd."), cert="PSQCA", free_mail=("gmail.com", "yahoo.com")),
    Country("BD", 10, _c("south_asian_muslim 100"), _t("Dhaka, Chittagong, Sylhet"), "com.bd", _t("{l} Ltd."), cert="BSTI", free_mail=("gmail.com", "yahoo.com")),
    # Middle East and Africa
    Country("AE", 80, _c("arabic_gulf 45, indian 30, english 10, south_asian_muslim 10, filipino 5"), _t("Dubai/دبي, Abu Dhabi/أبوظبي, Sharjah/الشارقة, Ajman/عجمان, Ras Al Khaimah/رأس الخيمة"), "ae", _GULF_FORMS, _AR_NATIVE, 0.2, words="ar", cert="ESMA", free_mail=("gmail.com", "hotmail.com", "emirates.net.ae")),
    Country("SA", 70, _c("arabic_gulf 80, arabic_levant 10, indian 10"), _t("Riyadh/الرياض, Jeddah/جدة, Dammam/الدمام, Khobar/الخبر, Medina/المدينة المنورة"), "com.sa", _t("{l} Co., {l} Est., {l} Trading Co. Ltd."), _AR_NATIVE, 0.4, words="ar", cert="SASO", free_mail=("gmail.com", "hotmail.com")),
    Country("QA", 20, _c("arabic_gulf 70, indian 30"), _t("Doha/الدوحة, Al Wakrah/الوكرة, Lusail/لوسيل"), "com.qa", _t("{l} W.L.L."), _AR_NATIVE, 0.2, words="ar", cert="QS", free_mail=("gmail.com", "qatar.net.qa")),
    Country("KW", 15, _c("arabic_gulf 100"), _t("Kuwait City/مدينة الكويت, Hawalli/حولي, Salmiya/السالمية"), "com.kw", _t("{l} W.L.L., {l} K.S.C.C."), _AR_NATIVE, 0.3, words="ar", cert="KUCAS", free_mail=("gmail.com", "hotmail.com")),
    Country("OM", 10, _c("arabic_gulf 100"), _t("Muscat/مسقط, Sohar/صحار, Salalah/صلالة"), "om", _t("{l} LLC, {l} SAOC"), _AR_NATIVE, 0.3, words="ar", cert="GSO", free_mail=("gmail.com", "omantel.net.om")),
    Country("JO", 10, _c("arabic_levant 100"), _t("Amman/عمّان, Irbid/إربد, Zarqa/الزرقاء"), "com.jo", _t("{l} Co., {l} LLC"), _AR_NATIVE, 0.3, words="ar", cert="JSMO", free_mail=("gmail.com", "yahoo.com")),
    Country("EG", 30, _c("arabic_levant 100"), _t("Cairo/القاهرة, Alexandria/الإسكندرية, Giza/الجيزة, Mansoura/المنصورة"), "com.eg", _t("{l} S.A.E., {l} LLC"), _AR_NATIVE, 0.3, words="ar", cert="EOS", free_mail=("gmail.com", "yahoo.com")),
    Country("MA", 25, _c("maghreb 100"), _t("Casablanca, Rabat, Marrakech, Tanger, Fès, Agadir"), "ma", _t("{l} SARL, {l} S.A."), words="fr", cert="CMIM", free_mail=("gmail.com", "menara.ma")),
    Country("NG", 25, _c("nigerian 100"), _t("Lagos, Abuja, Port Harcourt, Ibadan, Kano"), "com.ng", _t("{l} Ltd, {l} Nigeria Limited"), cert="SONCAP", free_mail=("gmail.com", "yahoo.com")),
    Country("KE", 15, _c("kenyan 100"), _t("Nairobi, Mombasa, Kisumu, Nakuru"), "co.ke", _t("{l} Ltd, {l} Limited"), cert="KEBS", free_mail=("gmail.com", "yahoo.com")),
    Country("ZA", 30, _c("south_african 100"), _t("Johannesburg, Cape Town, Durban, Pretoria, Gqeberha, Bloemfontein"), "co.za", _t("{l} (Pty) Ltd"), cert="SABS", free_mail=("gmail.com", "mweb.co.za")),
    # Oceania
    Country("AU", 60, _c("english 85, chinese_west 8, indian 7"), _t("Sydney, Melbourne, Brisbane, Perth, Adelaide, Gold Coast, Canberra"), "com.au", _t("{l} Pty Ltd"), cert="RCM", free_mail=("bigpond.com", "gmail.com", "outlook.com")),
    Country("NZ", 15, _c("english 100"), _t("Auckland, Wellington, Christchurch, Hamilton, Tauranga"), "co.nz", _t("{l} Ltd, {l} Limited"), cert="RCM", free_mail=("xtra.co.nz", "gmail.com")),
)  # fmt: skip

BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}


def city_names(entry: str) -> tuple[str, str]:
    """'Tokyo/東京' → ('Tokyo', '東京'); 'Berlin' → ('Berlin', 'Berlin')."""
    latin, _, native = entry.partition("/")
    return latin, native or latin
