"""Naming cultures of East, Southeast and South Asia."""

from __future__ import annotations

from .culture import Culture, Name, latin, pairs

# Surnames as (simplified, traditional, pinyin, Cantonese, Taiwanese romanisation): one
# character, four spellings, because a Hong Kong buyer is 'Chan' and a Beijing one 'Chen'.
_SURNAMES = [
    row.split()
    for row in """
    王 王 Wang Wong Wang | 李 李 Li Lee Lee | 张 張 Zhang Cheung Chang | 刘 劉 Liu Lau Liu
    陈 陳 Chen Chan Chen | 杨 楊 Yang Yeung Yang | 黄 黃 Huang Wong Huang | 赵 趙 Zhao Chiu Chao
    吴 吳 Wu Ng Wu | 周 周 Zhou Chow Chou | 徐 徐 Xu Tsui Hsu | 孙 孫 Sun Suen Sun | 马 馬 Ma Ma Ma
    朱 朱 Zhu Chu Chu | 胡 胡 Hu Wu Hu | 郭 郭 Guo Kwok Kuo | 何 何 He Ho Ho | 林 林 Lin Lam Lin
    罗 羅 Luo Law Lo | 高 高 Gao Ko Kao | 郑 鄭 Zheng Cheng Cheng | 梁 梁 Liang Leung Liang
    谢 謝 Xie Tse Hsieh | 宋 宋 Song Sung Sung | 唐 唐 Tang Tong Tang | 许 許 Xu Hui Hsu
    韩 韓 Han Hon Han | 冯 馮 Feng Fung Feng | 邓 鄧 Deng Tang Teng | 曹 曹 Cao Tso Tsao
    彭 彭 Peng Pang Peng | 曾 曾 Zeng Tsang Tseng | 萧 蕭 Xiao Siu Hsiao | 蔡 蔡 Cai Choi Tsai
    潘 潘 Pan Poon Pan | 袁 袁 Yuan Yuen Yuan | 蒋 蔣 Jiang Cheung Chiang | 叶 葉 Ye Yip Yeh
    余 余 Yu Yu Yu | 杜 杜 Du To Tu
    """.replace("\n", "|").split("|")
    if row.strip()
]
# Given names as (simplified, traditional, pinyin).
_MALE = [
    r.split()
    for r in """伟 偉 Wei, 强 強 Qiang, 磊 磊 Lei, 军 軍 Jun, 洋 洋 Yang, 勇 勇 Yong, 杰 傑 Jie,
    涛 濤 Tao, 明 明 Ming, 超 超 Chao, 志明 志明 Zhiming, 建华 建華 Jianhua, 晓东 曉東 Xiaodong,
    文博 文博 Wenbo, 俊杰 俊傑 Junjie, 国强 國強 Guoqiang, 志伟 志偉 Zhiwei, 家豪 家豪 Jiahao,
    冠宇 冠宇 Guanyu, 宏伟 宏偉 Hongwei, 建国 建國 Jianguo, 振华 振華 Zhenhua, 浩然 浩然 Haoran,
    子轩 子軒 Zixuan, 立新 立新 Lixin""".split(",")
]
_FEMALE = [
    r.split()
    for r in """芳 芳 Fang, 娜 娜 Na, 敏 敏 Min, 静 靜 Jing, 丽 麗 Li, 艳 艷 Yan, 秀英 秀英 Xiuying,
    霞 霞 Xia, 海燕 海燕 Haiyan, 子涵 子涵 Zihan, 嘉怡 嘉怡 Jiayi, 佳琪 佳琪 Jiaqi,
    丽华 麗華 Lihua, 美玲 美玲 Meiling, 雅婷 雅婷 Yating, 晓婷 曉婷 Xiaoting, 淑芬 淑芬 Shufen,
    慧敏 慧敏 Huimin, 欣怡 欣怡 Xinyi, 婉婷 婉婷 Wanting""".split(",")
]
_EN_MALE = (
    "Kelvin, Eric, Alan, Jacky, Tony, Kenneth, Raymond, Stanley, Jason, Kevin, Vincent, Jack, "
    "Peter, Leo, Frank, Johnny, Andy, Terry, Louis, Sam"
).split(", ")
_EN_FEMALE = (
    "Winnie, Vivian, Karen, Ivy, Carmen, Gigi, Cherry, Grace, Fiona, Joyce, Shirley, Candy, "
    "Coco, Helen, Cindy, Sally, Emily, Tiffany"
).split(", ")
_ZH_TITLES = (("采购经理", "采购经理"), ("总经理", "总经理"), ("采购总监", "采购总监"),
              ("项目经理", "项目经理"), ("董事长", "董事长"), ("进口部经理", "进口部经理"))  # fmt: skip
