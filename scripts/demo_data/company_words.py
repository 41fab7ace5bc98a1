"""Word banks for naming fictional lighting and electrical firms, one per language.

Patterns use {F}/{F2} (a local family name), {S} (a brand-like stem), {W} (a trade word) and
{C} (the city). Each pattern is a pair (local script, Latin letters); for Latin-script
languages both are the same. Stems are invented or generic words, not real brands.
"""

from __future__ import annotations

from dataclasses import dataclass

from .culture import Name, latin, pairs


@dataclass(frozen=True)
class Bank:
    words: tuple[Name, ...]
    stems: tuple[Name, ...]
    patterns: tuple[tuple[str, str], ...]


def _same(*patterns: str) -> tuple[tuple[str, str], ...]:
    return tuple((p, p) for p in patterns)


BANKS: dict[str, Bank] = {
    "en": Bank(
        latin("Lighting, Electric, Electrical Supply, Illumination, LED Solutions, Lighting Design, "
              "Electrical Distributors, Lighting & Controls, Energy Systems, Building Services, "
              "Light Works, Electrical Wholesale"),
        latin("Bright, Summit, Pioneer, Northern, Coastal, Evergreen, Liberty, Atlas, Beacon, "
              "Keystone, Harbor, Redwood, Sterling, Apex, Crown, Meridian, Lakeside, Ironbridge, "
              "Silverline, Bluestone, Oakridge, Clearview, Granite, Westfield"),
        _same("{S} {W}", "{S} {W}", "{F} {W}", "{F} & {F2} {W}", "{C} {W}", "{S} Lighting Group"),
    ),
    "de": Bank(
        latin("Lichttechnik, Elektro, Leuchten, Elektrotechnik, Lichtplanung, Beleuchtung, "
              "Elektrogroßhandel, Lichtsysteme, Haustechnik, Lichtdesign"),
        latin("Nord, Süd, West, Alpen, Rhein, Lumi, Stern, Sonnen, Klar, Hell, Main, Elbe, Isar, "
              "Spree, Weser, Tauber, Licht"),
        _same("{F} {W}", "Elektro {F}", "{S}licht", "{S} {W}", "{F} & {F2}", "{F} {W}",
              "{S}-Leuchten Vertrieb"),
    ),
    "fr": Bank(
        latin("Éclairage, Luminaires, Électricité, Distribution Électrique, Lumière, Électro, "
              "Éclairage Professionnel"),
        latin("Lumi, Clair, Soleil, Horizon, Atlantique, Provence, Alpes, Azur, Loire, Étoile, "
              "Aurore, Rivage, Lumen"),
        _same("{W} {F}", "{F} {W}", "{S} {W}", "{W} de {C}", "{S}lux", "{F} et Fils"),
    ),
    "nl": Bank(
        latin("Verlichting, Elektrotechniek, Installatietechniek, Licht, Elektro, Lichtadvies"),
        latin("Noord, Polder, Delta, Zon, Maas, Schelde, Lumen, Helder, Duin"),
        _same("{F} {W}", "{S} {W}", "{S}licht", "{C} {W}", "{F} & Zn."),
    ),
    "it": Bank(
        latin("Illuminazione, Elettroforniture, Luce, Impianti Elettrici, Elettrica, "
              "Materiale Elettrico"),
        latin("Lumen, Sole, Adriatica, Alpina, Tirrena, Stella, Aurora, Lucente, Brillante, "
              "Fulgor, Padana"),
        _same("{W} {F}", "{F} {W}", "{S} {W}", "{F} & {F2}", "{S} Luce"),
    ),
    "es": Bank(
        latin("Iluminación, Electricidad, Suministros Eléctricos, Materiales Eléctricos, "
              "Luminotecnia, Instalaciones Eléctricas, Distribuciones Eléctricas, Iluminaciones, "
              "Eléctrica"),
        latin("Luz, Sol, Levante, Norte, Sur, Mediterráneo, Andina, Pacífico, Azteca, Del Valle, "
              "Lumina, Solar, Alborada, Cóndor, Estrella, Faro, Luminex"),
        _same("{W} {F}", "{F} {W}", "{S} {W}", "{W} {S}", "{W} de {C}", "Grupo {F}",
              "{F} e Hijos"),
    ),
    "pt": Bank(
        latin("Iluminação, Materiais Elétricos, Elétrica, Luz, Comércio de Material Elétrico, "
              "Eletrotécnica"),
        latin("Luz, Sol, Atlântico, Minas, Paulista, Tejo, Douro, Lusa, Horizonte, Estrela, "
              "Farol, Aurora"),
        _same("{W} {F}", "{F} {W}", "{S} {W}", "{W} {S}", "{F} & Filhos"),
    ),
    "pl": Bank(
        latin("Oświetlenie, Elektro, Hurtownia Elektryczna, Technika Świetlna"),
        latin("Lux, Świt, Polar, Wisła, Bałtyk, Tatra, Jasna, Promień"),
        _same("{S} {W}", "{W} {F}", "{S}-{W}", "P.H.U. {F}"),
    ),
    "cs": Bank(
        latin("Osvětlení, Elektro, Světelná technika"),
        latin("Lux, Vltava, Morava, Šumava, Jas, Paprsek"),
        _same("{S} {W}", "{W} {F}", "{F} {W}"),
    ),
    "sv": Bank(latin("Belysning, El, Ljus, Elteknik"), latin("Nord, Fjäll, Sol, Väst, Norrsken"),
               _same("{S}{W_lower}", "{F}s {W}", "{S} {W}")),
    "nb": Bank(latin("Lys, Elektro, Belysning"), latin("Fjord, Nord, Vest, Nordlys, Fjell"),
               _same("{S}{W_lower}", "{F} {W}", "{S} {W}")),
    "da": Bank(latin("Lys, El, Belysning"), latin("Nord, Øresund, Jylland, Fyr, Kyst"),
               _same("{S}{W_lower}", "{F}s {W}", "{S} {W}")),
    "fi": Bank(latin("Valaistus, Sähkö, Valo"), latin("Pohjolan, Revontuli, Järvi, Kaamos, Tuike"),
               _same("{S} {W}", "{F} {W}", "{S}{W_lower}")),
    "el": Bank(
        pairs("Φωτισμός:Fotismos, Ηλεκτρολογικά:Ilektrologika, Φως:Fos"),
        pairs("Αιγαίο:Aigaio, Όλυμπος:Olympos, Ελληνική:Elliniki, Ιόνιο:Ionio, Αστέρι:Asteri"),
        (("{S} {W}", "{S} {W}"), ("{F} {W}", "{F} {W}")),
    ),
    "ro": Bank(latin("Iluminat, Electrice, Lumină, Electro"),
               latin("Carpați, Dunărea, Lux, Transilvania, Luceafărul"),
               _same("{S} {W}", "{F} {W}", "{W} {S}")),
    "hu": Bank(latin("Világítástechnika, Elektro, Fény, Villamossági"),
               latin("Duna, Tisza, Pannon, Mátra, Balaton, Napfény"),
               _same("{S} {W}", "{F} {W}", "{S}-{W}")),
    "tr": Bank(latin("Aydınlatma, Elektrik, Elektrik Malzemeleri, Işık"),
               latin("Anadolu, Boğaziçi, Ege, Marmara, Yıldız, Güneş, Şafak, Işıltı"),
               _same("{S} {W}", "{F} {W}", "{F}lar {W}")),
    "ru": Bank(
        pairs("Снаб:Snab, Торг:Torg, Сервис:Servis, Групп:Grupp, Трейд:Treid, Монтаж:Montazh"),
        pairs("СветТорг:SvetTorg, ЭлектроСнаб:ElektroSnab, Сибирский свет:Sibirsky Svet, "
              "Волга-Свет:Volga-Svet, Люмен:Lumen, ТехноСвет:TekhnoSvet, Энергосвет:Energosvet, "
              "Светлый дом:Svetly Dom, ЭлектроМир:ElektroMir, Уралсвет:Uralsvet, Луч:Luch, "
              "Заря:Zarya, Светоч:Svetoch, Полярная звезда:Polyarnaya Zvezda, Фотон:Foton"),
        (("{S}", "{S}"), ("{S}-{W}", "{S}-{W}"), ("{S}-{W}", "{S}-{W}")),
    ),
    "uk": Bank(
        pairs("Сервіс:Servis, Трейд:Treid, Постач:Postach, Груп:Hrup"),
        pairs("Світлолюкс:Svitloliuks, Електропостач:Elektropostach, Дніпро-Світло:Dnipro-Svitlo, "
              "Львівсвітло:Lvivsvitlo, Укрелектро:Ukrelektro, Яскрава лінія:Yaskrava Liniia, "
              "Промінь:Promin, Зоря:Zoria, Світанок:Svitanok, Карпати:Karpaty"),
        (("{S}", "{S}"), ("{S}-{W}", "{S}-{W}")),
    ),
    "ja": Bank(
        pairs("照明:Shomei, 電機:Denki, 電設:Densetsu, 電気工業:Denki Kogyo, 商事:Shoji, "
              "ライティング:Lighting, 電材:Denzai"),
        pairs("光和:Kowa, 大和:Daiwa, 東光:Toko, 明星:Myojo, 旭:Asahi, 北斗:Hokuto, 三光:Sanko, "
              "東洋:Toyo, 新星:Shinsei, 中央:Chuo, 丸栄:Maruei, 昭光:Shoko, 陽光:Yoko"),
        (("{S}{W}", "{S} {W}"), ("{F}{W}", "{F} {W}"), ("{S}{W}", "{S} {W}")),
    ),
    "ko": Bank(
        pairs("조명:Lighting, 전기:Electric, 전자:Electronics, 산업:Industrial, 라이팅:Lighting, "
              "테크:Tech, 이엔지:ENG, 엘이디:LED"),
        pairs("한빛:Hanbit, 대한:Daehan, 동양:Dongyang, 미래:Mirae, 태양:Taeyang, 신광:Shinkwang, "
              "금강:Geumgang, 새빛:Saebit, 누리:Nuri, 하나:Hana, 광명:Gwangmyeong, 한결:Hangyeol, "
              "별빛:Byeolbit, 서광:Seogwang, 대성:Daeseong, 세종:Sejong, 온누리:Onnuri, "
              "은하:Eunha, 청솔:Cheongsol, 해든:Haedeun"),
        (("{S}{W}", "{S} {W}"),),
    ),
    "zh": Bank(
        pairs("照明:Lighting, 电器:Electric, 光电:Optoelectronics, 灯饰:Lighting, 贸易:Trading, "
              "电气:Electrical, 建材:Building Materials"),
        pairs("光辉:Guanghui, 华源:Huayuan, 明辉:Minghui, 恒通:Hengtong, 鑫达:Xinda, 东方:Dongfang, "
              "金盛:Jinsheng, 宏远:Hongyuan, 天成:Tiancheng, 中联:Zhonglian, 瑞丰:Ruifeng"),
        (("{C}{S}{W}", "{C} {S} {W}"), ("{C}市{S}{W}", "{C} {S} {W}")),
    ),
    "zh_hant": Bank(
        pairs("照明:Lighting, 電器:Electrical, 燈飾:Lighting, 貿易:Trading, 光電:Opto, "
              "科技:Technology, 實業:Industrial"),
        pairs("永明:Wing Ming, 恒達:Hang Tat, 金輝:Kam Fai, 偉業:Wai Yip, 德豐:Tak Fung, "
              "宏亮:Hung Liang, 永光:Yung Kuang, 台光:Tai Kuang, 昌盛:Chang Sheng, 華耀:Wah Yiu, "
              "利明:Lee Ming, 建興:Kin Hing, 光華:Kuang Hua, 東昇:Tung Sheng, 嘉豐:Ka Fung, "
              "美亞:Mei Ya, 新輝:San Fai, 盈光:Ying Kuang"),
        (("{S}{W}", "{S} {W}"),),
    ),
    "th": Bank(
        pairs("ไลท์ติ้ง:Lighting, อิเล็คทริค:Electric, ไลท์:Light, ซัพพลาย:Supply, "
              "เอ็นจิเนียริ่ง:Engineering, เทคโนโลยี:Technology"),
        pairs("สยาม:Siam, ไทย:Thai, รุ่งเรือง:Rungruang, แสงทอง:Saengthong, เจริญ:Charoen, "
              "ศรีสยาม:Sri Siam, เอเชีย:Asia, ทองคำ:Thongkham, มหานคร:Mahanakorn, "
              "ไพศาล:Phaisan, อุดม:Udom, ศรีไทย:Srithai, นครไทย:Nakhonthai, สุวรรณ:Suwan"),
        (("{S} {W}", "{S} {W}"),),
    ),
    "vi": Bank(
        pairs("Chiếu sáng:Lighting, Thiết bị Điện:Electrical, Đèn LED:LED, Điện Chiếu sáng:Lighting"),
        pairs("Việt Tiến:Viet Tien, Ánh Dương:Anh Duong, Hưng Thịnh:Hung Thinh, "
              "Phú Cường:Phu Cuong, Sao Mai:Sao Mai, Thành Công:Thanh Cong, Đại Phát:Dai Phat, "
              "Hoàng Long:Hoang Long, Tân Phát:Tan Phat, Minh Khang:Minh Khang, "
              "Bình Minh:Binh Minh, Nam Việt:Nam Viet, Phương Đông:Phuong Dong, An Phát:An Phat, "
              "Thiên Ân:Thien An"),
        (("{W} {S}", "{S} {W}"),),
    ),
    "id": Bank(latin("Cahaya, Sinar, Lampu"),
               latin("Terang Abadi, Makmur Jaya, Sentosa, Mandiri, Gemilang, Sejahtera, Nusantara, "
                     "Sumber Makmur, Cemerlang, Abadi Jaya, Karya Utama, Berkah, Sukses Mandiri, "
                     "Surya Gemilang, Mitra Sejati"),
               _same("{W} {S}", "{W} {S}", "{F} Teknik", "Listrik {S}")),
    "ms": Bank(latin("Cahaya, Elektrik, Lampu"),
               latin("Gemilang, Jaya, Maju, Bintang, Sinar Suria, Mutiara, Megah, Cemerlang, "
                     "Setia, Harapan, Perdana, Wawasan"),
               _same("{S} {W}", "{W} {S}", "{F} Brothers Electrical")),
    "ar": Bank(
        pairs("للإنارة:Lighting, للأدوات الكهربائية:Electrical, للتجارة:Trading, "
              "للمقاولات الكهربائية:Electrical Contracting, للإضاءة الحديثة:Modern Lighting, "
              "للتجارة العامة:General Trading"),
        pairs("النور:Al Noor, الضياء:Al Diyaa, الفجر:Al Fajr, الخليج:Gulf Star, الواحة:Al Waha, "
              "البدر:Al Badr, الشروق:Al Shorouk, النجمة:Al Najma, الريان:Al Rayyan, "
              "الأمل:Al Amal, المستقبل:Al Mustaqbal, السلام:Al Salam, الرواد:Al Rowad, "
              "الأفق:Al Ofoq, الهلال:Al Hilal, النخيل:Al Nakheel, المنار:Al Manar, "
              "اللؤلؤة:Al Lulua"),
        (("{S} {W}", "{S} {W}"), ("{S} {W}", "{S} {W}"), ("{F} {W}", "{F} {W}")),
    ),
}  # fmt: skip