_ZH_HANT_TITLES = (("採購經理", "採購經理"), ("總經理", "總經理"), ("專案經理", "專案經理"),
                   ("董事長", "董事長"), ("業務經理", "業務經理"))  # fmt: skip


def _chinese(key: str, script: int, roman: int, english_share: float) -> Culture:
    def given(rows: list[list[str]]) -> tuple[Name, ...]:
        return tuple((r[0 if script == 0 else 1], r[2]) for r in rows)

    family = tuple((r[script], r[roman]) for r in _SURNAMES)
    return Culture(
        key, "zh", given(_MALE), given(_FEMALE), family,
        style="east", native_share=0.85, english_male=tuple(_EN_MALE),
        english_female=tuple(_EN_FEMALE), english_share=english_share,
        titles=_ZH_TITLES if script == 0 else _ZH_HANT_TITLES,
    )  # fmt: skip


CHINESE = _chinese("chinese", 0, 2, 0.25)  # mainland: 王伟, Wang Wei
CHINESE_TW = _chinese("chinese_tw", 1, 4, 0.6)  # Taiwan: 張志明, Tony Chang
CHINESE_HK = _chinese("chinese_hk", 1, 3, 0.9)  # Hong Kong: 陳志明, Kelvin Chan

# Chinese names as Singapore and Malaysia write them (Hokkien/Cantonese romanisation), and
# as overseas Chinese in the US, Canada and Australia do (an English name and a surname).
CHINESE_SEA = Culture(
    "chinese_sea", "en",
    latin("Wei Ming, Kok Wai, Jun Jie, Chee Keong, Boon Huat, Zhi Hao, Kah Seng, Yong Sheng"),
    latin("Mei Ling, Siew Lan, Hui Min, Li Ting, Pei Shan, Xin Yi, Shu Fen, Jia Hui"),
    latin("Tan, Lim, Lee, Ng, Ong, Wong, Goh, Chua, Koh, Teo, Chan, Chong, Yeo, Lau, Low, Ho"),
    style="east_latin", english_male=tuple(_EN_MALE), english_female=tuple(_EN_FEMALE),
    english_share=0.5,
)  # fmt: skip
CHINESE_WEST = Culture(
    "chinese_west", "en",
    latin(", ".join(_EN_MALE)), latin(", ".join(_EN_FEMALE)),
    latin("Zhang, Wang, Li, Chen, Liu, Wong, Chan, Lee, Lam, Huang, Wu, Lin, Yang, Zhao, Ng"),
)  # fmt: skip

JAPANESE = Culture(
    "japanese", "ja",
    pairs("健:Ken, 健太:Kenta, 翔太:Shota, 大輔:Daisuke, 拓也:Takuya, 直樹:Naoki, 誠:Makoto, "
          "浩:Hiroshi, 隆:Takashi, 和也:Kazuya, 亮:Ryo, 達也:Tatsuya, 健一:Kenichi, "
          "雄一:Yuichi, 正人:Masato, 英樹:Hideki, 修:Osamu, 剛:Tsuyoshi"),
    pairs("美咲:Misaki, 陽子:Yoko, 裕子:Yuko, 恵:Megumi, 直美:Naomi, 智子:Tomoko, 由美:Yumi, "
          "愛:Ai, 真由美:Mayumi, 香織:Kaori, 麻衣:Mai, 彩:Aya, 千尋:Chihiro, 奈々:Nana"),
    pairs("佐藤:Sato, 鈴木:Suzuki, 高橋:Takahashi, 田中:Tanaka, 伊藤:Ito, 渡辺:Watanabe, "
          "山本:Yamamoto, 中村:Nakamura, 小林:Kobayashi, 加藤:Kato, 吉田:Yoshida, "
          "山田:Yamada, 佐々木:Sasaki, 山口:Yamaguchi, 松本:Matsumoto, 井上:Inoue, 木村:Kimura, "
          "林:Hayashi, 斎藤:Saito, 清水:Shimizu, 山崎:Yamazaki, 森:Mori, 池田:Ikeda, "
          "橋本:Hashimoto, 阿部:Abe, 石川:Ishikawa, 山下:Yamashita, 中島:Nakajima, 石井:Ishii, "
          "小川:Ogawa, 前田:Maeda, 岡田:Okada, 長谷川:Hasegawa, 藤田:Fujita, 後藤:Goto, "
          "近藤:Kondo"),
    style="japanese", native_share=0.7,
    titles=(("購買部 部長", "購買部 部長"), ("代表取締役", "代表取締役"),
            ("営業部 課長", "営業部 課長"), ("資材部 主任", "資材部 主任"),
            ("照明デザイナー", "照明デザイナー"), ("海外事業部 マネージャー", "海外事業部 マネージャー")),
)  # fmt: skip

KOREAN = Culture(
    "korean", "ko",
    pairs("민준:Minjun, 서준:Seojun, 도윤:Doyun, 현우:Hyunwoo, 지훈:Jihoon, 성민:Sungmin, "
          "준호:Junho, 동현:Donghyun, 영수:Youngsoo, 상훈:Sanghoon, 재현:Jaehyun, 태영:Taeyoung"),
    pairs("서연:Seoyeon, 지은:Jieun, 민지:Minji, 수빈:Subin, 예진:Yejin, 하은:Haeun, "
          "지현:Jihyun, 은정:Eunjung, 혜진:Hyejin, 소영:Soyoung, 미경:Mikyung, 유진:Yujin"),
    pairs("김:Kim, 이:Lee, 박:Park, 최:Choi, 정:Jung, 강:Kang, 조:Cho, 윤:Yoon, 장:Jang, 임:Lim, "
          "한:Han, 오:Oh, 서:Seo, 신:Shin, 권:Kwon, 황:Hwang, 안:Ahn, 송:Song, 류:Ryu, 홍:Hong"),
    style="east", native_share=0.6,
    titles=(("구매팀장", "구매팀장"), ("대표이사", "대표이사"), ("영업부장", "영업부장"),
            ("해외사업팀 차장", "해외사업팀 차장"), ("조명디자이너", "조명디자이너")),
)  # fmt: skip

THAI = Culture(
    "thai", "th",
    pairs("สมชาย:Somchai, สุรชัย:Surachai, ธนพล:Thanaphon, วิชัย:Wichai, ประเสริฐ:Prasert, "
          "อนุชา:Anucha, กิตติ:Kitti, ณัฐพงศ์:Nattapong"),
    pairs("สุภาพร:Supaporn, นภา:Napa, อรุณี:Arunee, กาญจนา:Kanchana, พิมพ์ชนก:Pimchanok, "
          "วรรณา:Wanna, ศิริพร:Siriporn"),
    pairs("ใจดี:Jaidee, ศรีสุข:Srisuk, สุขสวัสดิ์:Suksawat, วงศ์สวัสดิ์:Wongsawat, "
          "แสงทอง:Saengthong, บุญมา:Boonma, ทองดี:Thongdee, รัตนพันธ์:Rattanaphan, "
          "เจริญผล:Charoenphon, ศักดิ์สิทธิ์:Saksit"),
    native_share=0.5,
    titles=(("ผู้จัดการฝ่ายจัดซื้อ", "ผู้จัดการฝ่ายจัดซื้อ"), ("กรรมการผู้จัดการ", "กรรมการผู้จัดการ")),
)  # fmt: skip

VIETNAMESE = Culture(
    "vietnamese", "vi",
    latin("An, Bình, Cường, Dũng, Hùng, Khánh, Long, Nam, Phúc, Quang, Sơn, Tuấn, Thắng, Đức"),
    latin("Anh, Hà, Hương, Lan, Linh, Mai, Ngân, Phương, Thảo, Trang, Tuyết, Yến, Ánh Tuyết"),
    latin("Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương"),
    style="vietnamese",
    titles=(("Trưởng phòng Mua hàng", "Trưởng phòng Mua hàng"), ("Giám đốc", "Giám đốc"),
            ("Phó Giám đốc", "Phó Giám đốc")),
)  # fmt: skip

INDONESIAN = Culture(
    "indonesian", "id",
    latin("Budi, Agus, Hendra, Dedi, Eko, Rudi, Bambang, Joko, Arief, Rizky, Fajar, Yudi"),
    latin("Siti, Dewi, Rina, Sri, Ratna, Wulan, Putri, Indah, Fitri, Ayu, Maya"),
    latin("Santoso, Wijaya, Setiawan, Kusuma, Hidayat, Saputra, Gunawan, Pratama, Susanto, "
          "Halim, Lestari, Rahayu, Nugroho, Hartono, Siregar, Nasution"),
    style="indonesian",
    titles=(("Manajer Pembelian", "Manajer Pembelian"), ("Direktur", "Direktur"),
            ("Direktur Utama", "Direktur Utama")),
)  # fmt: skip

MALAY = Culture(
    "malay", "ms",
    latin("Ahmad, Muhammad Faiz, Mohd Azlan, Hafiz, Khairul, Syafiq, Amirul, Zulkifli, Razak"),
    latin("Nur Aisyah, Siti Aminah, Nurul Huda, Farah, Aisyah, Zarina, Noraini, Suraya"),
    latin("Ismail, Abdullah, Rahman, Hassan, Ibrahim, Yusof, Osman, Hamid, Aziz, Salleh"),
    style="malay",
)  # fmt: skip

FILIPINO = Culture(
    "filipino", "en",
    latin("Jose Miguel, Mark Anthony, John Paul, Carlo, Rommel, Jerome, Ramon, Paolo, Arnel"),
    latin("Maria Cristina, Ma. Theresa, Kristine, Joy, Rowena, Jocelyn, Angelica, Camille"),
    latin("Santos, Reyes, Cruz, Bautista, Ocampo, Garcia, Mendoza, Torres, Dela Cruz, "
          "Villanueva, Ramos, Aquino, Castillo, Navarro, Salazar, Gonzales"),
)  # fmt: skip

INDIAN = Culture(
    "indian", "en",
    latin("Rajesh, Amit, Sunil, Anil, Vikram, Deepak, Sanjay, Arjun, Rohan, Suresh, Ramesh, "
          "Karthik, Manish, Nikhil, Prakash, Venkatesh"),
    latin("Priya, Neha, Pooja, Ananya, Kavita, Lakshmi, Meera, Sneha, Divya, Swati, Anjali"),
    latin("Sharma, Patel, Gupta, Singh, Kumar, Reddy, Iyer, Nair, Mehta, Shah, Joshi, Desai, "
          "Agarwal, Kapoor, Menon, Rao, Chatterjee, Banerjee, Pillai, Verma, Malhotra, Bhatt"),
)  # fmt: skip

SOUTH_ASIAN_MUSLIM = Culture(
    "south_asian_muslim", "en",
    latin("Muhammad Ali, Ahmed, Bilal, Imran, Usman, Faisal, Tanvir, Rafiq, Kamran, Asif"),
    latin("Ayesha, Fatima, Sana, Nusrat, Farhana, Hina, Sadia, Rabia"),
    latin("Khan, Qureshi, Siddiqui, Malik, Butt, Chaudhry, Sheikh, Raza, Iqbal, Hussain, "
          "Rahman, Hossain, Chowdhury, Islam, Ahmed"),
)  # fmt: skip

CULTURES = (
    CHINESE, CHINESE_TW, CHINESE_HK, CHINESE_SEA, CHINESE_WEST, JAPANESE, KOREAN, THAI,
    VIETNAMESE, INDONESIAN, MALAY, FILIPINO, INDIAN, SOUTH_ASIAN_MUSLIM,
)  # fmt: skip
